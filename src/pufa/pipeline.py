"""One pipeline, each step once: load -> resolve -> check -> (build, in :mod:`pufa.site`).

- load: every Markdown file read once (through :mod:`pufa.inputs`) and validated
  against its kind's schema; what failed is remembered only to silence follow-up errors.
- resolve: citations resolved once; items are complete and immutable from here on.
- check: read-only checks across files, every error at once.

With a :class:`~pufa.cache.Cache`, a file whose bytes, configuration and pufa are
unchanged skips load and resolve: its resolved item comes from the cache. Only a
file that loaded and resolved without an error is cached, so every error is found
again on every run; checks across files always run.

With a :class:`Reuse` (the live preview, which rebuilds on every save), a file whose
status is unchanged since the previous build of the same process is not even read: its
item is the very object of that build, so what was derived from it is kept too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cache import Cache, code_version, digest, file_signature, file_status, paused_gc
from .campaign import Campaign
from .checks import campaign_warnings as campaign_warnings  # re-exported: the adapters report them
from .checks import check_campaign
from .errors import ErrorCollector
from .inputs import MARKDOWN, InputError, content_files, read_bytes
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
    #: id(item) -> cache key, for items that loaded without an error and may be cached once resolved.
    keys: dict[int, str] = field(default_factory=dict)
    #: ids of the items that came resolved from the cache or from the previous build.
    resolved: set[int] = field(default_factory=set)
    #: id(item) -> (src_uri, the file's status before it was read), for :class:`Reuse`.
    status: dict[int, tuple[str, tuple[int, ...]]] = field(default_factory=dict)
    #: What the configuration's digest was (for :class:`Reuse`).
    config_key: str = ""


def _status(path: Path) -> tuple[int, ...] | None:
    """The file's status and, should it be a link, the link's own: taken before the file is read, so
    that a write meanwhile shows as a change next time; a file edited through a link changes the former."""
    link, target = file_status(path, follow_symlinks=False), file_status(path)
    return None if link is None or target is None else link + target


def owned_signature(item: Item, content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """:func:`~pufa.cache.file_signature` of the other files an item read (an episode's audio and captions)."""
    return file_signature(content_dir / uri for uri in item.kind.own_files(item))


class Reuse:
    """The items of this process's previous build, by file, for the next one (``pufa serve``).

    Reading a thousand files again and unpickling their items took a second of every save.
    An item is reused when its file's status and the files it owns (an episode's audio and
    captions) are unchanged, under the same configuration and pufa; like the cache, it
    only ever holds items that loaded and resolved without an error.
    """

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, tuple[int, ...], tuple[tuple[str, int, int], ...], Item]] = {}
        self._next: dict[str, tuple[str, tuple[int, ...], tuple[tuple[str, int, int], ...], Item]] = {}

    def get(self, src_uri: str, config_key: str, status: tuple[int, ...] | None, content_dir: Path) -> Item | None:
        entry = self._items.get(src_uri)
        if entry is None or status is None or entry[:2] != (config_key, status):
            return None
        item = entry[3]
        if owned_signature(item, content_dir) != entry[2]:
            return None
        self._next[src_uri] = entry
        return item

    def put(self, src_uri: str, config_key: str, status: tuple[int, ...], item: Item,
            signature: tuple[tuple[str, int, int], ...]) -> None:
        """``item`` for ``src_uri``, read at ``status``, with ``signature`` its :func:`owned_signature`."""
        self._next[src_uri] = (config_key, status, signature, item)

    def finish(self) -> None:
        """What this build loaded is what the next one may reuse; a file gone since is forgotten."""
        self._items, self._next = self._next, {}

    def forget(self) -> None:
        self._items, self._next = {}, {}


#: Cache namespace of resolved items.
ITEMS = "items"


def _config_digest(config: SiteConfig, content_dir: Path) -> str:
    """What an item depends on besides its file: pufa, every site_config file, and where the project is."""
    files = sorted(config.root / doc.path for doc in config.sources.values())
    return digest(code_version(), str(config.root.absolute()), str(content_dir.absolute()),
                  *(part for path in files for part in (path.as_posix(), _bytes(path))))


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _cached_item(cache: Cache, key: str, content_dir: Path) -> Item | None:
    """The resolved item stored under ``key``, if the other files it read (an episode's audio and
    transcript) are unchanged too."""
    entry = cache.get(ITEMS, key)
    if not isinstance(entry, tuple) or len(entry) != 2 or not isinstance(entry[0], Item):
        return None
    item, signature = entry
    if owned_signature(item, content_dir) != signature:
        return None
    if item.source.front is not None:
        item.source.front._entries = {}  # keyed by id() of YAML nodes: meaningless after unpickling
    return item


def load(content_dir: Path, config: SiteConfig, errors: ErrorCollector, cache: Cache | None = None,
         reuse: Reuse | None = None) -> Loaded:
    """Read and validate every Markdown file under ``content_dir``, each once."""
    loaded = Loaded()
    context = LoadContext(config, content_dir, errors)
    markdown, refused = content_files(content_dir)
    for path, message in refused:
        errors.add(display_path(path, config.root), 1, "", message)
    config_key = _config_digest(config, content_dir) if cache is not None or reuse is not None else ""
    for path in markdown:
        src_uri = path.relative_to(content_dir).as_posix()
        if reuse is not None:
            status = _status(path)
            if (item := reuse.get(src_uri, config_key, status, content_dir)) is not None:
                loaded.items.append(item)
                loaded.resolved.add(id(item))
                continue
        shown, key = display_path(path, config.root), None
        if cache is not None:
            try:
                key = digest(config_key, src_uri, shown, read_bytes(path, content_dir, MARKDOWN))
            except InputError:
                pass  # read_source reports it
            else:
                if (item := _cached_item(cache, key, content_dir)) is not None:
                    loaded.items.append(item)
                    loaded.resolved.add(id(item))
                    if reuse is not None and status is not None:
                        reuse.put(src_uri, config_key, status, item, owned_signature(item, content_dir))
                    continue
        before = len(errors)
        source, read_errors = read_source(path, shown, src_uri, content_dir)
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
            if len(errors) == before:
                if key is not None:
                    loaded.keys[id(item)] = key
                if reuse is not None and status is not None:
                    loaded.status[id(item)] = (src_uri, status)
    if reuse is not None:
        loaded.config_key = config_key
    return loaded


def resolve(loaded: Loaded, config: SiteConfig, content_dir: Path, errors: ErrorCollector,
            cache: Cache | None = None, reuse: Reuse | None = None) -> Campaign:
    """Every citation resolved, once; from here on items are complete and immutable."""
    items = []
    for item in loaded.items:
        if id(item) in loaded.resolved:
            items.append(item)
            continue
        before, key = len(errors), loaded.keys.get(id(item))
        items.append(resolved := item.kind.resolve(item, config.laws, errors))
        status = loaded.status.get(id(item)) if reuse is not None else None
        if len(errors) > before or ((key is None or cache is None) and status is None):
            continue  # an error, or nothing to keep it for
        signature = owned_signature(resolved, content_dir)
        if cache is not None and key is not None:
            cache.put(ITEMS, key, (resolved, signature))
        if reuse is not None and status is not None:
            reuse.put(status[0], loaded.config_key, status[1], resolved, signature)
    return Campaign.of_items(config, content_dir, items)


def load_campaign(content_dir: Path, config: SiteConfig, *, placeholders: bool = True,
                  cache: Cache | None = None, reuse: Reuse | None = None) -> Campaign:
    """Load, resolve and check the whole campaign.

    Raises :class:`pufa.errors.ContentErrors` with every problem found.
    ``placeholders=False`` tolerates `pufa new`'s template text: for `pufa new`
    itself, which must number an episode while an earlier scaffold is unfinished.
    """
    errors = ErrorCollector()
    with paused_gc():
        loaded = load(content_dir, config, errors, cache, reuse)
    campaign = resolve(loaded, config, content_dir, errors, cache, reuse)
    if reuse is not None:
        reuse.finish()
    check_campaign(campaign, loaded.broken_refs, errors, placeholders=placeholders)
    errors.raise_if_any()
    return campaign
