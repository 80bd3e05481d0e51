"""`pufa new site`: a new county's site that checks and builds at once, from the package alone.

The in-process tests cover the answers (options or a terminal), their escaping and every
refusal. The package tests follow docs/deploy.md's "从零开始" on a machine that has only
the package: build the wheel, install it into a fresh virtual environment outside the
repository, `pufa new site`, build, then publish with the site's own deploy/publish.sh
(`pufa nginx`, rsync, nginx -t, reload) to a running nginx. The venv borrows the test venv's
dependencies (offline, fast), never its editable pufa, and runs `python -m mkdocs` for want of
the `mkdocs` script the dependencies' own installation would have written.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser
import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BIN, REPO, Result, Site, run
from corpus import LESSON as MINISITE_LESSON, Case, check_case
from conftest_browser import unavailable
from pufa.cli import main as pufa_main
from pufa.newsite import QUESTIONS, STARTER, markdown_text, yaml_scalar
from pufa.siteconfig import load_site_config
from test_nginx import MIME_TYPES, SERVER_CONF, Response, _start, fetch, free_port, nginx_executable

ANSWERS = {
    "--county": "青山县",
    "--site-url": "https://www.qingshan.example.org/fazhi/",
    "--organizer": "中共青山县委全面依法治县委员会办公室",
    "--programme": "青山说法",
    "--email": "pufa@qingshan.example.org",
}
#: Nothing of the demo county may reach a new county's files.
DEMO_TRACES = ("安澜", "见事说法")
LESSON = "lessons/xianfa/shili-guojia-xianfa-ri/"


class Terminal(io.StringIO):
    """Typed answers, one a line, on what looks like a terminal."""

    def isatty(self) -> bool:
        return True


def options(**changed: str | None) -> list[str]:
    """The answers as options; ``county=None`` leaves ``--county`` out, ``county="x"`` changes it."""
    values = {**ANSWERS, **{f"--{key.replace('_', '-')}": value for key, value in changed.items()}}
    return [part for option, value in values.items() if value is not None for part in (option, value)]


def new_site(directory: Path, args: list[str], capsys: pytest.CaptureFixture[str],
             monkeypatch: pytest.MonkeyPatch, typed: str | None = None) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", Terminal(typed) if typed is not None else io.StringIO(""))
    code = pufa_main(["new", "site", str(directory), *args])
    out, err = capsys.readouterr()
    return code, out, err


def text_files(root: Path) -> dict[str, str]:
    """Every text file; pagefind/ holds compressed copies of the pages' own text (read as the pages)."""
    return {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8") for path in root.rglob("*")
            if path.is_file() and path.suffix not in (".png", ".mp3", ".gz")
            and "pagefind" not in path.relative_to(root).parts}


def test_a_new_site_passes_check_with_one_example_of_each_kind(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "qingshan"
    code, out, err = new_site(root, options(), capsys, monkeypatch)
    assert (code, err) == (0, ""), err
    assert "已创建网站" in out
    assert pufa_main(["-f", str(root / "mkdocs.yml"), "check"]) == 0
    checked = capsys.readouterr().out
    for kind in ("课程", "每月主题", "节目", "活动"):
        assert f"{kind} 1 项" in checked, checked
    config, errors = load_site_config(root / "site_config", root)
    assert errors == [] and config is not None
    assert (config.site.county, config.site.county_short, config.site.title) == ("青山县", "青山", "法治青山")
    assert config.site.programme.name == "青山说法" and config.site.contact.email == ANSWERS["--email"]
    assert config.laws is not None and config.laws.laws == {}, "laws.yml starts empty, ready for the county's own"
    assert config.taxonomy.departments["tuanxianwei"] == "共青团青山县委员会"
    assert len(config.taxonomy.venues) == 7, "法律七进"
    files = text_files(root)
    assert {"README.md", ".gitignore", ".gitlab-ci.yml", "deploy/build.sh", "deploy/publish.sh",
            "deploy/crontab"} <= set(files)
    for script in ("deploy/build.sh", "deploy/publish.sh"):
        assert os.access(root / script, os.X_OK), script
        assert run(["sh", "-n", script], root).returncode == 0, script
    assert f"{root}/deploy/publish.sh" in files["deploy/crontab"].splitlines()[-1]
    # The theme comes from the package: mkdocs.yml names no path into pufa's installation.
    assert "site-packages" not in files["mkdocs.yml"] and "\n  custom_dir" not in files["mkdocs.yml"]
    assert {path: word for path, text in files.items() for word in DEMO_TRACES if word in text} == {}


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: ``!!python/name:x`` read as the text ``x``."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)


def test_the_new_sites_mkdocs_yml_configures_mkdocs_as_the_demo_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """One place to change MkDocs' setup would be better; until then, a change to the demo's mkdocs.yml
    (plugins, Markdown extensions, theme) must be made in src/pufa/starter/mkdocs.yml.j2 as well."""
    assert new_site(tmp_path / "site", options(), capsys, monkeypatch)[0] == 0
    new, demo = (yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), _ConfigLoader)
                 for root in (tmp_path / "site", REPO))
    demo["theme"].pop("custom_dir", None)  # the demo county's own overrides; a new site has none yet
    for key in ("plugins", "markdown_extensions", "theme", "extra", "docs_dir", "site_dir", "strict"):
        assert new.get(key) == demo.get(key), f"{key}: src/pufa/starter/mkdocs.yml.j2 differs from mkdocs.yml"


HOSTILE = {
    "county": "白云: #县",
    "organizer": "青山\"普法\"办 {{ x }} [y] & <b>粗</b> 'q' 【宪法第一条】",
    "programme": "*青山*_说法_ `x` # 1",
}


def test_every_typed_value_reads_back_exactly(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site"
    code, _out, err = new_site(root, options(**HOSTILE), capsys, monkeypatch)
    assert (code, err) == (0, ""), err
    config, errors = load_site_config(root / "site_config", root)
    assert errors == [] and config is not None and config.podcast is not None
    assert (config.site.county, config.site.organizer, config.site.programme.name) == tuple(HOSTILE.values())
    assert (config.podcast.title, config.podcast.author) == (HOSTILE["programme"], HOSTILE["organizer"])
    assert config.taxonomy.departments["tuanxianwei"] == f"共青团{HOSTILE['county']}委员会"
    assert pufa_main(["-f", str(root / "mkdocs.yml"), "check"]) == 0


@pytest.mark.parametrize("value", [*HOSTILE.values(), "a\\b", "1.", "- x", "+ y", "> z", "!x", "|a|b|", "&amp;"])
def test_markdown_text_shows_as_itself(value: str) -> None:
    html = markdown.markdown(f"前{markdown_text(value)}后", extensions=["tables", "abbr", "attr_list"])
    assert BeautifulSoup(html, "html.parser").get_text() == f"前{value}后"


@pytest.mark.parametrize("value", [*HOSTILE.values(), "yes", "123", "null", "- a", "a: b", "'", "@x", "%y", "!z"])
def test_yaml_scalar_reads_back_as_the_same_text(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(value)}") == {"key": value}


@pytest.mark.parametrize(("changed", "phrase"), [
    ({"site_url": "ftp://www.example.gov.cn/"}, "--site-url: “ftp://www.example.gov.cn/” 不是可用的网址"),
    ({"site_url": "www.example.gov.cn"}, "--site-url: “www.example.gov.cn/” 不是可用的网址"),
    ({"site_url": "https://青山.cn/"}, "不是可用的网址：应以 http:// 或 https:// 开头"),
    ({"county": "  "}, "--county: 不能为空"),
    ({"organizer": ""}, "--organizer: 不能为空"),
    ({"programme": "《》"}, "--programme: 不能为空"),
    ({"county": "青山\n县"}, "--county: 只能写一行"),
    ({"organizer": "青山\u202e办"}, "--organizer: 含有改变文字方向的控制字符 U+202E"),
    ({"programme": "说" * 61}, "--programme: 太长了（61 个字）"),
    ({"email": "pufa.qingshan"}, "--email: “pufa.qingshan” 不是邮箱地址"),
    ({"county": None, "email": None}, "--county: 缺少县名：请用此选项给出，或在终端中运行以逐项回答"),
])
def test_a_bad_answer_is_refused_in_chinese_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        changed: dict[str, str | None], phrase: str) -> None:
    root = tmp_path / "site"
    code, out, err = new_site(root, options(**changed), capsys, monkeypatch)
    assert code == 1 and phrase in err, err
    assert "Traceback" not in out + err and not root.exists()
    # All problems at once: each changed option has its own line.
    assert {line.split(":")[0].removeprefix("错误：") for line in err.splitlines()} == {
        f"--{key.replace('_', '-')}" for key in changed}


def test_a_directory_in_use_is_left_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.md").write_text("我的笔记", encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for name, phrase in (("used", "目录不是空的，未作改动"), ("file", "已有同名文件")):
        code, out, err = new_site(tmp_path / name, options(), capsys, monkeypatch)
        assert code == 1 and f"错误：{tmp_path / name}: {phrase}" in err, err
    assert [path.name for path in (tmp_path / "used").iterdir()] == ["notes.md"]
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"
    (tmp_path / "empty").mkdir()
    assert new_site(tmp_path / "empty", options(), capsys, monkeypatch)[0] == 0, "an empty directory may be used"


def test_on_a_terminal_each_missing_answer_is_asked_until_it_is_usable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site"
    typed = "青山县\nftp://x\nhttps://fazhi.qingshan.example.org\n青山县普法办\n《青山说法》\npufa@qingshan.example.org\n"
    code, out, err = new_site(root, [], capsys, monkeypatch, typed)
    assert code == 0, err
    for question in QUESTIONS:
        assert question.prompt in out
    assert "--site-url: “ftp://x/” 不是可用的网址" in err
    config, _errors = load_site_config(root / "site_config", root)
    assert config is not None
    assert config.site.site_url == "https://fazhi.qingshan.example.org/" and config.site.programme.name == "青山说法"


def test_a_terminal_that_closes_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, _out, err = new_site(tmp_path / "site", [], capsys, monkeypatch, "青山县\n")
    assert code == 1 and "错误：--site-url: 没有读到回答，未创建网站" in err
    assert not (tmp_path / "site").exists()


def test_ctrl_c_at_a_question_creates_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(prompt: str) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("builtins.input", interrupted)
    code, _out, err = new_site(tmp_path / "site", options(email=None), capsys, monkeypatch, "")
    assert code == 1 and "错误：--email: 已取消，未创建网站" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()


def test_the_guide_uses_the_options_the_command_takes() -> None:
    guide = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    start = guide[guide.index("从零开始"):]
    for question in QUESTIONS:
        assert question.option in start, question.option
    for command in ("pufa new site", "mkdocs build --strict", "pufa nginx", "deploy/publish.sh", "crontab"):
        assert command in start, command


# A new site's first mistakes, in the bad-input corpus ----------------------------------------------------------

#: The starter's laws.yml as `pufa new site` writes it: comments, an example, and ``laws: {}``.
STARTER_LAWS = (STARTER / "site_config" / "laws.yml").read_text(encoding="utf-8")
#: The editor uncomments the example but keeps the empty ``laws: {}`` below it.
UNCOMMENTED_LAWS = "".join(line.removeprefix("# ") if line.startswith("# laws:") or line.startswith("#  ") else line
                           for line in STARTER_LAWS.splitlines(keepends=True))

CASES = [
    Case("newsite-laws-left-empty", {"site_config/laws.yml": STARTER_LAWS.replace("laws: {}", "laws:")},
         "site_config/laws.yml", STARTER_LAWS.splitlines().index("laws: {}") + 1, "laws", "应为“键: 值”形式的映射"),
    Case("newsite-example-uncommented-above-the-empty-laws", {"site_config/laws.yml": UNCOMMENTED_LAWS},
         "site_config/laws.yml", UNCOMMENTED_LAWS.splitlines().index("laws: {}") + 1, "laws", "字段重复出现"),
    Case("newsite-citation-before-any-law-is-entered", {"site_config/laws.yml": STARTER_LAWS}, MINISITE_LESSON, 18,
         "正文", "未知的法律 “宪法”：引用的法律须先写入 site_config/laws.yml（其中还没有任何法律，请按文件开头的示例录入）",
         replace={MINISITE_LESSON: ("宪法是国家的根本法。", "宪法是国家的根本法，见【宪法第五条】。")}),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_new_sites_first_mistakes_are_located(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


def test_the_uncommented_example_is_a_valid_laws_file(minisite: Site, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The example in the starter's laws.yml is a working entry once uncommented (and the empty one removed)."""
    minisite.write("site_config/laws.yml", UNCOMMENTED_LAWS.replace("laws: {}\n", ""))
    monkeypatch.chdir(minisite.root)
    assert pufa_main(["check"]) == 0, capsys.readouterr().err
    config, _errors = load_site_config(minisite.root / "site_config", minisite.root)
    assert config is not None and config.laws is not None and list(config.laws.laws["xianfa"].articles) == ["33"]


# The package alone ---------------------------------------------------------------------------------------------


@dataclass
class FromPackage:
    venv: Path
    site: Path  # the directory `pufa new site` made
    site_url: str
    port: int

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return _run_isolated(list(args), self.site, env)


def _run_isolated(args: list[str], cwd: Path, extra: dict[str, str] | None = None) -> Result:
    """No PYTHONPATH, no user site, no active virtual environment: only what the new venv has."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**env, "PYTHONNOUSERSITE": "1", "NO_MKDOCS_2_WARNING": "1", **(extra or {})})
    return Result(done.returncode, done.stdout, done.stderr)


def _package_sources(target: Path) -> Path:
    """What the package is built from, copied away from the repository (no build/ written into it)."""
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, target / name)
    shutil.copytree(REPO / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return target


@pytest.fixture(scope="module")
def from_package(tmp_path_factory: pytest.TempPathFactory) -> FromPackage:
    work = tmp_path_factory.mktemp("package")
    assert not work.resolve().is_relative_to(REPO), "the package must work away from the repository"
    (work / "sources").mkdir()
    sources = _package_sources(work / "sources")
    built = run([str(BIN / "python"), "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(sources)],
                work)
    assert built.returncode == 0, built.output
    wheel = next((work / "dist").glob("pufa-*.whl"))
    # A fresh venv; pufa from the wheel alone. Its dependencies are borrowed from the test venv (offline and fast)
    # through a plain path, which does not run that venv's .pth files: its editable pufa cannot be imported.
    venv = work / "venv"
    assert run([str(BIN / "python"), "-m", "venv", "--without-pip", str(venv)], work).returncode == 0
    installed = run([str(BIN / "python"), "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
                     "--no-deps", "--no-index", str(wheel)], work)
    assert installed.returncode == 0, installed.output
    purelib = _run_isolated([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            work).stdout.strip()
    Path(purelib, "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    where = _run_isolated([str(venv / "bin" / "python"), "-c", "import pufa.paths; print(pufa.paths.THEME_DIR)"], work)
    assert where.returncode == 0 and Path(where.stdout.strip()).is_relative_to(venv), where.output

    port = free_port()
    site_url = f"http://127.0.0.1:{port}/fazhi/"
    made = _run_isolated([str(venv / "bin" / "pufa"), "new", "site", "法治青山", *options(site_url=site_url)], work)
    assert made.returncode == 0, made.output
    return FromPackage(venv, work / "法治青山", site_url, port)


def test_a_new_site_builds_from_the_package_alone(from_package: FromPackage) -> None:
    # deploy/build.sh is the daily rebuild: `mkdocs build --strict` with the Python that made the site.
    built = from_package.run("sh", "deploy/build.sh")
    assert built.returncode == 0, built.output
    out = from_package.site / "site"
    assert "法治青山" in (out / "index.html").read_text(encoding="utf-8")
    assert "示例课程：国家宪法日" in (out / LESSON / "index.html").read_text(encoding="utf-8")
    for feed in ("feed.xml", "radio/feed.xml"):
        parsed = feedparser.parse((out / feed).read_bytes())
        assert not parsed.bozo and parsed.entries, feed
    assert from_package.site_url + LESSON in {entry.link for entry in feedparser.parse((out / "feed.xml").read_bytes()).entries}
    episode = feedparser.parse((out / "radio" / "feed.xml").read_bytes()).entries[0]
    assert episode.enclosures[0].href == from_package.site_url + "radio/ep001.mp3"
    assert {path: word for path, text in text_files(out).items() for word in DEMO_TRACES if word in text} == {}


@dataclass
class Published:
    url: str
    web_root: Path  # WEB_ROOT of deploy/publish.sh
    snippet: Path  # NGINX_SNIPPET
    publish: Callable[[], Result]  # one run of deploy/publish.sh, as the daily cron job runs it
    master: int  # nginx's master process


@pytest.fixture(scope="module")
def published(from_package: FromPackage) -> Iterator[Published]:
    """docs/deploy.md's steps after `pufa new site`, done by the site's own deploy/publish.sh against a running
    nginx whose server includes the (still empty) snippet: build, `pufa nginx`, rsync to the web root, test, reload."""
    nginx = nginx_executable()
    if nginx is None or not MIME_TYPES.is_file():
        unavailable("nginx not found (/usr/sbin/nginx)", "apt-get install nginx")
    if shutil.which("rsync") is None:
        unavailable("rsync not found", "apt-get install rsync")
    # The web server's workers run as another user (when started as root): the web root must be world-readable.
    web_root = Path(tempfile.mkdtemp(prefix="pufa-www-"))
    web_root.chmod(0o755)
    run_dir = from_package.site.parent / "nginx"
    run_dir.mkdir()
    snippet = run_dir / "pufa.conf"
    snippet.write_text("", encoding="utf-8")
    shutil.copy(MIME_TYPES, run_dir / "mime.types")
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    (run_dir / "nginx.conf").write_text(SERVER_CONF.format(user=user, run=run_dir, port=from_package.port),
                                        encoding="utf-8")
    control = f"{nginx} -p {run_dir} -c {run_dir / 'nginx.conf'}"
    env = {"WEB_ROOT": str(web_root / "fazhi"), "NGINX_SNIPPET": str(snippet), "NGINX_TEST": f"{control} -t -q",
           "NGINX_RELOAD": f"{control} -s reload"}
    try:
        process = _start(nginx, run_dir, from_package.port)
        try:
            yield Published(from_package.site_url, web_root / "fazhi", snippet,
                            lambda: from_package.run("sh", "deploy/publish.sh", env=env), process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(web_root, ignore_errors=True)


def _until_served(published: Published) -> Response:
    """nginx answers from its old workers for a moment after a reload (longer on a loaded machine):
    wait until the new configuration serves the site and no old worker is left to answer."""
    deadline, in_a_row = time.monotonic() + 60, 0
    while in_a_row < 20 and time.monotonic() < deadline:  # 20 answers in a row from the new configuration
        response = fetch(published.url)
        in_a_row = in_a_row + 1 if response.status == 200 and not _old_workers(published.master) else 0
        time.sleep(0.05)
    return response


def _old_workers(master: int) -> list[int]:
    """The master's workers still finishing with the previous configuration."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):  # not a process, or it ended meanwhile
            continue
        if parent == master and "worker process is shutting down" in title:
            found.append(int(entry.name))
    return found


def test_a_new_site_is_published_by_its_own_script_with_the_documented_nginx_configuration(
        published: Published) -> None:
    assert fetch(published.url).status != 200, "nothing is served before the first publication"
    first = published.publish()
    assert first.returncode == 0, first.output
    assert published.snippet.read_text(encoding="utf-8").startswith("#"), "the snippet is pufa nginx's configuration"
    assert _until_served(published).status == 200
    for path, content_type in (("", "text/html"), (LESSON, "text/html"), ("feed.xml", "application/rss+xml"),
                               ("radio/feed.xml", "application/rss+xml")):
        response = fetch(published.url + path)
        assert response.status == 200, path
        assert response.header("Content-Type") == f"{content_type}; charset=utf-8", path
        served = published.web_root / (path + "index.html" if path.endswith("/") or not path else path)
        assert response.body == served.read_bytes(), path
    assert fetch(published.url + "no/such/page/").status == 404
    audio = fetch(published.url + "radio/ep001.mp3", Range="bytes=0-99")
    assert audio.status == 206 and len(audio.body) == 100
    assert stat.S_IMODE((published.web_root / "index.html").stat().st_mode) == 0o644
