"""Where a site's parts live, read from its ``mkdocs.yml`` without importing MkDocs.

The CLI needs the content and configuration directories that the MkDocs
plugin uses; reading them from the same file keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading that ignores MkDocs' ``!!python/name`` and ``!ENV`` tags."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_TolerantLoader.add_multi_constructor("!", _ignore_tag)


class ProjectError(Exception):
    """The project itself cannot be found or read; the message is for the user."""


@dataclass(frozen=True)
class Project:
    root: Path
    content_dir: Path
    site_config_dir: Path
    today: str | None

    @classmethod
    def from_mkdocs_yml(cls, config_file: Path) -> Project:
        if not config_file.is_file():
            raise ProjectError(f"找不到 {config_file}：请在站点目录（有 mkdocs.yml 的目录）中运行，或用 -f 指定配置文件")
        try:
            data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            raise ProjectError(f"{config_file}:{line}: YAML 格式错误，请检查缩进和冒号") from None
        root = config_file.resolve().parent
        options: dict[str, Any] = {}
        for plugin in data.get("plugins") or []:
            if isinstance(plugin, dict) and "pufa" in plugin:
                options = plugin["pufa"] or {}
        return cls(
            root=root,
            content_dir=root / str(data.get("docs_dir", "docs")),
            site_config_dir=root / str(options.get("site_config", "site_config")),
            today=str(options["today"]) if options.get("today") else None,
        )
