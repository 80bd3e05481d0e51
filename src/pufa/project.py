"""Where a site's parts live, read from its ``mkdocs.yml`` without importing MkDocs.

The CLI needs the content and configuration directories that the MkDocs
plugin uses; reading them from the same file keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .inputs import MKDOCS, InputError, read_text
from .yamlsource import YamlError, compose


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading that ignores MkDocs' ``!!python/name`` and ``!ENV`` tags."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_TolerantLoader.add_multi_constructor("!", _ignore_tag)


def _construct(node: yaml.Node) -> Any:
    """Data from a tree :func:`pufa.yamlsource.compose` has already checked for size and depth."""
    loader = _TolerantLoader("")
    try:
        return loader.construct_document(node) or {}
    except (yaml.YAMLError, ValueError):
        return {}
    finally:
        loader.dispose()


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
        shown = config_file.as_posix()
        try:
            text = read_text(config_file, config_file.absolute().parent, MKDOCS)
            root_node = compose(text)
        except InputError as exc:
            raise ProjectError(f"{shown}:{exc.line}: {exc.message}") from None
        except YamlError as exc:
            raise ProjectError(f"{shown}:{exc.line + 1}: {exc.message}") from None
        data = _construct(root_node) if root_node is not None else {}
        if not isinstance(data, dict):
            raise ProjectError(f"{shown}:1: 配置文件应为“键: 值”形式的映射")
        root = config_file.resolve().parent
        options: dict[str, Any] = {}
        plugins = data.get("plugins")
        for plugin in [plugins] if isinstance(plugins, dict) else plugins if isinstance(plugins, list) else []:
            if isinstance(plugin, dict) and isinstance(plugin.get("pufa"), dict):
                options = plugin["pufa"]
        return cls(
            root=root,
            content_dir=root / str(data.get("docs_dir", "docs")),
            site_config_dir=root / str(options.get("site_config", "site_config")),
            today=str(options["today"]) if options.get("today") else None,
        )
