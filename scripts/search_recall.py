#!/usr/bin/env python3
"""Search recall on the demo county: pufa's Pagefind search against Material's lunr search.

Builds the demo twice in one run: as it ships (Pagefind), and with Material's search plugin
and Material's own header and search box (the search pufa had before). Then, in headless
Chromium, asks both the same everyday queries through their real user interfaces (for
Material, its search worker exactly as its page set it up) and prints, per query: pages
each finds, the pages Material finds that pufa does not (split into pages that contain a
word of the query and pages that do not: Material also matches any word that merely
begins with one character of the query, such as 工作 for 工伤), and each one's first hits.

Usage: python scripts/search_recall.py [query ...]   (needs Debian's chromium and the test extras)
"""

from __future__ import annotations

import functools
import http.server
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUERIES = ["未成年人", "拖欠工资", "工伤", "宪法日", "高空抛物", "遗嘱", "校园欺凌", "12348", "宪"]
CHROMIUM = os.environ.get("PUFA_CHROMIUM") or shutil.which("chromium") or "chromium"
#: Material's search worker, as the page's own bundle started it, captured to ask it directly.
CAPTURE_WORKER = """(() => { const Original = window.Worker; window.Worker = function (...args) {
  const worker = new Original(...args); window.__worker = worker;
  window.__ready = new Promise((resolve) => worker.addEventListener("message", (e) => e.data.type === 1 && resolve()));
  return worker; }; })();"""
ASK_MATERIAL = """async (queries) => { await window.__ready; const worker = window.__worker, found = {};
  await new Promise((resolve) => setTimeout(resolve, 1000));  // the page's own first (empty) query
  for (const query of queries) {
    const reply = await new Promise((resolve) => { const listen = (e) => { if (e.data.type === 3) {
      worker.removeEventListener("message", listen); resolve(e.data); } };
      worker.addEventListener("message", listen); worker.postMessage({type: 2, data: query}); });
    found["q:" + query] = reply.data.items.map((item) => item[0].location.split("#")[0]); }
  return found; }"""


def build(config_text: str | None, out: Path) -> None:
    """Build the demo into ``out``; with ``config_text``, from that configuration beside mkdocs.yml."""
    config = REPO / "mkdocs.yml"
    if config_text is not None:
        config = REPO / ".search-recall.mkdocs.yml"
        config.write_text(config_text, encoding="utf-8")
    try:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
                       cwd=REPO, check=True, env=env)
    finally:
        if config_text is not None:
            config.unlink()


def material_config(custom_dir: Path) -> str:
    """mkdocs.yml as it was before Pagefind: Material's search plugin, header and search box."""
    import material

    templates = Path(material.__file__).parent / "templates" / "partials"
    (custom_dir / "partials").mkdir(parents=True)
    for name in ("header.html", "search.html"):
        shutil.copy(templates / name, custom_dir / "partials" / name)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"custom_dir: \S+", f"custom_dir: {custom_dir}", text)
    # After pufa, so that Material's index is written after pufa's step and kept.
    return text.replace("markdown_extensions:", "  - search:\n      lang: zh\n      separator: '[\\s\\u200b\\-]'\n"
                        "markdown_extensions:", 1)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def serve(root: Path) -> str:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def ask_pufa(page: object, base: str, queries: list[str]) -> dict[str, list[tuple[str, bool]]]:
    """Every result of each query as pufa-search.js shows it: (site-relative URL, partial match)."""
    found = {}
    page.goto(base)  # type: ignore[attr-defined]
    for query in queries:
        box = page.locator(".md-search__input")  # type: ignore[attr-defined]
        box.fill("")
        page.wait_for_function("!document.querySelector('.pufa-search__list').children.length")  # type: ignore[attr-defined]
        box.fill(query)
        page.wait_for_function(  # type: ignore[attr-defined]
            "q => { const s = document.querySelector('.md-search-result__meta').textContent;"
            " return !s.includes('正在搜索') && document.querySelector('.md-search__input').value === q"
            " && (s.includes('找到') || s.includes('没有找到')); }", arg=query)
        while page.locator(".pufa-search__more").is_visible():  # type: ignore[attr-defined]
            count = page.locator(".pufa-search__list .md-search-result__item").count()  # type: ignore[attr-defined]
            page.locator(".pufa-search__more").click()  # type: ignore[attr-defined]
            page.wait_for_function(  # type: ignore[attr-defined]
                "n => document.querySelectorAll('.pufa-search__list .md-search-result__item').length > n", arg=count)
        found[query] = page.evaluate(  # type: ignore[attr-defined]
            """base => { let partial = false; const out = [];
              for (const li of document.querySelectorAll('.pufa-search__list li')) {
                if (li.classList.contains('pufa-search__partial')) { partial = true; continue; }
                out.push([new URL(li.querySelector('a').href).pathname.slice(1), partial]); }
              return out; }""", base)
    return found


def query_words(query: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [word for word in jieba.cut_for_search(query) if len(word) > 1 or word == query]


def page_text(site: Path, url: str) -> str:
    from lxml import html

    path = site / url / "index.html"
    if not path.is_file():
        return ""
    root = html.fromstring(path.read_bytes())
    article = root.xpath('//article[contains(@class, "md-content__inner")]')
    return (article[0] if article else root).text_content()


def main() -> int:
    from playwright.sync_api import sync_playwright

    queries = sys.argv[1:] or QUERIES
    with tempfile.TemporaryDirectory(prefix="pufa-recall-") as temp:
        work = Path(temp)
        print("构建：pufa（Pagefind）…", file=sys.stderr)
        build(None, work / "pufa")
        print("构建：Material 的 search 插件…", file=sys.stderr)
        build(material_config(work / "material-theme"), work / "material")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            page = browser.new_page(locale="zh-CN")
            page.add_init_script(CAPTURE_WORKER)
            page.goto(serve(work / "material"))
            material = page.evaluate(ASK_MATERIAL, queries)
            page = browser.new_page(locale="zh-CN")
            pufa = ask_pufa(page, serve(work / "pufa"), queries)
            browser.close()
        report = []
        for query in queries:
            theirs = material[f"q:{query}"]
            ours = [url for url, _partial in pufa[query]]
            missing = [url for url in theirs if url not in ours]
            words = query_words(query)
            real = [url for url in missing if any(word in page_text(work / "pufa", url) for word in words)]
            report.append({
                "query": query,
                "material": len(theirs),
                "pufa": sum(1 for _url, partial in pufa[query] if not partial),
                "pufa_partial": sum(1 for _url, partial in pufa[query] if partial),
                "missed_with_query_words": real,
                "missed_without_query_words": len(missing) - len(real),
                "pufa_first": ours[:3],
                "material_first": theirs[:3],
            })
    print(json.dumps(report, ensure_ascii=False, indent=1))
    print("\n| 查询 | Material | pufa（另有部分匹配） | Material 找到而 pufa 未找到：含查询词 / 不含 | pufa 第一条 | Material 第一条 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in report:
        print(f"| {row['query']} | {row['material']} | {row['pufa']}（+{row['pufa_partial']}） | "
              f"{len(row['missed_with_query_words'])} / {row['missed_without_query_words']} | "
              f"{(row['pufa_first'] or ['—'])[0]} | {(row['material_first'] or ['—'])[0]} |")
    return 1 if any(row["missed_with_query_words"] for row in report) else 0


if __name__ == "__main__":
    sys.exit(main())
