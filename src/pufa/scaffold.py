"""``pufa new``: files that pass validation from the first save.

Scaffolds write the derived slug into the file, so that a later edit of the
title can never move a published URL. Every value an editor typed is written
by PyYAML's own emitter, so a title holding ``"``, ``#``, ``: `` or brackets
reads back exactly. The template's placeholder text is defined here, once, and
:mod:`pufa.checks` reports any of it that is left, so it is never published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import yaml

from .dates import TZ
from .siteconfig import SiteConfig
from .slugs import is_slug, slugify
from .suggest import unknown_message


#: Placeholder text the templates below write; `pufa check` refuses each one until replaced.
LESSON_SUMMARY = "请用一两句话概括本课内容。"
LESSON_STORY = "请在这里写一个贴近生活的小故事。"
LESSON_LAW = "《法律全称》第X条"
LESSON_LAW_TEXT = "条文原文（须与官方文本逐字一致）。"
LESSON_HOWTO = "请写明遇到问题时可以找谁、怎么做。"
MONTH_SUMMARY = "请概括本月主题和重点活动。"
MONTH_INTRO = "请介绍本月主题的由来和各部门的安排。"
EPISODE_SUMMARY = "请用一两句话介绍本期节目。"
HOST_NAME = "主持人姓名"
EVENT_SUMMARY = "请用一句话介绍活动内容。"
PLACEHOLDERS = (LESSON_SUMMARY, LESSON_STORY, LESSON_LAW, LESSON_LAW_TEXT, LESSON_HOWTO, MONTH_SUMMARY,
                MONTH_INTRO, EPISODE_SUMMARY, HOST_NAME, EVENT_SUMMARY)


class ScaffoldError(Exception):
    """A bad command-line value; the message is Chinese and names the option."""


@dataclass
class Scaffold:
    path: Path
    text: str


def _check_key(config: SiteConfig, kind: str, label: str, option: str, value: str) -> None:
    choices = config.taxonomy.vocabulary(kind)
    if value not in choices:
        raise ScaffoldError(f"{option}: {unknown_message(label, value, choices)}")


def _yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def _field(key: str, value: str) -> str:
    """``key: value`` as PyYAML writes it: quoted exactly when the value needs it."""
    return yaml.safe_dump({key: value}, allow_unicode=True, width=float("inf"), sort_keys=False)


def _title(title: str) -> str:
    """Surrounding spaces would not survive validation, so the title is kept without them."""
    title = title.strip()
    if not title:
        raise ScaffoldError("--title: 标题不能为空")
    return title


def new_lesson(
    config: SiteConfig, content_dir: Path, *, title: str, topic: str, department: str,
    audiences: list[str], grades: list[str], slug: str | None, today: date,
) -> Scaffold:
    _check_key(config, "topics", "主题", "--topic", topic)
    _check_key(config, "departments", "部门", "--department", department)
    for audience in audiences:
        _check_key(config, "audiences", "对象", "--audience", audience)
    for grade in grades:
        _check_key(config, "grades", "学段", "--grade", grade)
    title = _title(title)
    slug = slug or slugify(title)
    if not is_slug(slug) or len(slug) < 3:
        raise ScaffoldError(f"--slug: “{slug}” 不能作网址：只能用小写英文字母、数字和连字符，至少 3 个字符")
    grades_line = f"grades: {_yaml_list(grades)}\n" if grades else "# grades: [xiaoxue, chuzhong, gaozhong]\n"
    text = (
        "---\n"
        f"{_field('title', title)}"
        f"topic: {topic}\n"
        f"slug: {slug}  # 网址的最后一段，发布后请勿修改\n"
        f"audiences: {_yaml_list(audiences)}\n"
        f"{grades_line}"
        f"department: {department}\n"
        f"date: {today.isoformat()}\n"
        f"{_field('summary', LESSON_SUMMARY)}"
        "tags: []\n"
        "# class_minutes: 40\n"
        "# objectives:\n#   - 学习目标\n"
        "# questions:\n#   - 讨论题\n"
        "---\n\n"
        f"## 案例\n\n{LESSON_STORY}\n\n"
        f"## 法律怎么说\n\n> **{LESSON_LAW}** {LESSON_LAW_TEXT}\n\n"
        f"## 怎么做\n\n{LESSON_HOWTO}\n"
    )
    return Scaffold(content_dir / "lessons" / topic / f"{slug}.md", text)


def new_month(content_dir: Path, *, month: str, title: str) -> Scaffold:
    title = _title(title)
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise ScaffoldError(f"--month: “{month}” 应写作 年-月，如 2026-03") from None
    text = (
        "---\n"
        f"month: {first:%Y-%m}\n"
        f"{_field('title', title)}"
        f"{_field('summary', MONTH_SUMMARY)}"
        "topics: []\n"
        "laws: []\n"
        "key_dates: []\n"
        "# 本月活动：每项一个 content/events/ 下的文件（pufa new event）\n"
        "lessons: []\n"
        "episodes: []\n"
        f"---\n\n{MONTH_INTRO}\n"
    )
    return Scaffold(content_dir / "months" / f"{first:%Y-%m}.md", text)


def new_episode(
    config: SiteConfig, content_dir: Path, numbers: list[int], *, title: str, topic: str,
    department: str, number: int | None, air: str | None, today: date,
) -> Scaffold:
    title = _title(title)
    _check_key(config, "topics", "主题", "--topic", topic)
    _check_key(config, "departments", "部门", "--department", department)
    if number is None:
        number = max(numbers, default=0) + 1
    if number < 1:
        raise ScaffoldError("--number: 期号应为正整数")
    if air is None:
        air_time = datetime(today.year, today.month, today.day, 18, 30, tzinfo=TZ)
    else:
        try:
            air_time = datetime.fromisoformat(air)
        except ValueError:
            raise ScaffoldError(f"--air: “{air}” 应写作 2026-03-13 18:30") from None
    text = (
        "---\n"
        f"number: {number}\n"
        f"{_field('title', title)}"
        f"air: {air_time:%Y-%m-%d %H:%M}\n"
        f"topic: {topic}\n"
        f"department: {department}\n"
        f"{_field('summary', EPISODE_SUMMARY)}"
        f"hosts:\n  - name: {HOST_NAME}\n    role: 主持人\n"
        "guests: []\n"
        f"# audio: ep{number:03d}.mp3\n"
        "---\n\n"
        f"## 开场\n\n[00:00] {HOST_NAME}：各位听众朋友，欢迎收听《{config.site.programme.name}》。\n"
    )
    return Scaffold(content_dir / "radio" / f"ep{number:03d}.md", text)


def new_event(config: SiteConfig, content_dir: Path, *, title: str, day: str, place: str, department: str,
              slug: str | None = None) -> Scaffold:
    title = _title(title)
    _check_key(config, "departments", "部门", "--department", department)
    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise ScaffoldError(f"--date: “{day}” 应写作 2026-03-10") from None
    if not place.strip():
        raise ScaffoldError("--place: 地点不能为空")
    slug = slug or f"{when.isoformat()}-{slugify(title)}"[:80].rstrip("-")
    if not is_slug(slug) or len(slug) < 3:
        raise ScaffoldError(f"--slug: “{slug}” 不能作网址：只能用小写英文字母、数字和连字符，至少 3 个字符")
    text = (
        "---\n"
        f"{_field('title', title)}"
        f"slug: {slug}  # 网址的最后一段，发布后请勿修改\n"
        f"date: {when.isoformat()}\n"
        "# time: '14:30'\n"
        f"{_field('place', place.strip())}"
        f"department: {department}\n"
        "# venue: shequ   # “法律七进”场所键\n"
        "# topic: xianfa\n"
        f"{_field('summary', EVENT_SUMMARY)}"
        "---\n"
    )
    return Scaffold(content_dir / "events" / f"{slug}.md", text)
