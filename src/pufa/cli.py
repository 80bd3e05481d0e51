"""The ``pufa`` command: check content and scaffold new files, in Chinese.

Every failure the user can cause ends in a Chinese message and exit status 1
(2 for usage errors), never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import __version__
from .campaign import Campaign
from .checks import campaign_warnings
from .kinds import KINDS, by_name
from .kinds.base import Kind, LoadContext
from .pipeline import load, load_campaign
from .nginx import NginxError, nginx_config
from .newsite import add_arguments as add_new_site_arguments, new_site
from .errors import ContentError, ContentErrors, ErrorCollector
from .paths import display_path
from .preview import DEFAULT_HOST, DEFAULT_PORT, PreviewError, serve
from .project import Project, ProjectError
from .search import material_search_warnings
from .report import report_csv
from .scaffold import Scaffold, ScaffoldError
from .site import generated_pages
from .sources import read_source
from .validation import validate
from .siteconfig import SiteConfig, load_site_config


class OutputError(Exception):
    """A file the command was asked to write cannot be written; the message names it."""


def write_output(path: Path, data: bytes, shown: str, *, new: bool = False) -> None:
    """Write ``data`` to ``path`` or explain in Chinese why not.

    ``new`` refuses an existing file (``pufa new`` never overwrites an editor's work)
    without the race of testing first. A write that fails half way leaves no partial
    file behind that we created.
    """
    if path.is_dir():
        raise OutputError(f"{shown}: 这是一个目录：请在目录后写出文件名")
    created = new or not path.exists()
    try:
        with path.open("xb" if new else "wb") as stream:
            stream.write(data)
    except OSError as exc:
        if created and not isinstance(exc, FileExistsError) and path.is_file():
            path.unlink(missing_ok=True)
        raise OutputError(f"{shown}: {_why(exc, path)}") from None


def _why(exc: OSError, path: Path) -> str:
    if isinstance(exc, FileExistsError):
        return "文件已存在，未作改动：请换一个标题、slug 或期号"
    if isinstance(exc, FileNotFoundError):
        return f"目录 {path.parent.as_posix()} 不存在：请先创建它，或换一个位置"
    if isinstance(exc, NotADirectoryError):
        return "路径中有一段是文件而不是目录：请检查路径"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录：请写出文件名"
    if isinstance(exc, PermissionError):
        return "没有写入权限：请换一个位置，或请管理员开放权限"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "磁盘空间已满，文件没有写完：请清理磁盘后重试"
    if exc.errno == errno.EROFS:
        return "所在磁盘是只读的：请换一个位置"
    return f"无法写入（系统错误 {exc.errno}）：请检查路径和磁盘"


#: argparse's messages (its gettext templates) -> ours; ``{name}`` takes the value at ``%(name)s``,
#: ``{_0}`` the first bare ``%s``. Anything argparse says reaches the user through :meth:`ChineseParser.error`.
USAGE_ERRORS = {
    "argument %(argument_name)s: %(message)s": "参数 {argument_name}：{message}",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有 {value} 这一项，可选：{choices}",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有 {parser_name} 这一项，可选：{choices}",
    "the following arguments are required: %s": "缺少必填的参数：{_0}",
    "one of the arguments %s is required": "参数 {_0} 至少要填一个",
    "unrecognized arguments: %s": "不认识的参数：{_0}，请用 -h 查看用法",
    "expected one argument": "后面要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "expected %s argument": "后面要跟 {_0} 个值",
    "expected %s arguments": "后面要跟 {_0} 个值",
    "invalid %(type)s value: %(value)r": "{value} 不是{type}",
    "ambiguous option: %(option)s could match %(matches)s": "选项 {option} 不明确，可能是 {matches}，请写全",
    "not allowed with argument %s": "不能与 {_0} 同时使用",
    "ignored explicit argument %r": "此选项后面不能跟值 {_0}",
    "unexpected option string: %s": "不认识的选项 {_0}",
}
_TYPE_NAMES = {"int": "整数", "float": "数字"}


def _compile(template: str) -> re.Pattern[str]:
    pattern, position, bare = "", 0, 0
    for match in re.finditer(r"%\((\w+)\)[sr]|%[sr]", template):
        name = match.group(1)
        if name is None:
            name, bare = f"_{bare}", bare + 1
        pattern += re.escape(template[position:match.start()]) + f"(?P<{name}>.*?)"
        position = match.end()
    return re.compile(pattern + re.escape(template[position:]), re.S)


_USAGE_PATTERNS = [(_compile(english), chinese) for english, chinese in USAGE_ERRORS.items()]


def translate_usage_error(message: str) -> str:
    """argparse builds its messages with gettext, which has no Chinese catalogue for it; we read
    the English back into its template's values and say it in Chinese."""
    for pattern, chinese in _USAGE_PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            values = match.groupdict()
            if "message" in values:
                values["message"] = translate_usage_error(values["message"])
            if "type" in values:
                values["type"] = _TYPE_NAMES.get(values["type"], "有效的值")
            return chinese.format(**values)
    return message


class ChineseParser(argparse.ArgumentParser):
    """argparse with Chinese section titles and error lines."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "用法：", 1)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 错误：{translate_usage_error(message)}\n")


def _parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog="pufa", description="普法网站工具：检查内容、生成新内容文件、预览网站。")
    parser.add_argument("--version", action="version", version=f"pufa {__version__}", help="显示版本号")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="站点配置文件（默认 mkdocs.yml）")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseParser)
    commands.required = True

    commands.add_parser("check", help="检查全部内容，一次列出所有错误", description="检查全部内容，一次列出所有错误。")

    report = commands.add_parser(
        "report", help="导出各部门发布情况（CSV）", description="导出各部门发布的课程、节目和活动明细（CSV，可用 Excel/WPS 打开）。"
    )
    report.add_argument("-o", "--output", help="写入的文件（默认输出到屏幕）")

    nginx = commands.add_parser(
        "nginx", help="为构建好的网站生成 nginx 配置", description="为构建好的网站生成 nginx 配置（见 docs/deploy.md）。"
    )
    nginx.add_argument("--site-dir", default="site", help="构建好的网站目录（默认 site，相对于 mkdocs.yml 所在目录）")
    nginx.add_argument("--served-from", help="网站在服务器上的绝对路径（默认就是 --site-dir）")
    nginx.add_argument("-o", "--output", help="写入的文件（默认输出到屏幕）")

    preview = commands.add_parser(
        "serve", help="在本机实时预览网站（含草稿）", description="构建网站并在本机实时预览，改动内容后自动刷新；按 Ctrl+C 结束。"
        "网站设在子路径下（site.yml 的 site_url，如 https://www.example.gov.cn/pufa/）时，预览也在这个子路径下。",
    )
    preview.add_argument("-p", "--port", type=_port, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    preview.add_argument("--host", default=DEFAULT_HOST,
                         help=f"监听的地址（默认 {DEFAULT_HOST}，只有本机能打开；0.0.0.0 让局域网里别的电脑也能打开）")
    preview.add_argument("-o", "--open", action="store_true", help="启动后在浏览器中打开")

    new = commands.add_parser("new", help="生成一个格式正确的新内容文件", description="生成一个格式正确的新内容文件。")
    kinds = new.add_subparsers(dest="kind", metavar="类型", parser_class=ChineseParser)
    kinds.required = True

    for kind in KINDS:
        if kind.scaffolds:
            kind.add_arguments(kinds.add_parser(kind.name, help=kind.label, description=f"新建{kind.label}。"))
    add_new_site_arguments(kinds.add_parser("site", help="新网站", description="为一个县新建一个完整、可以直接构建的网站。"))
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"端口应是 1 到 65535 之间的整数，如 8001，而不是 {text}")
    return int(text)


def _load(project: Project) -> tuple[SiteConfig, Campaign]:
    config, errors = load_site_config(project.site_config_dir, project.root)
    if config is None:
        raise ContentErrors(errors)
    return config, load_campaign(project.content_dir, config)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "new" and args.kind == "site":
            return new_site(args)
        project = Project.from_mkdocs_yml(Path(args.config_file))
        if args.command == "check":
            return _check(project, Path(args.config_file))
        if args.command == "report":
            return _report(project, args.output)
        if args.command == "nginx":
            return _nginx(project, args)
        if args.command == "serve":
            return _preview(project, args)
        return _new(project, args)
    except ProjectError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except (ScaffoldError, NginxError, OutputError, PreviewError) as exc:
        for line in str(exc).splitlines():
            print(f"错误：{line}", file=sys.stderr)
        return 1


def _check(project: Project, config_file: Path) -> int:
    _config, campaign = _load(project)
    counts = "，".join(f"{kind.label} {len(campaign.of(kind.name))} 项" for kind in KINDS)
    print(f"检查通过：{counts}。")
    today = project.today
    unpublished = campaign.published(today).unpublished.values()
    if unpublished:
        print(f"以下内容今天（{today.isoformat()}）构建时暂不发布：")
        for entry in sorted(unpublished, key=lambda entry: entry.item.source.shown):
            print(f"  {entry.item.source.shown}: {entry.note}（{entry.item.title}）")
    warnings = campaign_warnings(campaign) + material_search_warnings(config_file)
    if warnings:
        print(f"以下 {len(warnings)} 处是提示，不影响构建：")
        for warning in warnings:
            print(warning)
    return 0


def _report(project: Project, output: str | None) -> int:
    _config, loaded = _load(project)
    data = report_csv(loaded.published(project.today))
    return _emit(data, output, data.decode("utf-8-sig"), "已导出")


def _nginx(project: Project, args: argparse.Namespace) -> int:
    config, errors = load_site_config(project.site_config_dir, project.root)
    if config is None:
        raise ContentErrors(errors)
    text = nginx_config(project.root / args.site_dir, config.site.site_url, args.served_from)
    return _emit(text.encode("utf-8"), args.output, text, "已生成")


def _preview(project: Project, args: argparse.Namespace) -> int:
    """MkDocs' live preview (:mod:`pufa.preview` loads MkDocs only then)."""
    config, errors = load_site_config(project.site_config_dir, project.root)
    if config is None:
        raise ContentErrors(errors)
    serve(Path(args.config_file), config.site.site_url, args.host, args.port, open_browser=args.open)
    return 0


def _emit(data: bytes, output: str | None, shown: str, done: str) -> int:
    """Write ``data`` to the ``-o`` file, or show ``shown`` on the screen when there is none."""
    if output is None:
        sys.stdout.write(shown)
    else:
        write_output(Path(output), data, output)
        print(f"{done} {output}")
    return 0


def _new(project: Project, args: argparse.Namespace) -> int:
    config, errors = load_site_config(project.site_config_dir, project.root)
    if config is None:
        raise ContentErrors(errors)
    today = project.today

    def load_checked() -> Campaign | None:
        try:
            return load_campaign(project.content_dir, config, placeholders=False)
        except ContentErrors:
            return None  # `pufa check` reports the errors

    kind = by_name(args.kind)
    scaffold = kind.scaffold(args, config, project.content_dir, today, load_checked)
    shown = display_path(scaffold.path, project.root)
    if scaffold.path.exists():
        raise ScaffoldError(f"{shown} 已存在，未作改动：请换一个标题、slug 或期号")
    _vet(kind, scaffold, shown, args, config, project.content_dir)
    try:
        scaffold.path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where a directory should
        raise OutputError(f"{shown}: {_why(NotADirectoryError(), scaffold.path)}") from None
    except OSError as exc:
        raise OutputError(f"{shown}: {_why(exc, scaffold.path)}") from None
    write_output(scaffold.path, scaffold.text.encode("utf-8"), shown, new=True)
    print(f"已创建 {shown}")
    return 0


def _vet(kind: Kind, scaffold: Scaffold, shown: str, args: argparse.Namespace, config: SiteConfig,
         content_dir: Path) -> None:
    """Refuse, before writing, a file that `pufa check` would reject on its own account: read back
    through the same reader and schema as every content file, and claiming no URL already taken.

    Raises :class:`ScaffoldError` naming the command-line option behind each problem.
    """
    src_uri = scaffold.path.relative_to(content_dir).as_posix()
    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch, src_uri)
        draft.parent.mkdir(parents=True)
        draft.write_text(scaffold.text, encoding="utf-8")
        source, errors = read_source(draft, shown, src_uri, Path(scratch))
    if source is not None and source.front is not None and kind.schema is not None:
        meta, errors = validate(kind.schema, source.front, {"taxonomy": config.taxonomy})
        if meta is not None:
            collector = ErrorCollector()
            item = kind.make(meta, replace(source, path=scaffold.path), LoadContext(config, content_dir, collector))
            errors = list(collector)
            if item is not None and not errors:
                errors = _url_taken(item, content_dir, config)
    if errors:
        raise ScaffoldError("\n".join(f"{_option(error, scaffold.text, args)}: {error.message}" for error in errors))


def _url_taken(item: Any, content_dir: Path, config: SiteConfig) -> list[ContentError]:
    """The new item's URL against every other file's (and alias), and the generated pages'."""
    line, field_name = item.kind.declared_at(item) or item.kind.derived_at(item)
    url = item.url
    owners = {generated: f"网站自动生成的页面（{title}）" for generated, title in generated_pages(config).items()}
    for other in load(content_dir, config, ErrorCollector()).items:  # its errors are `pufa check`'s to report
        owners.setdefault(other.url, other.source.shown)
        for alias in other.aliases:
            owners.setdefault(alias.strip("/") + "/", f"{other.source.shown} 的旧网址（aliases）")
    if url not in owners:
        return []
    return [ContentError(item.source.shown, line, field_name, f"网址 /{url} 已被 {owners[url]} 使用：请换一个不重复的值")]


def _option(error: ContentError, text: str, args: argparse.Namespace) -> str:
    """The option that put the offending value into the file: the key on the error's line, else its field."""
    lines = text.splitlines()
    key = re.match(r"(\w+):", lines[error.line - 1]) if 0 < error.line <= len(lines) else None
    for name in ([key.group(1)] if key else []) + [error.field.split(".")[0].split("[")[0]]:
        for option in (name, name.removesuffix("s")):
            if option and option in vars(args):
                return f"--{option.replace('_', '-')}"
    return error.field or "新文件"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
