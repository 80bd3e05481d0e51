"""`mkdocs serve` with wrong content: the Chinese error list in the browser and the terminal, no hang.

A real development server on a free port of this machine, stopped at the end.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BIN, Site

LESSON = "content/lessons/xianfa/quanli.md"
#: A serve rebuild of the minisite takes seconds; a busy 2-core machine gets generous room.
PATIENCE = 180.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 60.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _until(what: str, probe, log: Path) -> object:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        try:
            if (found := probe()):
                return found
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"{what} 未在 {PATIENCE} 秒内出现；服务器输出：\n{log.read_text(encoding='utf-8')}")


@pytest.fixture
def served(minisite: Site, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``mkdocs serve`` on the minisite, with ``strict: true`` as every pufa site's ``mkdocs.yml`` has it."""
    minisite.write("mkdocs.yml", "strict: true\n" + minisite.read("mkdocs.yml"))
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=minisite.root,
                                   stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        _until("预览服务器", lambda: _get(base + "lessons/")[0] == 200, log)
        yield base, log
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_wrong_content_shows_its_errors_in_the_page_and_the_terminal(minisite: Site, served: tuple[str, Path]) -> None:
    base, log = served
    status, page = _get(base + "lessons/")
    epoch = int(re.search(r"livereload\((\d+),", page)[1])  # type: ignore[index]
    original = minisite.read(LESSON)
    minisite.write(LESSON, original.replace("topic: xianfa", "topic: 不存在的主题"))

    # The browser's live-reload poll answers (no hang): the page reloads ...
    newer = _until("重新加载信号", lambda: int(_get(f"{base}livereload/{epoch}/1")[1]) > epoch, log)
    assert newer
    # ... and shows the located Chinese error instead of the old page.
    status, page = _get(base + "lessons/")
    assert status == 500
    assert "内容有误，预览未更新" in page
    assert re.search(rf"{re.escape(LESSON)}:\d+: topic: ", page), page
    assert "livereload(" in page  # it reloads by itself once the file is fixed
    assert _get(base + "lessons/xianfa/quanli/")[0] == 500  # every page, not only the one open
    terminal = log.read_text(encoding="utf-8")
    assert re.search(rf"{re.escape(LESSON)}:\d+: topic: ", terminal)
    assert "Traceback" not in terminal

    minisite.write(LESSON, original)
    _until("修复后的页面", lambda: _get(base + "lessons/")[0] == 200, log)
    assert "内容有误" not in _get(base + "lessons/")[1]

    # A broken site configuration fails before the build proper (when MkDocs reloads its configuration).
    taxonomy = "site_config/taxonomy.yml"
    minisite.write(taxonomy, minisite.read(taxonomy).replace("  wugong: 务工人员\n", "  wugong: [务工人员\n"))
    _until("配置错误页", lambda: _get(base + "lessons/")[0] == 500, log)
    assert re.search(rf"{re.escape(taxonomy)}:\d+: ", _get(base + "lessons/")[1])
    assert "Traceback" not in log.read_text(encoding="utf-8")


def test_error_page_escapes_what_it_lists() -> None:
    from pufa.preview_errors import error_page

    page = error_page('content/a.md:3: title: 标题 “<script>alert(1)</script>” 太长\n共发现 1 处错误，请修改后重试。')
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert page.count("<li>") == 2


def test_an_edited_lesson_and_the_lists_that_show_it_change_in_the_same_rebuild(
        minisite: Site, served: tuple[str, Path]) -> None:
    base, log = served
    minisite.write(LESSON, minisite.read(LESSON).replace("title: 公民的基本权利", "title: 公民的基本权利预览改动"))
    _until("改动后的课程索引", lambda: "公民的基本权利预览改动" in _get(base + "lessons/")[1], log)
    # No second rebuild is awaited: the lesson's own page (its URL follows the title) and the topic's feed
    # are already right.
    index = _get(base + "lessons/")[1]
    href = re.search(r'href="([^"]+)"[^>]*>\s*公民的基本权利预览改动', index)
    assert href, index
    assert "公民的基本权利预览改动" in _get(urllib.parse.urljoin(base + "lessons/", href[1]))[1]
    assert "公民的基本权利预览改动" in _get(base + "lessons/xianfa/feed.xml")[1]
    # The search index follows in the background (the page did not wait for it), and is whole when it comes.
    _until("预览的站内搜索索引", lambda: log.read_text(encoding="utf-8").count("站内搜索索引已更新") >= 1
           and _get(base + "pagefind/pagefind-entry.json")[0] == 200, log)
    assert "预览的站内搜索索引未能更新" not in log.read_text(encoding="utf-8")
