"""One pipeline, each step once: load -> resolve -> check -> (build, in :mod:`pufa.site`).

- load: every Markdown file read once (through :mod:`pufa.inputs`) and validated
  against its kind's schema; what failed is remembered only to silence follow-up errors.
- resolve: citations resolved once; items are complete and immutable from here on.
- check: read-only checks across files, every error at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .campaign import Campaign
from .checks import check_campaign
from .errors import ErrorCollector
from .inputs import content_files
from .kinds import kind_for
from .kinds.base import Item, LoadContext
from .paths import display_path
from .siteconfig import SiteConfig
from .sources import read_source
from .validation import validate


@dataclass
class Loaded:
    """What loading found: the items, and references to files that failed validation."""

    items: list[Item] = field(default_factory=list)
    #: What other files may call an item that failed validation: not reported again as dangling.
    broken_refs: set[str | int] = field(default_factory=set)


def load(content_dir: Path, config: SiteConfig, errors: ErrorCollector) -> Loaded:
    """Read and validate every Markdown file under ``content_dir``, each once."""
    loaded = Loaded()
    context = LoadContext(config, content_dir, errors)
    markdown, refused = content_files(content_dir)
    for path, message in refused:
        errors.add(display_path(path, config.root), 1, "", message)
    for path in markdown:
        src_uri = path.relative_to(content_dir).as_posix()
        source, read_errors = read_source(path, display_path(path, config.root), src_uri, content_dir)
        errors.extend(read_errors)
        if source is None:
            continue
        kind = kind_for(src_uri)
        has_front = source.front is not None and source.front.data is not None
        meta = None
        if kind.section and not has_front:
            errors.add(source.shown, 1, "", "缺少前置信息：文件应以 --- 开头的 YAML 块开始（可用 pufa new 生成）")
            continue
        if has_front and kind.schema is not None:
            meta, model_errors = validate(kind.schema, source.front, {"taxonomy": config.taxonomy})
            errors.extend(model_errors)
            if meta is None:
                loaded.broken_refs.update(kind.raw_refs(source.meta))
                continue
        item = kind.make(meta, source, context)
        if item is not None:
            loaded.items.append(item)
    return loaded


def resolve(loaded: Loaded, config: SiteConfig, content_dir: Path, errors: ErrorCollector) -> Campaign:
    """Every citation resolved, once; from here on items are complete and immutable."""
    items = [item.kind.resolve(item, config.laws, errors) for item in loaded.items]
    return Campaign.of_items(config, content_dir, items)


def load_campaign(content_dir: Path, config: SiteConfig, *, placeholders: bool = True) -> Campaign:
    """Load, resolve and check the whole campaign.

    Raises :class:`pufa.errors.ContentErrors` with every problem found.
    ``placeholders=False`` tolerates `pufa new`'s template text: for `pufa new`
    itself, which must number an episode while an earlier scaffold is unfinished.
    """
    errors = ErrorCollector()
    loaded = load(content_dir, config, errors)
    campaign = resolve(loaded, config, content_dir, errors)
    check_campaign(campaign, loaded.broken_refs, errors, placeholders=placeholders)
    errors.raise_if_any()
    return campaign
