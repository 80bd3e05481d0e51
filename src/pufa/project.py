"""Where a site's parts live, read from its ``mkdocs.yml`` without importing MkDocs.

The CLI needs the content and configuration directories that the MkDocs
plugin uses; reading them from the same file keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .dates import parse_today
from .inputs import MKDOCS, InputError, read_text
from .paths import THEME_CSS, THEME_DIR, THEME_JS
from .yamlsource import YamlError, compose


class _TolerantLoader(yaml.SafeLoader):
    """Safe loading that ignores MkDocs' ``!!python/name`` and ``!ENV`` tags."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """An impossible date (``today: 2026-13-45``) stays text, for its option to report; PyYAML's
    ValueError would otherwise lose the whole file's settings."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_TolerantLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
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


def _value(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node, value_node
    return None


def _option_line(root: yaml.Node | None, option: str) -> int:
    """The 1-based line of ``plugins: - pufa: <option>:`` in mkdocs.yml (1 if it cannot be found)."""
    plugins = _value(root, "plugins")
    if plugins is not None:
        entries = plugins[1].value if isinstance(plugins[1], yaml.SequenceNode) else [plugins[1]]
        for entry in entries:
            pufa = _value(entry, "pufa")
            found = _value(pufa[1], option) if pufa is not None else None
            if found is not None:
                return found[0].start_mark.line + 1
    return 1


def _compose_quietly(config_file: Path) -> yaml.Node | None:
    try:
        return compose(read_text(config_file, config_file.absolute().parent, MKDOCS))
    except (InputError, YamlError, OSError):
        return None


def today_option(value: object, config_file: Path, root: yaml.Node | None = None) -> date:
    """The plugin's ``today`` option as a date; a bad one is a ValueError located in mkdocs.yml.

    Shared by `pufa` and the MkDocs plugin, so that both report it alike. ``root``:
    the file's composed tree when the caller has it; read again otherwise (only on error).
    """
    try:
        return parse_today(value)
    except ValueError:
        pass
    if root is None:
        root = _compose_quietly(config_file)
    return parse_today(value, f"{config_file.name}:{_option_line(root, 'today')}")


class ProjectError(Exception):
    """The project itself cannot be found or read; the message is for the user."""


@dataclass(frozen=True)
class Project:
    root: Path
    content_dir: Path
    site_config_dir: Path
    #: The build's today: the plugin's ``today`` option, else SOURCE_DATE_EPOCH, else the clock.
    today: date

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
        try:
            today = today_option(options.get("today"), config_file, root_node)
        except ValueError as exc:
            raise ProjectError(str(exc)) from None
        return cls(
            root=root,
            content_dir=root / str(data.get("docs_dir", "docs")),
            site_config_dir=root / str(options.get("site_config", "site_config")),
            today=today,
        )


#: Python-Markdown's toc writes this on every heading anchor (its title, which screen readers read) in English otherwise.
PERMALINK_TITLE = "本节链接"


def chinese_markdown_labels(mdx_configs: dict[str, Any]) -> None:
    """Heading anchors say 本节链接, not "Permanent link", on every site; a title set in ``mkdocs.yml`` stays."""
    if (toc := mdx_configs.get("toc")) is not None:
        toc.setdefault("permalink_title", PERMALINK_TITLE)


def attach_theme(theme: Any, extra_css: list[Any], extra_javascript: list[Any], mdx_configs: dict[str, Any]) -> None:
    """Put the package's theme (MkDocs' ``theme``: its ``dirs``, ``custom_dir``) under the project's overrides
    and over Material's.

    A county's ``mkdocs.yml`` then needs no path into pufa's installation, and ``pip install pufa`` is enough to
    build a site; the stylesheets and scripts are added once, wherever the project lists its own, and what
    Markdown writes into the pages is Chinese (:func:`chinese_markdown_labels`)."""
    if str(THEME_DIR) not in theme.dirs:
        theme.dirs.insert(1 if theme.custom_dir else 0, str(THEME_DIR))
    extra_css[:0] = [css for css in THEME_CSS if css not in extra_css]
    extra_javascript[:0] = [js for js in THEME_JS if js not in map(str, extra_javascript)]
    chinese_markdown_labels(mdx_configs)
