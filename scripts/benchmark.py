#!/usr/bin/env python3
"""The benchmark county: pufa against bare Material on the same Markdown, in one run.

Generates a county the size of five busy years (1,000 lessons with law citations,
120 month pages, 500 radio episodes with timestamped transcripts; ``--scale 2``
doubles every count) from the demo county's own sentences, deterministically, then
builds it with pufa and, from the very same Markdown files, with bare Material
(plain ``mkdocs.yml``, Material's default search), and prints issue 9's table as
ratios: CPU time, peak memory, 2× scaling, warm rebuild, search bytes, page sizes.

Timings are CPU seconds of each build process (user + system, from ``os.wait4``,
the per-child form of ``getrusage(RUSAGE_CHILDREN)``), so that other work on a
shared machine changes them less than wall-clock time; peak memory is the build
process's maximum RSS. Speed is reported here, never asserted in tests.

Usage::

    python scripts/benchmark.py                 # the benchmark county, with the 2× build
    python scripts/benchmark.py --lessons 100   # a quick small run (months, episodes in proportion)
    python scripts/benchmark.py --profile       # plus cProfile of the pufa build, top functions
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
#: What the build says its own peak memory after (KiB, as getrusage gives it on Linux).
SELF_RSS = "benchmark-self-max-rss"
#: ``python -m mkdocs``, telling at its end (on stderr) its own peak memory apart from its children's:
#: Pagefind, which writes the search index, runs as a child of the build.
MKDOCS = [sys.executable, "-c", "import atexit, resource, runpy, sys\n"
          "atexit.register(lambda: sys.stderr.write("
          "f'\\n" + SELF_RSS + " {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n"
          "sys.argv[0] = 'mkdocs'\n"
          "runpy.run_module('mkdocs', run_name='__main__', alter_sys=True)\n"]
#: The build date of every generated county: all content is dated before it.
TODAY = date(2026, 12, 31)
#: The benchmark county at ``--scale 1``.
LESSONS, MONTHS, EPISODES = 1000, 120, 500
SEED = 9


# -- the county ------------------------------------------------------------------------------

_CITATION = re.compile(r"（?【[^】]*】）?")
_MARKUP = re.compile(r"[*_`>#\[\]]|\(\s*[^)]*\)|^\s*\d+\.\s*|^\s*-\s*", re.M)
_SENTENCE = re.compile(r"[^。！？\n]{8,120}[。！？]")


def _sentences(paths: list[Path]) -> list[str]:
    """Plain sentences of the demo county's bodies: text a county really writes."""
    found: dict[str, None] = {}
    for path in paths:
        text = path.read_text(encoding="utf-8").split("---", 2)[-1]
        text = re.sub(r"^\[[\d:]+\]\s*[^：]{1,8}：", "", text, flags=re.M)  # transcript cues
        text = _MARKUP.sub("", _CITATION.sub("", text))
        found.update(dict.fromkeys(match.group().strip() for match in _SENTENCE.finditer(text)))
    return list(found)


def _citations(laws_yml: Path) -> list[str]:
    """Every article laws.yml quotes, written as an editor cites it: 宪法第三十三条."""
    from pufa.laws import chinese

    laws = yaml.safe_load(laws_yml.read_text(encoding="utf-8"))["laws"]
    cited = []
    for law in laws.values():
        name = (law.get("short") or [law["title"]])[0]
        for key in law["articles"]:
            number, _, sub = str(key).partition("-")
            cited.append(f"{name}第{chinese(int(number))}条" + (f"之{chinese(int(sub))}" if sub else ""))
    return cited


@dataclass(frozen=True)
class Vocabulary:
    topics: list[str]
    audiences: list[str]
    grades: list[str]
    departments: list[str]


def _vocabulary(taxonomy_yml: Path) -> Vocabulary:
    data = yaml.safe_load(taxonomy_yml.read_text(encoding="utf-8"))
    return Vocabulary(list(data["topics"]), list(data["audiences"]), list(data["grades"]), list(data["departments"]))


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


_HEADINGS = ["案例", "法律怎么说", "怎么做", "课堂讨论", "延伸阅读", "以案说法", "法官提醒", "常见误区"]
_SPEAKERS = ["林晓", "王建国", "周敏", "陈律师", "李警官", "赵法官"]


class County:
    """One generated county; every choice comes from one seeded generator, so two runs are identical."""

    def __init__(self, lessons: int, months: int, episodes: int) -> None:
        self.counts = (lessons, months, episodes)
        self.random = random.Random(SEED)
        demo = REPO / "content"
        self.sentences = _sentences(sorted(demo.rglob("*.md")))
        self.citations = _citations(REPO / "site_config" / "laws.yml")
        self.vocabulary = _vocabulary(REPO / "site_config" / "taxonomy.yml")
        self.titles = [yaml.safe_load(p.read_text(encoding="utf-8").split("---")[1])["title"]
                       for p in sorted((demo / "lessons").rglob("*.md"))]

    def _text(self, low: int, high: int) -> str:
        return "".join(self.random.sample(self.sentences, self.random.randint(low, high)))

    def _cite(self) -> str:
        return f"【{self.random.choice(self.citations)}】"

    def _month_keys(self) -> list[str]:
        months = self.counts[1]
        first = TODAY.year * 12 + TODAY.month - months  # months end with TODAY's month
        return [f"{(first + i) // 12:04d}-{(first + i) % 12 + 1:02d}" for i in range(months)]

    def write(self, target: Path) -> None:
        shutil.copytree(REPO / "site_config", target / "site_config")
        content = target / "content"
        (content / "radio").mkdir(parents=True)
        shutil.copy(REPO / "content" / "about.md", content / "about.md")
        shutil.copy(REPO / "content" / "radio" / "cover.png", content / "radio" / "cover.png")
        month_keys = self._month_keys()
        span = (TODAY - date(int(month_keys[0][:4]), int(month_keys[0][5:]), 1)).days
        lessons = self._lessons(content, span)
        episodes = self._episodes(content)
        self._months(content, month_keys, lessons, episodes)

    def _lessons(self, content: Path, span: int) -> dict[str, list[str]]:
        """Lessons spread evenly over the months; returns month -> lesson refs."""
        count, vocab, r = self.counts[0], self.vocabulary, self.random
        by_month: dict[str, list[str]] = {}
        for index in range(count):
            day = TODAY - timedelta(days=span * (count - index) // (count + 1))
            topic = vocab.topics[index % len(vocab.topics)]
            slug = f"ke-{index + 1:05d}"
            front = {
                "title": f"{r.choice(self.titles)}（第{index + 1}讲）",
                "topic": topic,
                "slug": slug,
                "audiences": r.sample(vocab.audiences, r.randint(1, 2)),
                "grades": r.sample(vocab.grades, r.randint(0, 2)),
                "department": r.choice(vocab.departments),
                "date": day,
                "summary": self._text(1, 2)[:190],
                "tags": [s[:8] for s in r.sample(self.sentences, 3)],
                "objectives": [self._text(1, 1) for _ in range(2)],
                "articles": [r.choice(self.citations)],
                "questions": [self._text(1, 1) for _ in range(2)],
                "quiz": [{"question": self._text(1, 1), "options": ["对", "错"], "answer": r.choice(["对", "错"]),
                          "explanation": self._text(1, 1)} for _ in range(2)],
            }
            front["tags"] = list(dict.fromkeys(front["tags"]))
            front["articles"] = list(dict.fromkeys(front["articles"]))
            sections = []
            for heading in r.sample(_HEADINGS, 4):
                paragraphs = [f"{self._text(2, 4)}（{self._cite()}）{self._text(1, 3)}" for _ in range(r.randint(2, 3))]
                quote = f"> {self._cite()}"
                steps = "\n".join(f"{n}. {self._text(1, 1)}" for n in range(1, r.randint(3, 5)))
                sections.append(f"## {heading}\n\n" + "\n\n".join([*paragraphs, quote, steps]))
            (content / "lessons" / topic).mkdir(parents=True, exist_ok=True)
            (content / "lessons" / topic / f"{slug}.md").write_text(
                f"---\n{_yaml(front)}---\n\n" + "\n\n".join(sections) + "\n", encoding="utf-8")
            by_month.setdefault(f"{day:%Y-%m}", []).append(f"{topic}/{slug}")
        return by_month

    def _episodes(self, content: Path) -> dict[str, list[int]]:
        """Weekly episodes ending at TODAY, remote audio (length and duration as the feed rules ask)."""
        count, vocab, r = self.counts[2], self.vocabulary, self.random
        by_month: dict[str, list[int]] = {}
        first = TODAY - timedelta(weeks=count)
        for number in range(1, count + 1):
            air = first + timedelta(weeks=number)
            duration = 900
            cues, second = [], 0
            for _ in range(4):
                cues.append(f"## {r.choice(self.sentences)[:r.randint(6, 14)].rstrip('，、；：')}\n")
                for _ in range(r.randint(8, 12)):
                    cues.append(f"[{second // 60:02d}:{second % 60:02d}] {r.choice(_SPEAKERS)}：{self._text(1, 3)}")
                    second += r.randint(8, 20)
                cues.append("")
            front = {
                "number": number,
                "title": f"{r.choice(self.titles)}",
                "slug": f"jssf-{number:04d}",
                "air": f"{air:%Y-%m-%d} 18:30",
                "topic": r.choice(vocab.topics),
                "department": r.choice(vocab.departments),
                "summary": self._text(1, 2)[:390],
                "audio": f"https://media.example.gov.cn/jssf/{number:04d}.mp3",
                "audio_length": 7_200_000 + number,
                "audio_duration": duration,
                "hosts": [{"name": "林晓", "role": "主持人"}],
                "guests": [{"name": r.choice(_SPEAKERS[1:]), "role": "嘉宾"}],
            }
            (content / "radio" / f"ep{number:04d}.md").write_text(
                f"---\n{_yaml(front)}---\n\n" + "\n".join(cues), encoding="utf-8")
            by_month.setdefault(f"{air:%Y-%m}", []).append(number)
        return by_month

    def _months(self, content: Path, keys: list[str], lessons: dict[str, list[str]], episodes: dict[str, list[int]]) -> None:
        r, vocab = self.random, self.vocabulary
        (content / "months").mkdir()
        for key in keys:
            year, month = int(key[:4]), int(key[5:])
            front = {
                "month": key,
                "title": r.choice(self.titles)[:12],
                "summary": self._text(1, 2),
                "topics": r.sample(vocab.topics, 2),
                "key_dates": [{"date": date(year, month, r.randint(1, 28)), "name": r.choice(self.titles)[:10]}],
                "lessons": lessons.get(key, [])[:3],
                "episodes": episodes.get(key, [])[:2],
            }
            body = "\n\n".join(f"{self._text(2, 4)}（{self._cite()}）" for _ in range(3))
            (content / "months" / f"{key}.md").write_text(f"---\n{_yaml(front)}---\n\n{body}\n", encoding="utf-8")


# -- the two sites -----------------------------------------------------------------------------

_MARKDOWN_EXTENSIONS = """\
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - pymdownx.details
  - pymdownx.superfences
  - toc:
      permalink: true{slugify}
"""

#: What both configurations share: the site and Material's theme, as the demo sets them.
_HEAD = """\
site_name: 法治安澜
docs_dir: content
use_directory_urls: true
theme:
  name: material
  language: zh
  font: false
  features: [navigation.tabs, navigation.top{features}]
"""

_PUFA_YML = _HEAD.format(features="") + """\
plugins:
  - pufa:  # with its own search (Pagefind), as every pufa site has it
      today: {today}
""" + _MARKDOWN_EXTENSIONS.format(slugify="\n      slugify: !!python/name:pufa.slugs.heading_slug")

#: Bare Material: the same Markdown and search; a short navigation (Material's default nav lists
#: every page on every page, which nobody would publish at this size).
_BARE_YML = _HEAD.format(features=", search.suggest, search.highlight") + """\
nav:
  - 关于本站: about.md
not_in_nav: |
  /**
plugins:
  - search:
      lang: zh
      separator: '[\\s\\u200b\\-]'
""" + _MARKDOWN_EXTENSIONS.format(slugify="")


@dataclass(frozen=True)
class Run:
    cpu: float  # seconds, user + system
    wall: float
    max_rss: int  # bytes, of the build and its children (Pagefind)
    self_rss: int | None = None  # bytes, of the build process alone


def _run(command: list[str], cwd: Path) -> Run:
    """One child process, measured by ``wait4``: its own CPU time and peak RSS."""
    import time

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(f"构建失败（{' '.join(command)}）：\n{errors.decode('utf-8', 'replace')[-4000:]}")
    unit = 1 if sys.platform == "darwin" else 1024
    said = re.search(rf"^{SELF_RSS} (\d+)$", errors.decode("utf-8", "replace"), re.MULTILINE)
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss * unit, int(said[1]) * unit if said else None)


def make_sites(root: Path, lessons: int, months: int, episodes: int) -> tuple[Path, Path]:
    """The county twice: ``pufa/`` and ``bare/`` hold the same content files."""
    pufa, bare = root / "pufa", root / "bare"
    County(lessons, months, episodes).write(pufa)
    (pufa / "mkdocs.yml").write_text(_PUFA_YML.format(today=TODAY.isoformat()), encoding="utf-8")
    bare.mkdir()
    shutil.copytree(pufa / "content", bare / "content")
    (bare / "mkdocs.yml").write_text(_BARE_YML, encoding="utf-8")
    return pufa, bare


def build(site: Path) -> Run:
    """One build; its numbers go to stderr at once, so a long run that is stopped still told something."""
    run = _run([*MKDOCS, "build", "-q", "-d", "out"], site)
    own = f"（构建进程自身 {_mib(run.self_rss)}）" if run.self_rss else ""
    print(f"  {site.parent.name}/{site.name}: {run.cpu:.1f} 秒 CPU，墙钟 {run.wall:.1f} 秒，峰值内存 {_mib(run.max_rss)}{own}",
          file=sys.stderr, flush=True)
    return run


# -- the live preview --------------------------------------------------------------------------

#: How long the preview may take to start, and to show an edit, before the benchmark gives up.
PREVIEW_TIMEOUT = 900.0


def _fetch(url: str) -> str | None:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own preview server
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def preview_latency(site: Path) -> float | None:
    """Seconds from saving an edited lesson to the preview serving the edit (``pufa serve``).

    What an editor waits for: the livereload in the open page follows at once. The
    lesson's new body must be on its page; None if the preview did not show it in time.
    """
    import time

    lesson = sorted((site / "content" / "lessons").glob("*/*.md"))[0]
    port = _free_port()
    log = (site / "serve.log").open("wb")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    server = subprocess.Popen([sys.executable, "-m", "pufa", "serve", "--port", str(port)], cwd=site, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + PREVIEW_TIMEOUT
        root = f"http://127.0.0.1:{port}/"
        while time.monotonic() < deadline and _fetch(root) is None:  # / redirects to the site's sub-path
            time.sleep(0.2)
        import urllib.request

        with urllib.request.urlopen(root, timeout=30) as response:  # noqa: S310
            base = response.url
        page = f"{base}lessons/{lesson.parent.name}/{lesson.stem}/"
        marker = f"预览测量：这一句是刚刚改的（{time.time_ns()}）。"  # new on every run, also of a kept county
        time.sleep(2.0)  # the watcher settles after the first build
        lesson.write_text(lesson.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        saved = time.monotonic()
        while time.monotonic() - saved < PREVIEW_TIMEOUT:
            if marker in (_fetch(page) or ""):
                return time.monotonic() - saved
            time.sleep(0.05)
        return None
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# -- what the output weighs --------------------------------------------------------------------

@dataclass(frozen=True)
class Sizes:
    largest: tuple[int, str]
    lesson_average: float
    lessons_index: int | None
    search_index: int | None  # Material's lunr index: what every reader downloads to search
    search_gzip: int | None
    pagefind: bool
    #: Pagefind, measured in Chromium: bytes a reader's first search fetches (the engine, then the index
    #: and the fragments of the results of :data:`QUERIES`[0]), the engine's share of them, and what the next query adds.
    per_query: tuple[int, int, int] | None = None


#: An everyday first query, and a next one.
QUERIES = ("未成年人", "拖欠工资")


def search_bytes(out: Path) -> tuple[int, int, int] | None:
    """What Pagefind's search fetches for a reader, in Debian's Chromium (None without it or Playwright).

    Bytes as the files are (a server's gzip would shrink the script and the entry file further; the index
    and fragments are compressed already). Nothing is fetched before the search box is used.
    """
    import functools
    import http.server
    import threading

    sys.path.insert(0, str(REPO / "tests"))  # Chromium found and started as the browser tests do it
    try:
        from conftest_browser import CHROMIUM_ARGS, chromium_executable
        from playwright.sync_api import sync_playwright
    except ImportError:  # pytest or Playwright not installed (make test installs them)
        return None
    finally:
        sys.path.remove(str(REPO / "tests"))
    if (executable := chromium_executable()) is None:
        return None

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: list[tuple[str, int]] = []

    def took(response: object) -> None:
        if "/pagefind/" in response.url:  # type: ignore[attr-defined]
            fetched.append((response.url, len(response.body())))  # type: ignore[attr-defined]

    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = browser.new_page(locale="zh-CN")
            page.on("response", took)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/lessons/", wait_until="networkidle")
            before = len(fetched)

            def settled() -> int:
                """Bytes fetched so far, once nothing more has come for a second (the engine fetches in a worker)."""
                count, still = -1, 0
                while still < 10:
                    page.wait_for_timeout(100)
                    count, still = len(fetched), (still + 1 if len(fetched) == count else 0)
                return sum(size for _, size in fetched)

            page.locator(".md-search__input").focus()
            engine = settled()
            totals = []
            for query in QUERIES:
                page.locator(".md-search__input").fill(query)
                page.locator(".pufa-search__list .md-search-result__item").first.wait_for(timeout=60_000)
                totals.append(settled())
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert before == 0, f"search data fetched before the search box was used: {fetched[:before]}"
    return totals[0], engine, totals[1] - totals[0]


def measure(out: Path) -> Sizes:
    pages = [(p.stat().st_size, p.relative_to(out).as_posix()) for p in out.rglob("*.html")]
    lesson_pages = [size for size, name in pages if re.fullmatch(r"lessons/[a-z]+/ke-\d+/index\.html", name)]
    index = out / "lessons" / "index.html"
    search = out / "search" / "search_index.json"
    data = search.read_bytes() if search.exists() else None
    return Sizes(
        max(pages),
        sum(lesson_pages) / max(len(lesson_pages), 1),
        index.stat().st_size if index.exists() else None,
        len(data) if data is not None else None,
        len(gzip.compress(data, 6)) if data is not None else None,
        (out / "pagefind").is_dir(),
        search_bytes(out) if (out / "pagefind").is_dir() else None,
    )


def _kib(size: float) -> str:
    return f"{size / 1024:,.1f} KB"


def _mib(size: float) -> str:
    return f"{size / 1024 / 1024:,.0f} MiB"


def _search(sizes: Sizes) -> str:
    if sizes.pagefind and sizes.per_query is None:
        return "未测（在 Chromium 中测量，需要 Chromium 和 Playwright：make test 会安装）"
    if sizes.per_query is not None:
        first, engine, then = sizes.per_query
        return (f"首次搜索（{QUERIES[0]}）{_kib(first)}，其中搜索引擎 {_kib(engine)}；再搜（{QUERIES[1]}）{_kib(then)}；"
                "不搜索不下载")
    if sizes.search_index is None:
        return "无"
    return f"{_kib(sizes.search_index)}（gzip {_kib(sizes.search_gzip or 0)}），每位读者首次访问即下载全部"


# -- profile -----------------------------------------------------------------------------------

_GROUPS = [("jieba", "jieba（分词）"), ("pypinyin", "pypinyin"), ("segno", "segno（二维码）"),
           ("markdown", "Python-Markdown"), ("pymdownx", "pymdown-extensions"), ("yaml", "PyYAML"),
           ("jinja2", "Jinja2"), ("material", "Material"), ("mkdocs", "MkDocs"), ("pydantic", "pydantic"),
           ("nh3", "nh3"), ("lunr", "lunr"), ("pufa", "pufa")]


def profile(site: Path, top: int) -> None:
    """cProfile of the pufa build: time by library (own time), then the top functions.

    cProfile's clock is the wall clock: timing by the process's CPU clock costs a system call
    per function call, five times the build itself. On a shared machine the seconds include
    other processes' turns, spread evenly enough that the shares still tell where time goes.
    """
    data = site / "build.prof"
    shutil.rmtree(site / ".cache", ignore_errors=True)  # a cold build: what a first build or a new pufa costs
    _run([sys.executable, "-m", "cProfile", "-o", str(data), "-m", "mkdocs", "build", "-q", "-d", "out"], site)
    stats = pstats.Stats(str(data))
    total = sum(entry[2] for entry in stats.stats.values())  # type: ignore[attr-defined]
    groups: dict[str, float] = {}
    for (filename, _, _), entry in stats.stats.items():  # type: ignore[attr-defined]
        parts = Path(filename).parts
        if filename.endswith(".html"):  # compiled template code carries the template's file name
            name = "模板（Jinja 编译后的代码）"
        elif "html" in parts and "parser.py" in parts:
            name = "html.parser（Material 搜索解析每页）"
        else:
            name = next((label for package, label in _GROUPS if package in parts), "其他（标准库、内置函数等）")
        groups[name] = groups.get(name, 0.0) + entry[2]
    print(f"\n## pufa 构建的 cProfile（自身耗时按库汇总，共 {total:.1f} 秒墙钟，含分析开销；请看占比）\n")
    print("| 库 | 秒 | 占比 |\n| --- | --- | --- |")
    for name, seconds in sorted(groups.items(), key=lambda entry: -entry[1]):
        print(f"| {name} | {seconds:.1f} | {seconds / total:.0%} |")
    print(f"\n## 累计耗时最多的 {top} 个函数\n")
    stats.sort_stats("cumulative").print_stats(top)
    print(f"## 自身耗时最多的 {top} 个函数\n")
    stats.sort_stats("tottime").print_stats(top)


# -- the table ---------------------------------------------------------------------------------

def _machine() -> str:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), "")
    return f"{platform.system()} {platform.machine()}，{os.cpu_count()} 核 {cpu}，Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description="基准县：pufa 与同一批 Markdown 的原版 Material 构建对比。")
    parser.add_argument("--scale", type=int, default=1, help="内容规模倍数（1 = 1000 课、120 个月、500 期节目）")
    parser.add_argument("--lessons", type=int, help="快速小规模运行：课程数（月份和节目按比例）")
    parser.add_argument("--no-double", action="store_true", help="不构建 2 倍内容（省一半时间，不测 2 倍规模）")
    parser.add_argument("--no-preview", action="store_true", help="不测预览（pufa serve）中改一课到页面显示的时间")
    parser.add_argument("--profile", action="store_true", help="另用 cProfile 分析一次 pufa 构建")
    parser.add_argument("--top", type=int, default=30, help="--profile 列出的函数个数（默认 30）")
    parser.add_argument("--keep", type=Path, help="把生成的站点留在这个目录（默认用完即删）")
    args = parser.parse_args()
    lessons = args.lessons or LESSONS * args.scale
    months, episodes = max(1, MONTHS * lessons // LESSONS), max(1, EPISODES * lessons // LESSONS)

    root = args.keep or Path(tempfile.mkdtemp(prefix="pufa-bench-"))
    try:
        print(f"基准县：{lessons} 课、{months} 个月、{episodes} 期节目（带时间码文字稿），构建日期 {TODAY}")
        print(f"机器：{_machine()}\n")
        pufa, bare = make_sites(root / "x1", lessons, months, episodes)
        bare_run = build(bare)
        pufa_run = build(pufa)
        warm = build(pufa)  # the same files again: nothing changed
        preview = None if args.no_preview else preview_latency(pufa)
        if not args.no_preview:
            print(f"  预览：改一课到页面显示 {'超时' if preview is None else f'{preview:.1f} 秒'}", file=sys.stderr, flush=True)
        pufa_sizes, bare_sizes = measure(pufa / "out"), measure(bare / "out")
        double = None
        if not args.no_double:
            pufa2, _ = make_sites(root / "x2", lessons * 2, months * 2, episodes * 2)
            double = (build(pufa2), measure(pufa2 / "out"))
            shutil.rmtree(root / "x2")
        _table(pufa_run, bare_run, warm, double, pufa_sizes, bare_sizes, lessons, preview, args.no_preview)
        if args.profile:
            profile(pufa, args.top)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


def _own(run: Run) -> str:
    """The build process's own peak, when a child (Pagefind) had the higher one."""
    if run.self_rss is None or run.self_rss >= run.max_rss:
        return ""
    return f"，其中构建进程自身 {_mib(run.self_rss)}，其余是 Pagefind 建索引的子进程"


def _table(pufa: Run, bare: Run, warm: Run, double: tuple[Run, Sizes] | None, sizes: Sizes, bare_sizes: Sizes,
           lessons: int, preview: float | None, no_preview: bool) -> None:
    shown = "未测（--no-preview）" if no_preview else "超时" if preview is None else f"{preview:.1f} 秒（墙钟）"
    two = f"{double[0].cpu / pufa.cpu:.2f}× 时间（{double[0].cpu:.1f} 秒 CPU）" if double else "未测（--no-double）"
    rows = [
        ("完整构建（CPU）", f"{pufa.cpu / bare.cpu:.2f}× 原版（{pufa.cpu:.1f} 秒，墙钟 {pufa.wall:.1f} 秒）",
         f"1.00×（{bare.cpu:.1f} 秒，墙钟 {bare.wall:.1f} 秒）"),
        ("峰值内存", f"{_mib(pufa.max_rss)}（{pufa.max_rss / bare.max_rss:.2f}× 原版{_own(pufa)}）", _mib(bare.max_rss)),
        ("2 倍内容", two, "–"),
        ("未改动时重新构建", f"{warm.cpu / pufa.cpu:.2f}× 冷构建（{warm.cpu:.1f} 秒）", "–"),
        ("预览：改一课到页面显示", shown, "–"),
        ("每次搜索下载", _search(sizes), _search(bare_sizes)),
        ("最大的页面", f"{_kib(sizes.largest[0])}（/{sizes.largest[1]}）",
         f"{_kib(bare_sizes.largest[0])}（/{bare_sizes.largest[1]}）"),
        ("课程页平均", _kib(sizes.lesson_average), _kib(bare_sizes.lesson_average)),
        ("/lessons/index.html", _kib(sizes.lessons_index) if sizes.lessons_index else "无", "–"),
    ]
    if double:
        d = double[1]
        rows.append((f"2 倍内容时（{lessons * 2} 课）", f"最大页 {_kib(d.largest[0])}（/{d.largest[1]}），课程页平均 "
                     f"{_kib(d.lesson_average)}，/lessons/index.html {_kib(d.lessons_index or 0)}"
                     + (f"，首次搜索 {_kib(d.per_query[0])}，再搜 {_kib(d.per_query[2])}" if d.per_query else ""), "–"))
    print("| 项目 | pufa | 原版 Material（同一批 Markdown） |\n| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
