"""``pufa new site``: a new county's site that builds with ``mkdocs build --strict`` from the first minute.

The starter files are package data (``pufa/starter/``), so a county needs nothing but the
installed package: no fork of the demo repository, nothing of the demo county to delete.
Files ending in ``.j2`` are Jinja templates. Every value the user typed reaches them only
through the ``yaml`` filter (PyYAML's own emitter, so a name holding ``: `` or ``#`` reads
back exactly) or the ``md`` filter (escaped Markdown text); never by string concatenation.
A name starting ``dot-`` is written as ``.``-file (setuptools' package-data globs skip hidden
files); ``__month__`` and ``__day__`` in a name become the month and the day the site is made.

The result is read back through the same loader and checks as ``pufa check`` before anything
is written, so ``pufa new site`` can never leave a site that does not build.
"""

from __future__ import annotations

import argparse
import html
import re
import shlex
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import jinja2
import yaml
from pydantic import TypeAdapter, ValidationError

from . import __version__, routes
from .channel import Owner, feed_guid
from .dates import build_today
from .errors import ContentErrors
from .pipeline import load_campaign
from .scaffold import ScaffoldError
from .scalars import unsafe_character
from .siteconfig import Site, load_site_config
from .validation import describe

STARTER = Path(__file__).resolve().parent / "starter"
TEMPLATE_SUFFIX = ".j2"
HIDDEN_PREFIX = "dot-"
EXECUTABLE_SUFFIXES = (".sh",)
#: Longest name we accept: these appear in page titles, the footer and the podcast's author line.
MAX_NAME = 60
#: County-level suffixes stripped for the short name: 青山县 -> 青山 (法治青山, 法治青山行).
COUNTY_SUFFIXES = ("自治县", "自治旗", "县", "区", "市", "旗")


class NewSiteError(ScaffoldError):
    """A value or target directory ``pufa new site`` refuses; each line names the option."""


@dataclass(frozen=True)
class Question:
    field: str
    option: str
    label: str
    prompt: str


QUESTIONS = (
    Question("county", "--county", "县名", "县名全称（如 青山县）"),
    Question("site_url", "--site-url", "网址", "网站的正式网址，可以带子路径（如 https://www.example.gov.cn/pufa/）"),
    Question("organizer", "--organizer", "主办单位", "主办单位（如 中共青山县委全面依法治县委员会办公室）"),
    Question("programme", "--programme", "栏目名称", "电台普法栏目的名称，不加书名号（如 青山说法）"),
    Question("email", "--email", "联系邮箱", "联系邮箱（显示在网站上，也是播客平台联系节目方的地址）"),
)


@dataclass(frozen=True)
class Answers:
    county: str
    site_url: str
    organizer: str
    programme: str
    email: str

    @property
    def county_short(self) -> str:
        for suffix in COUNTY_SUFFIXES:
            if self.county.endswith(suffix) and len(self.county) > len(suffix) + 1:
                return self.county.removesuffix(suffix)
        return self.county


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", metavar="目录", help="新网站的目录（不存在或为空）")
    for question in QUESTIONS:
        names = [question.option] + (["--organiser"] if question.field == "organizer" else [])
        parser.add_argument(*names, dest=question.field, help=question.prompt)


def _name(value: str) -> str | None:
    """Why ``value`` cannot name the county, organiser or programme, or None."""
    if not value:
        return "不能为空"
    if "\n" in value or "\r" in value:
        return "只能写一行"
    if (problem := unsafe_character(value)) is not None:
        return problem
    if len(value) > MAX_NAME:
        return f"太长了（{len(value)} 个字），请不超过 {MAX_NAME} 个字"
    return None


def _clean(field: str, value: str) -> str:
    value = value.strip()
    if field == "programme":
        value = value.removeprefix("《").removesuffix("》").strip()
    if field == "site_url" and value and not value.endswith("/"):
        value += "/"
    return value


#: ``site.yml``'s own rule for ``site_url``, so that an answer accepted here is never refused by `pufa check`.
_SITE_URL = TypeAdapter(Annotated[str, *Site.model_fields["site_url"].metadata])


def _problem(field: str, value: str) -> str | None:
    """Why one answer is refused, in Chinese; the same rules ``site_config/`` is checked by."""
    if field in ("county", "organizer", "programme"):
        return _name(value)
    if not value:
        return "不能为空"
    if field == "site_url":
        try:
            _SITE_URL.validate_python(value)
        except ValidationError:
            return (f"“{value}” 不是可用的网址：应以 http:// 或 https:// 开头，只含英文字母、数字和 . - _ ~ /，"
                    "如 https://www.example.gov.cn/pufa/")
        return None
    try:
        Owner.model_validate({"name": "某单位", "email": value})
    except ValidationError as exc:
        return f"“{value}” 不是邮箱地址：{describe(exc.errors()[0])}，如 pufa@example.gov.cn"
    return None


def ask(args: argparse.Namespace, interactive: bool) -> Answers:
    """Every answer, checked; asked for on a terminal, else refused all at once with what is missing or wrong."""
    values: dict[str, str] = {}
    problems: list[str] = []
    for question in QUESTIONS:
        given = getattr(args, question.field)
        value = _clean(question.field, given) if given is not None else None
        problem = _problem(question.field, value) if value is not None else None
        while interactive and (value is None or problem is not None):
            if problem is not None:
                print(f"{question.option}: {problem}", file=sys.stderr)
            try:
                value = _clean(question.field, input(f"{question.prompt}：\n> "))
            except EOFError:
                raise NewSiteError(f"{question.option}: 没有读到回答，未创建网站") from None
            except KeyboardInterrupt:
                print(file=sys.stderr)
                raise NewSiteError(f"{question.option}: 已取消，未创建网站") from None
            problem = _problem(question.field, value)
        if value is None:
            problems.append(f"{question.option}: 缺少{question.label}：请用此选项给出，或在终端中运行以逐项回答")
        elif problem is not None:
            problems.append(f"{question.option}: {problem}")
        else:
            values[question.field] = value
    if problems:
        raise NewSiteError("\n".join(problems))
    return Answers(**values)


def _site_data(answers: Answers) -> dict[str, object]:
    return {
        "county": answers.county, "county_short": answers.county_short, "title": f"法治{answers.county_short}",
        "campaign": f"法治{answers.county_short}行", "description": _description(answers),
        "site_url": answers.site_url, "organizer": answers.organizer,
        "programme": {"name": answers.programme},
    }


def _description(answers: Answers) -> str:
    return f"{answers.county}的普法网站：普法课程，“法治{answers.county_short}行”一月一主题，电台普法栏目《{answers.programme}》。"


def yaml_scalar(value: object) -> str:
    """One YAML value on one line, quoted exactly when it needs it (PyYAML decides, not us)."""
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_flow_style=True)
    text = text.removesuffix("\n").removesuffix("\n...")
    if "\n" in text:
        raise ValueError(f"not a one-line YAML value: {value!r}")
    return text


#: What Python-Markdown (with the starter's ``tables``) lets a backslash escape; ``<`` and ``&`` are HTML-escaped.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown_text(value: str) -> str:
    """Text shown as itself in Markdown: HTML escaped, Markdown's punctuation and 【】 (a law citation) neutralised."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(value, quote=False))
    return escaped.replace("【", "&#12304;").replace("】", "&#12305;")


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(STARTER), undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
        autoescape=False,  # every value passes |yaml or |md: the right escaping depends on the file, not on HTML
    )
    environment.filters["yaml"] = yaml_scalar
    environment.filters["md"] = markdown_text
    environment.filters["sh"] = shlex.quote
    environment.filters["cron"] = lambda value: shlex.quote(value).replace("%", "\\%")  # % ends a crontab command
    return environment


def render(answers: Answers, today: date, root: Path) -> dict[str, bytes]:
    """The new site's files (relative path -> content) for the directory ``root``.

    The scripts name the Python that made the site: the one that has pufa installed.
    """
    python = Path(sys.executable)
    values = {
        **_site_data(answers), "email": answers.email, "year": today.year,
        "day": today.isoformat(), "month": f"{today:%Y-%m}",
        "podcast_guid": feed_guid(answers.site_url + routes.podcast_feed()),
        "root": root.absolute().as_posix(), "python": python.as_posix(), "bin": python.parent.as_posix(),
        "version": __version__,
    }
    environment = _environment()
    files: dict[str, bytes] = {}
    for source in sorted(STARTER.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(STARTER).as_posix()
        target = "/".join("." + part.removeprefix(HIDDEN_PREFIX) if part.startswith(HIDDEN_PREFIX) else part
                          for part in relative.split("/"))
        target = target.replace("__month__", values["month"]).replace("__day__", values["day"])  # type: ignore[arg-type]
        if target.endswith(TEMPLATE_SUFFIX):
            text = environment.get_template(relative).render(values)
            files[target.removesuffix(TEMPLATE_SUFFIX)] = text.encode("utf-8")
        else:
            files[target] = source.read_bytes()
    return files


def _write(files: dict[str, bytes], root: Path) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if path.suffix in EXECUTABLE_SUFFIXES:
            path.chmod(0o755)


def _vet(files: dict[str, bytes]) -> None:
    """Load the new site as `pufa check` would, in a scratch directory: it must pass before it is written."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        _write(files, root)
        config, errors = load_site_config(root / "site_config", root)
        try:
            if config is None:
                raise ContentErrors(errors)
            load_campaign(root / "content", config)
        except ContentErrors as exc:
            raise NewSiteError("生成的网站没有通过检查，未创建：\n" + exc.report()) from None


def _target(directory: str) -> Path:
    path = Path(directory)
    if path.exists() and not path.is_dir():
        raise NewSiteError(f"{directory}: 已有同名文件：请换一个目录名")
    try:
        used = path.is_dir() and any(path.iterdir())
    except OSError as exc:
        raise NewSiteError(f"{directory}: 无法读取这个目录（{exc.strerror or exc}）：请换一个目录，或请管理员开放权限") from None
    if used:
        raise NewSiteError(f"{directory}: 目录不是空的，未作改动：请指定一个不存在的目录或空目录，pufa 不会覆盖已有文件")
    return path


def new_site(args: argparse.Namespace, interactive: bool | None = None) -> int:
    target = _target(args.directory)
    answers = ask(args, sys.stdin.isatty() if interactive is None else interactive)
    files = render(answers, build_today(), target)
    _vet(files)
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        _write(files, target)
    except OSError as exc:
        if created:
            shutil.rmtree(target, ignore_errors=True)
        raise NewSiteError(f"{args.directory}: 无法写入（{exc.strerror or exc}）：请检查路径、权限和磁盘空间") from None
    mkdocs = shlex.quote((Path(sys.executable).parent / "mkdocs").as_posix())
    print(f"已创建网站 {args.directory}（{answers.county}，法治{answers.county_short}）。接下来：")
    print(f"  cd {shlex.quote(args.directory)}")
    print(f"  {mkdocs} build --strict   # 构建到 site/；把 build --strict 换成 serve 可以实时预览")
    print("示例内容的标题和文件名都带“示例”，请参照 README.md 换成本县的内容。")
    return 0
