"""The site's search index: Pagefind, written at build time, fetched by readers only when they search.

Pagefind splits an index into small fragments that a browser loads per query, so a
reader who never searches downloads nothing. Its own Chinese segmentation does not
serve us: the indexer's dictionary cuts 未成年人 into 未成|年|人 while the browser cuts
the query into 未成年|人, so everyday queries miss. pufa therefore segments the text
itself, with jieba's dictionary (:mod:`pufa.segment`), and hands Pagefind words
already separated by spaces under a language it does not segment again
(:data:`LANGUAGE`). Each word is indexed with its jieba search-mode parts as well, so
未成年人保护法 is also found by 未成年人, 保护法 or 成年人.

Those extra parts and the spaces between Chinese words are for the index only. The
text keeps invisible marks, each a token of its own, that ``pufa-search.js`` reads to
show the reader the original text: :data:`KEEP` before whitespace the original had
(every other space was put in for Pagefind and is taken out again), and
:data:`PART_OPEN` / :data:`PART_CLOSE` around a word's parts (never shown).
Pagefind indexes no word for a token of marks alone, so queries match the words
themselves. Marks stand apart because a mark inside a word doubled the memory and
time Pagefind spends on a page (measured on the benchmark county).
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import os
import json
import logging
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from lxml import etree
from lxml import html as lxml_html

from . import segment
from .cache import Cache, installed, code_version, digest, file_status
from .search_files import make_reproducible

if TYPE_CHECKING:
    from .site import SitePage
    from .siteconfig import SiteConfig

log = logging.getLogger("mkdocs.plugins.pufa")

#: The site folder Pagefind's bundle goes in (script, WebAssembly, index and fragments).
BUNDLE_DIR = "pagefind"
#: Material's search plugin output, which a site with Pagefind must not ship as well.
MATERIAL_INDEX_DIR = "search"
#: Pagefind's language for the index: not one it segments (zh, ja), since the text
#: arrives segmented; the browser likewise leaves the query as typed.
LANGUAGE = "und"
#: Before whitespace that is the original text's: shown (every unmarked space is not).
KEEP = "\u2060"
#: Around the search-mode parts put before a word: indexed, never shown.
PART_OPEN, PART_CLOSE = "\u2063", "\u2064"
#: Pagefind's excerpts are windows of the text: a window may begin or end inside a group of parts.
_PARTS = re.compile(rf"{PART_OPEN}[^{PART_CLOSE}]*(?:{PART_CLOSE} ?|$)|^[^{PART_OPEN}]*?{PART_CLOSE} ?")
_KEPT = re.compile(rf"{KEEP}(\s*)")
_WORDS_AND_SPACES = re.compile(r"(\s+)")
#: What a page's text is read from, the first that the page has: Material's article (the page
#: without header, navigation and footer), else an element the template marks, else <main>.
ROOT_XPATHS = ('//article[contains(concat(" ", normalize-space(@class), " "), " md-content__inner ")]',
               "//*[@data-pagefind-body]", "//main")
#: Classes whose elements are not page text: the hover text of inline citations (the
#: article itself is indexed on its law page), heading permalinks, the permalink box, and the
#: cards of lists (a lesson's title and summary, indexed on the lesson's own page: on the lists
#: they made every list page a result of every query, and five times the index's text).
IGNORED_CLASSES = ("pufa-cite__text", "headerlink", "pufa-permalink", "md-content__button", "pufa-card")
#: Pagefind's user interfaces: pufa has its own (``assets/pufa-search.js``), so these are not published.
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
#: Page template -> kind shown in the kind filter, for pages that are no content item.
TEMPLATE_KINDS = {"pufa/law.html": "法条"}
#: Item kinds offered in the kind filter (an ordinary page has none).
ITEM_KINDS = ("lesson", "month", "episode", "event")
#: How much a word counts on a page of each kind (Pagefind's data-pagefind-weight, default 1): what a
#: reader means is most often a lesson or an episode; an event is a dated notice, and an index page
#: only repeats its items' titles and summaries. A law page counts as 1 (kind "law").
KIND_WEIGHTS = {"lesson": 2.0, "episode": 1.5, "law": 1.0, "month": 1.0, "page": 1.0, "event": 0.6, "index": 0.5}

#: Cache namespaces (:mod:`pufa.cache`): one page's record, and the finished bundle for a set of records.
RECORDS, BUNDLES = "search-record", "search-bundle"


class SearchIndexError(Exception):
    """Pagefind could not write the index; the message is for the user."""


def index_text(text: str) -> str:
    """``text`` as Pagefind should index it: words apart, each after its parts.

    Whitespace of the original is kept after :data:`KEEP`; parts stand between
    :data:`PART_OPEN` and :data:`PART_CLOSE`; every other space is a separator for
    Pagefind, dropped when shown (:func:`shown`). Text ends with a separator, since
    the next text node (a link, an emphasis) must be a word of its own for Pagefind.
    """
    if not text:
        return text
    if text.isspace():  # most text nodes: the indentation between a template's tags
        return f"{KEEP}{text}"
    tokens = segment.words(text) if segment.has_han(text) else _WORDS_AND_SPACES.split(text)
    out: list[str] = []
    for token in tokens:
        if not token:
            continue
        if token.isspace():
            out.append(f"{KEEP}{token}")
            continue
        if found := segment.parts(token):
            out.append(f"{PART_OPEN} {' '.join(found)} {PART_CLOSE} ")
        out.append(f"{token} ")
    return "".join(out)


@dataclass(frozen=True)
class Record:
    """One page as Pagefind indexes it."""

    #: Site-relative from the root (``/lessons/…/``); pufa-search.js puts the site's sub-path before it.
    url: str
    html: str
    #: The page's file in the site (``lessons/…/index.html``), from which Pagefind derives :attr:`url`.
    output: str

    @cached_property
    def digest(self) -> str:
        """What the bundle's cache key is made of: once per record, which the live preview keeps."""
        return digest(self.output, self.html)


def filters(page: SitePage, config: SiteConfig) -> dict[str, list[str]]:
    """Filter name -> values of one page: its kind, topics, audiences and grades, as readers name them."""
    found: dict[str, list[str]] = {}
    item = page.item
    if page.template in TEMPLATE_KINDS:
        found["kind"] = [TEMPLATE_KINDS[page.template]]
    if item is None:
        return found
    if item.kind.name in ITEM_KINDS:
        found["kind"] = [item.kind.label]
    taxonomy = config.taxonomy
    meta = item.meta
    topics = [getattr(meta, "topic", None), *(getattr(meta, "topics", None) or [])]
    names = {
        "topic": [taxonomy.topics[key].name for key in topics if key in taxonomy.topics],
        "audience": [taxonomy.audiences[key] for key in getattr(meta, "audiences", None) or [] if key in taxonomy.audiences],
        "grade": [taxonomy.grades[key] for key in getattr(meta, "grades", None) or [] if key in taxonomy.grades],
    }
    found.update({name: list(dict.fromkeys(values)) for name, values in names.items() if values})
    return found


def _later_page(page: SitePage) -> bool:
    """Page 2 and later of a list: without its cards, what page 1 says again."""
    view = page.context.get("view")
    pager = view.data.get("pager") if view is not None else None
    return pager is not None and pager.number > 1


def _weight_kind(page: SitePage) -> str:
    if page.item is not None:
        return page.item.kind.name if page.item.kind.name in KIND_WEIGHTS else "page"
    return "law" if page.template in TEMPLATE_KINDS else "index"


#: The elements of a page that are not its text: :data:`IGNORED_CLASSES` and non-text elements, in one walk.
_ignored = etree.XPath(" | ".join([
    ".//*[" + " or ".join(f'contains(concat(" ", normalize-space(@class), " "), " {name} ")' for name in IGNORED_CLASSES) + "]",
    ".//script", ".//style", ".//svg", ".//template"]))


def _segment_tree(root: etree._Element) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.text:
            element.text = index_text(element.text)
        if element.tail and element is not root:
            element.tail = index_text(element.tail)


def _anchor_headings(root: etree._Element) -> None:
    """A heading that opens an anchored section (a law page's ``<section id="article-33"><h2>``)
    takes the section's anchor, so that Pagefind offers the article itself as a result."""
    for heading in root.xpath(".//*[self::h2 or self::h3 or self::h4][not(@id)]"):
        parent = heading.getparent()
        if parent is not None and parent.get("id") and len(parent) and parent[0] is heading:
            heading.set("id", parent.get("id"))


def record(page: SitePage, html: str, config: SiteConfig) -> Record | None:
    """The page's article, segmented, with its title and filters; None if the page has no article."""
    document = lxml_html.document_fromstring(html)
    root = next((found[0] for xpath in ROOT_XPATHS if (found := document.xpath(xpath))), None)
    if root is None:
        return None
    for element in list(_ignored(root)):
        element.drop_tree()  # keeps the text that follows it
    _anchor_headings(root)
    heading = root.find(".//h1")
    title = " ".join((heading.text_content() if heading is not None else page.title).split()) or page.title
    _segment_tree(root)
    root.set("data-pagefind-body", "")
    root.set("data-pagefind-weight", str(KIND_WEIGHTS[_weight_kind(page)]))
    for name, values in filters(page, config).items():
        for value in values:
            marker = etree.SubElement(root, "span")
            marker.set("data-pagefind-filter", f"{name}:{value}")
    root.set("data-pagefind-meta", f"title:{title}")  # shown; searched through the heading (pufa-search.js)
    body = etree.tostring(root, encoding="unicode", method="html")
    html = f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><title></title></head><body>{body}</body></html>'
    return Record("/" + page.url, html, page.output)


def records(site_dir: Path, pages: Iterable[SitePage], config: SiteConfig, cache: Cache | None = None,
            recent: bool = False) -> list[Record]:
    """Every page's record; from the cache for a page whose HTML, kind and filters did not change.

    ``recent`` (the live preview, where most pages are not written again): a page whose output
    file has the same status as in this process's previous build of the same site is not even read.
    """
    global _recent
    known = _recent[1] if recent and _recent[0] == site_dir else {}
    seen: dict[str, tuple[tuple[int, ...], tuple[str | None, ...], Record | bool]] = {}
    found = []
    for page in pages:
        if _later_page(page):
            continue
        path = site_dir / page.output
        if (status := file_status(path)) is None or not stat.S_ISREG(status[0]):
            continue
        about = (page.url, page.output, page.template, _weight_kind(page),
                 json.dumps(filters(page, config), ensure_ascii=False, sort_keys=True))
        if (before := known.get(page.output)) is not None and before[:2] == (status, about):
            entry = before[2]
        else:
            html = path.read_text(encoding="utf-8")
            key = digest(code_version(), *about, _after_head(html))
            entry = cache.get(RECORDS, key) if cache else None
            if entry is None:
                entry = record(page, html, config) or False  # False: a page without an article, cached too
                if cache:
                    cache.put(RECORDS, key, entry)
        seen[page.output] = (status, about, entry)
        if entry:
            found.append(entry)
    _recent = (site_dir, seen)
    return found


def _after_head(html: str) -> str:
    """What a record is made from: all that follows the page's ``<head>``, which holds the site's address
    (the canonical link), so that a page built for the preview (its address) and for the site shares a record.
    From the first ``</head>`` on: a record reads only elements the body holds, all of which come after it."""
    end = html.find("</head>")
    return html if end < 0 else html[end:]


#: The site folder of this process's last index, and its pages' output status -> record.
_recent: tuple[Path | None, dict[str, tuple[tuple[int, ...], tuple[str | None, ...], Record | bool]]] = (None, {})


class _Abandoned(Exception):
    """A newer build overtook the preview's index while Pagefind ran: it was stopped."""


def _write(entries: list[Record], output: Path, abandoned: Callable[[], bool] = lambda: False) -> None:
    """Index the pages from a folder with Pagefind's command, in one run.

    The command, not Pagefind's Python API (a service process behind an asyncio client): a
    process of its own can be stopped at once when the live preview builds again, and needs no
    event loop in a thread where a renderer or a browser test may already run one.
    """
    from pagefind_bin_extended import get_executable

    with tempfile.TemporaryDirectory(prefix="pufa-search-") as folder:
        for entry in entries:
            path = Path(folder) / entry.output
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(entry.html, encoding="utf-8")
        command = [str(get_executable()), "--site", folder, "--output-path", str(output.absolute()),
                   "--force-language", LANGUAGE, "--silent"]
        with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as run:
            while True:
                try:
                    said = run.communicate(timeout=0.2)[0]
                    break
                except subprocess.TimeoutExpired:
                    if abandoned():
                        run.kill()
                        run.communicate()
                        raise _Abandoned() from None
        if run.returncode != 0:
            raise RuntimeError(said.decode("utf-8", "replace").strip() or f"exit status {run.returncode}")


#: One Pagefind run at a time in a process: the preview's index, written in the background, may
#: still run when the next build indexes (in a test process, another site's build).
_one_run = threading.Lock()


def write_index(site_dir: Path, pages: Iterable[SitePage], config: SiteConfig, cache: Cache | None = None,
                background: bool = False) -> None:
    """Write the Pagefind bundle to ``site_dir/pagefind`` (replacing an earlier one).

    With a cache, a bundle Pagefind already wrote for the very same records is written
    again from the cache: the bundle is reproducible (:mod:`pufa.search_files`), so it is
    byte for byte what Pagefind would write. ``background`` (the live preview): Pagefind
    runs after this returns, so that an edit shows without waiting for the index, which
    follows a few seconds later; an index a newer build has overtaken is dropped.
    """
    output = site_dir / BUNDLE_DIR
    if output.exists():
        shutil.rmtree(output)
    entries = records(site_dir, pages, config, cache, recent=background)
    _drop_material_index(site_dir, config)
    key = digest(code_version(), _pagefind_version(), *(entry.digest for entry in entries))
    if cache and (bundle := cache.get(BUNDLES, key)) is not None and _unpack(bundle, output):
        return
    if not background:
        _index(entries, output, cache, key)
        return
    generation = abandon_background_index()  # an index still waiting gives way to this build's

    def index_later() -> None:
        # Beside the site, not in it: the preview server empties the site for the next build,
        # and removes it when it stops.
        staging = site_dir.parent / f".pufa-search-{os.getpid()}-{generation}"
        _yield_to_builds()
        with _swapping:  # wait until the editor pauses: a save meanwhile makes this index useless
            if _swapping.wait_for(lambda: generation != _latest[0], timeout=QUIET_SECONDS):
                return
        try:
            _index(entries, staging, cache, key, abandoned=lambda: generation != _latest[0])
            with _swapping:  # one index at a time takes the place of the last
                if generation == _latest[0] and site_dir.is_dir():
                    shutil.rmtree(output, ignore_errors=True)
                    staging.rename(output)
                    log.info("pufa: 站内搜索索引已更新")
        except _Abandoned:
            pass  # a newer build's index follows
        except Exception as exc:  # noqa: BLE001 - a thread's error would end as a traceback nobody asked for
            if generation == _latest[0] and site_dir.is_dir():  # else a newer build, or the preview ended
                log.warning(f"pufa: 预览的站内搜索索引未能更新：{exc}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    threading.Thread(target=index_later, name=f"pufa-search-{generation}").start()  # finishes before the preview exits


def _yield_to_builds() -> None:
    """Lower this thread's priority, and that of the Pagefind process it starts (which inherits it):
    on a machine with two cores, the index of the last save must not slow down the build of the next.
    (On Linux, a thread's nice value is its own; elsewhere, nothing is changed.)"""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


#: Numbers the preview's background indexes; the newest number is the one that counts.
_generations = itertools.count(1)
_latest = [0]
#: Guards the swap of an index into the site, and tells a waiting index that a newer build came.
_swapping = threading.Condition()
#: How long the preview waits after a build before it indexes: Pagefind takes both cores for tens of
#: seconds at a thousand lessons, and an editor who saves again meanwhile (the next save's page first)
#: would wait for it. An index a newer build overtakes while it waits is never started.
QUIET_SECONDS = 3.0


def abandon_background_index() -> int:
    """An index still waiting to start is not wanted any more: the preview stops, or builds again.
    Returns the new generation, which only an index started from now on has."""
    with _swapping:
        _latest[0] = next(_generations)
        _swapping.notify_all()
        return _latest[0]


def _index(entries: list[Record], output: Path, cache: Cache | None, key: str,
           abandoned: Callable[[], bool] = lambda: False) -> None:
    try:
        with _one_run:
            _write(entries, output, abandoned)
    except _Abandoned:
        raise
    except Exception as exc:
        raise SearchIndexError(f"站内搜索索引（Pagefind）写入失败：{exc}。请确认已按 pyproject.toml 安装 pagefind[extended]") from None
    for name in UNUSED_BUNDLE_FILES:
        (output / name).unlink(missing_ok=True)
    make_reproducible(output)
    if cache:
        cache.put(BUNDLES, key, {path.relative_to(output).as_posix(): path.read_bytes()
                                 for path in sorted(output.rglob("*")) if path.is_file()})


def _pagefind_version() -> str:
    return "-".join(installed(name) for name in ("pagefind", "pagefind_bin_extended"))


def _unpack(bundle: object, output: Path) -> bool:
    """Write a cached bundle (relative path -> bytes); False, writing nothing, if it is not one."""
    if not isinstance(bundle, dict) or not all(
        isinstance(name, str) and isinstance(data, bytes) and ".." not in PurePosixPath(name).parts
        and not PurePosixPath(name).is_absolute() for name, data in bundle.items()
    ):
        return False
    for name, data in bundle.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(data)
    return True


def _drop_material_index(site_dir: Path, config: SiteConfig) -> None:
    """A site still listing Material's search plugin: tell the editor, and ship one index, not two.

    Read from mkdocs.yml rather than from Material's output, which a plugin listed after
    pufa writes only after this build step.
    """
    material = site_dir / MATERIAL_INDEX_DIR
    if (material / "search_index.json").is_file():
        shutil.rmtree(material)
    for warning in material_search_warnings(config.root / "mkdocs.yml"):
        log.warning(warning)


def material_search_warnings(config_file: Path) -> list[str]:
    """Material's search plugin, if mkdocs.yml still lists it: for the build's log and ``pufa check``."""
    line = _plugin_line(config_file, "search")
    return [] if line is None else [material_search_message(line, config_file.name)]


def material_search_message(line: int, config_file: str = "mkdocs.yml") -> str:
    return (f"{config_file}:{line}: plugins: pufa 已自带站内搜索（Pagefind，读者搜索时才下载索引），"
            "Material 的 search 插件不再需要：请从 plugins 中删除 “- search” 及其选项")


def _plugin_line(config_file: Path, name: str) -> int | None:
    """The 1-based line of ``- <name>`` in mkdocs.yml's plugins, if it is listed."""
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"^\s+-\s*[\"']?(material/)?{re.escape(name)}[\"']?\s*(:|$)")
    in_plugins = False
    for number, line in enumerate(lines, 1):
        if line[:1].strip() and not line.startswith("#"):  # a top-level key
            in_plugins = line.startswith("plugins:")
        elif in_plugins and pattern.match(line):
            return number
    return None


def shown(text: str) -> str:
    """What a reader sees of indexed text: the inverse of :func:`index_text` (pufa-search.js does the same)."""
    pieces = _KEPT.split(_PARTS.sub("", text))
    return "".join(piece or " " if kept else re.sub(r"\s", "", piece) for kept, piece in
                   ((i % 2 == 1, piece) for i, piece in enumerate(pieces)))



#: What Pagefind puts before the JSON of a page fragment, inside the gzip.
_FRAGMENT_SIGNATURE = b"pagefind_dcd"


def read_fragments(bundle: Path) -> dict[str, dict[str, object]]:
    """URL -> Pagefind's record of each indexed page (content, filters, meta), as written.

    For checking what a build indexed (tests, scripts/search_recall.py); readers never need it.
    """
    found = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data.removeprefix(_FRAGMENT_SIGNATURE))
        found[fragment["url"]] = fragment
    return found
