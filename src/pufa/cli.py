"""The ``pufa`` command: check content and scaffold new files, in Chinese.

Every failure the user can cause ends in a Chinese message and exit status 1
(2 for usage errors), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .collection import Collection
from .loader import load_collection
from .nginx import NginxError, nginx_config
from .dates import build_today
from .errors import ContentErrors
from .paths import display_path
from .project import Project, ProjectError
from .report import report_csv
from .scaffold import ScaffoldError, new_episode, new_lesson, new_month
from .siteconfig import SiteConfig, load_site_config


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
        self.exit(2, f"{self.prog}: 错误：{message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog="pufa", description="普法网站工具：检查内容、生成新内容文件。")
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

    new = commands.add_parser("new", help="生成一个格式正确的新内容文件", description="生成一个格式正确的新内容文件。")
    kinds = new.add_subparsers(dest="kind", metavar="类型", parser_class=ChineseParser)
    kinds.required = True

    lesson = kinds.add_parser("lesson", help="普法课程", description="新建一课。")
    lesson.add_argument("--title", required=True, help="课程标题")
    lesson.add_argument("--topic", required=True, help="主题键，如 xianfa")
    lesson.add_argument("--department", required=True, help="负责部门键，如 sifaju")
    lesson.add_argument("--audience", action="append", default=None, help="面向对象键，可重复（默认 qingshaonian）")
    lesson.add_argument("--grade", action="append", default=[], help="学段键，可重复：xiaoxue、chuzhong、gaozhong")
    lesson.add_argument("--slug", help="网址最后一段（默认由标题拼音生成）")

    month = kinds.add_parser("month", help="每月主题", description="新建一个月的主题。")
    month.add_argument("--month", required=True, help="年-月，如 2026-03")
    month.add_argument("--title", required=True, help="本月主题")

    episode = kinds.add_parser("episode", help="《见事说法》节目", description="新建一期《见事说法》。")
    episode.add_argument("--title", required=True, help="本期标题")
    episode.add_argument("--topic", required=True, help="主题键，如 minfadian")
    episode.add_argument("--department", required=True, help="负责部门键，如 fayuan")
    episode.add_argument("--number", type=int, help="期号（默认为现有最大期号加一）")
    episode.add_argument("--air", help="首播时间，如 “2026-03-13 18:30”（默认今天 18:30）")
    return parser


def _load(project: Project) -> tuple[SiteConfig, Collection]:
    config, errors = load_site_config(project.site_config_dir, project.root)
    if config is None:
        raise ContentErrors(errors)
    return config, load_collection(project.content_dir, config)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        project = Project.from_mkdocs_yml(Path(args.config_file))
        if args.command == "check":
            return _check(project)
        if args.command == "report":
            return _report(project, args.output)
        if args.command == "nginx":
            return _nginx(project, args)
        return _new(project, args)
    except ProjectError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except (ScaffoldError, NginxError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1


def _check(project: Project) -> int:
    _config, collection = _load(project)
    print(
        f"检查通过：{len(collection.lessons)} 课，{len(collection.months)} 个月度主题，"
        f"{len(collection.episodes)} 期节目，{len(collection.pages)} 个其他页面。"
    )
    today = build_today(project.today)
    unpublished = collection.published(today).unpublished.values()
    if unpublished:
        print(f"以下内容今天（{today.isoformat()}）构建时暂不发布：")
        for entry in sorted(unpublished, key=lambda entry: entry.item.source.shown):
            print(f"  {entry.item.source.shown}: {entry.note}（{entry.item.title}）")
    return 0


def _report(project: Project, output: str | None) -> int:
    _config, loaded = _load(project)
    collection = loaded.published(build_today(project.today))
    data = report_csv(collection)
    if output is None:
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        Path(output).write_bytes(data)
        print(f"已导出 {output}")
    return 0


def _nginx(project: Project, args: argparse.Namespace) -> int:
    config, errors = load_site_config(project.site_config_dir, project.root)
    if config is None:
        raise ContentErrors(errors)
    text = nginx_config(project.root / args.site_dir, config.site.site_url, args.served_from)
    if args.output is None:
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"已生成 {args.output}")
    return 0


def _new(project: Project, args: argparse.Namespace) -> int:
    config, errors = load_site_config(project.site_config_dir, project.root)
    if config is None:
        raise ContentErrors(errors)
    today = build_today(project.today)
    if args.kind == "lesson":
        scaffold = new_lesson(
            config, project.content_dir, title=args.title, topic=args.topic, department=args.department,
            audiences=args.audience or ["qingshaonian"], grades=args.grade, slug=args.slug, today=today,
        )
    elif args.kind == "month":
        scaffold = new_month(config, project.content_dir, month=args.month, title=args.title)
    else:
        try:
            collection: Collection | None = load_collection(project.content_dir, config, placeholders=False)
        except ContentErrors:
            collection = None  # numbering falls back to --number; `pufa check` reports the errors
        if collection is None and args.number is None:
            raise ScaffoldError("--number: 现有内容有错误，无法自动确定期号，请用 --number 指定")
        scaffold = new_episode(
            config, project.content_dir, collection, title=args.title, topic=args.topic,
            department=args.department, number=args.number, air=args.air, today=today,
        )
    shown = display_path(scaffold.path, project.root)
    if scaffold.path.exists():
        raise ScaffoldError(f"{shown} 已存在，未作改动：请换一个标题、slug 或期号")
    scaffold.path.parent.mkdir(parents=True, exist_ok=True)
    scaffold.path.write_text(scaffold.text, encoding="utf-8")
    print(f"已创建 {shown}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
