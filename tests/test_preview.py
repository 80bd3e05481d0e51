"""`pufa serve` / `make serve`: a port option, a busy port said in Chinese, the site's sub-path (issue 11, item 5)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import BIN, Site, run
from pufa import preview
from pufa.cli import main

SUB_PATH_URL = "https://test.example.gov.cn/pufa/"


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port the OS chose, held by a listening socket for the whole test."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _under_sub_path(site: Site) -> None:
    site.write("site_config/site.yml", site.read("site_config/site.yml").replace(
        "site_url: https://test.example.gov.cn/", f"site_url: {SUB_PATH_URL}"))


def test_a_busy_port_is_said_in_chinese_before_building(minisite: Site, busy_port: int,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    started = time.process_time()
    code = main(["-f", str(minisite.root / "mkdocs.yml"), "serve", "--port", str(busy_port)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"错误：端口 {busy_port} 已被占用"), err
    assert f"make serve PORT={busy_port + 1}" in err and "Traceback" not in err
    assert time.process_time() - started < 2  # refused before MkDocs builds anything


def test_a_port_taken_after_the_check_is_caught(minisite: Site, busy_port: int, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Another program may take the port while the site builds: MkDocs' OSError becomes the same message."""
    monkeypatch.setattr(preview, "port_problem", lambda host, port: None)  # both checks: before building, and on_serve
    code = main(["-f", str(minisite.root / "mkdocs.yml"), "serve", "--port", str(busy_port)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"错误：端口 {busy_port} 已被占用" in err and "Traceback" not in err and "OSError" not in err


def test_mkdocs_serve_on_a_busy_port_says_so_too(minisite: Site, busy_port: int) -> None:
    """Plain `mkdocs serve` (with live reload, as editors run it): the plugin checks before MkDocs binds."""
    result = run([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{busy_port}"], minisite.root)
    assert result.returncode == 1
    assert f"端口 {busy_port} 已被占用" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("port", ["0", "65536", "八千", "-1"])
def test_a_bad_port_is_a_usage_error(minisite: Site, port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["-f", str(minisite.root / "mkdocs.yml"), "serve", "--port", port])
    assert exit_.value.code == 2
    assert "端口应是 1 到 65535 之间的整数" in capsys.readouterr().err


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    return connection.getresponse()


def test_the_preview_serves_the_site_under_its_sub_path(minisite: Site, tmp_path: Path) -> None:
    """… with ``strict: true``, as every pufa site has it (MkDocs' warning that a dirty build may be stale
    once stopped the preview there), following edits of the county's theme overrides (``custom_dir``); and, told to stop as a closed terminal or ``kill`` does (SIGTERM),
    stops as on Ctrl+C: the site it built in the temporary folder is removed (Ctrl+C: test_preview_errors)."""
    _under_sub_path(minisite)
    minisite.write("mkdocs.yml", "strict: true\n" + minisite.read("mkdocs.yml").replace(  # as every pufa site has
        "theme:\n", "theme:\n  custom_dir: themes\n", 1))  # and the county's overrides, like the demo's
    minisite.write("themes/assets/county.css", "/* 第一版 */\n")
    port = _free_port()
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = subprocess.Popen([str(BIN / "pufa"), "serve", "--port", str(port)], cwd=minisite.root,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporary)})
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                home = _get(port, "/pufa/")
                break
            except OSError:  # still building: MkDocs listens once the first build is done
                assert time.monotonic() < deadline, "the preview did not start"
                time.sleep(0.5)
        assert home.status == 200
        page = home.read().decode("utf-8")
        assert 'class="pufa-home"' in page and "法治示例" in page
        assert _get(port, "/pufa/assets/pufa.css").status == 200  # the page's relative links work there
        lesson = _get(port, "/pufa/lessons/xianfa/guojia-xianfa-ri/")
        assert lesson.status == 200 and "国家宪法日" in lesson.read().decode("utf-8")
        assert _get(port, "/lessons/xianfa/guojia-xianfa-ri/").status == 404  # nothing at the root
        root = _get(port, "/")
        assert root.status == 302 and root.getheader("Location") == "/pufa/"
        assert [path.name[:len("mkdocs_")] for path in temporary.iterdir()] == ["mkdocs_"]  # the site it serves
        # An edited override of the county's theme is in the preview after the rebuild it starts.
        assert _get(port, "/pufa/assets/county.css").read() == "/* 第一版 */\n".encode()
        minisite.write("themes/assets/county.css", "/* 第二版 */\n")
        while _get(port, "/pufa/assets/county.css").read() != "/* 第二版 */\n".encode():
            assert server.poll() is None and time.monotonic() < deadline + 120, "the edited theme file was not shown"
            time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output = server.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0]
    assert f"Serving on http://127.0.0.1:{port}/pufa/" in output
    assert "Traceback" not in output
    assert server.returncode == 0 and not list(temporary.iterdir()), output
