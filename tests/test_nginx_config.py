"""`pufa nginx`: the policy and locations generated from a built site (no nginx needed; see test_nginx.py)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from pufa.cli import main
from pufa.nginx import NginxError, content_security_policy, nginx_config, scan

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script>var depth="..";</script>
<script id="__config" type="application/json">{"base": ".."}</script>
<script src="assets/pufa.js"></script>
</head><body><h1>宪法</h1>
<audio controls src="https://media.example.gov.cn/ep001.mp3"></audio>
<audio controls src="../audio/ep002.mp3"></audio>
<script>document.body.dataset.ready="是";</script>
</body></html>
"""


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _site(root: Path) -> Path:
    (root / "lessons").mkdir(parents=True)
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "lessons" / "index.html").write_text(PAGE.replace('".."', '"../.."'), encoding="utf-8")
    (root / "404.html").write_text(PAGE, encoding="utf-8")  # the same scripts: listed once
    return root


def test_policy_lists_each_distinct_inline_script_once(tmp_path: Path) -> None:
    code = scan(_site(tmp_path / "site"))
    assert code.scripts == tuple(sorted({sha('var depth="..";'), sha('var depth="../..";'),
                                         sha('document.body.dataset.ready="是";')}))
    assert code.styles == () and code.attributes == ()
    assert code.media_origins == ("https://media.example.gov.cn",)
    policy = content_security_policy(code)
    assert "'unsafe-inline'" not in policy and "'unsafe-hashes'" not in policy
    assert sha('{"base": ".."}') not in policy, "a JSON data block is not a script"
    assert "media-src 'self' https://media.example.gov.cn;" in policy


def test_inline_style_attributes_need_unsafe_hashes(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    (site / "index.html").write_text(PAGE.replace("<h1>", '<h1 style="color:red" onclick="go()">'), encoding="utf-8")
    policy = content_security_policy(scan(site))
    assert f"'unsafe-hashes' {sha('color:red')} {sha('go()')}" in policy or \
        f"'unsafe-hashes' {sha('go()')} {sha('color:red')}" in policy


def test_sub_path_locations(tmp_path: Path) -> None:
    config = nginx_config(_site(tmp_path / "site"), "https://www.example.gov.cn/pufa/", "/srv/www/pufa")
    assert "location = /pufa {" in config and "location ^~ /pufa/ {" in config
    assert "alias /srv/www/pufa/;" in config and "error_page 404 /pufa/404.html;" in config
    assert config.count("add_header Content-Security-Policy") == 5, "every location repeats every header"


def test_root_locations(tmp_path: Path) -> None:
    site = _site(tmp_path / "site")
    config = nginx_config(site, "https://pufa.example.gov.cn/")
    assert "location ^~ / {" in config and "location = " not in config
    assert f"alias {site.resolve()}/;" in config and "error_page 404 /404.html;" in config


@pytest.mark.parametrize("served_from", ["srv/www", "/srv/my site", '/srv/"x"', "/srv/a;b"])
def test_unsafe_server_paths_are_refused(tmp_path: Path, served_from: str) -> None:
    with pytest.raises(NginxError, match="网站目录"):
        nginx_config(_site(tmp_path / "site"), "https://pufa.example.gov.cn/", served_from)


def test_cli_reports_an_unbuilt_site_in_chinese(minisite, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["-f", str(minisite.root / "mkdocs.yml"), "nginx"]) == 1
    assert "没有构建好的网站" in capsys.readouterr().err


def test_scan_skips_pages_with_no_document(tmp_path: Path) -> None:
    """An empty or doctype-only page (left by hand in site/) must not stop `pufa nginx`."""
    (tmp_path / "empty.html").write_text("<!doctype html>", encoding="utf-8")
    (tmp_path / "blank.html").write_text("  \n", encoding="utf-8")
    (tmp_path / "page.html").write_text("<!doctype html><script>x()</script>", encoding="utf-8")
    assert len(scan(tmp_path).scripts) == 1
