"""Strict content: types mean what they say, times lie within the audio,
citations name what exists, and errors point at the file that declares.

Each case of ``CASES`` is also run through a real build by
``test_corpus_builds.py``; the unit tests below pin the behaviour behind them.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pydantic import BaseModel

from conftest import Site
from corpus import EPISODE, EVENT, LESSON, MONTH, Case, apply, check_case, lesson
from pufa.captions import read_transcript_file, to_srt, to_vtt
from pufa.cli import main
from pufa.laws import CITATION, CitationError, LawBook, count_items, resolve, to_int
from pufa.models import LessonMeta
from pufa.transcript import parse_transcript

NEW = "content/lessons/xianfa/new.md"
EP2 = "content/radio/ep002.md"
VTT2 = "content/radio/ep002.vtt"
LAWS = "site_config/laws.yml"
#: A remote audio file of known duration (60 s), so that times can be checked without an MP3.
REMOTE = "audio: https://media.example.gov.cn/ep002.mp3\naudio_length: 1000\naudio_duration: 60\n"
#: Articles with items for the citation cases: 1140 as in the demo, and a test-only
#: article 1141 whose two paragraphs both list items.
ITEMS = """\
      1140:
      - |-
        下列人员不能作为遗嘱见证人：
        （一）无民事行为能力人、限制民事行为能力人以及其他不具有见证能力的人；
        （二）继承人、受遗赠人；
        （三）与继承人、受遗赠人有利害关系的人。
      1141:
      - |-
        甲款：
        （一）一；
        （二）二。
      - |-
        乙款：
        （一）一；
        （二）二。
"""
#: The last line of 民法典第一千二百五十四条 in the fixture's laws.yml, after which ITEMS go.
_LAST_1254 = "      - 发生本条第一款规定的情形的，公安等机关应当依法及时调查，查清责任人。\n"
WITH_ITEMS = (LAWS, (_LAST_1254, _LAST_1254 + ITEMS))


def episode(extra: str = "", body: str = "") -> str:
    """Episode 2: front matter lines 2-9, then ``extra`` from line 10."""
    return (
        "---\nnumber: 2\ntitle: 第二期\nair: 2026-03-20 18:30\ntopic: xianfa\ndepartment: sifaju\n"
        f"summary: 第二期节目。\nhosts:\n  - name: 林晓\n{extra}---\n\n{body}"
    )


def vtt(*cues: tuple[str, str]) -> str:
    return "WEBVTT\n\n" + "\n".join(f"{start} --> {end}\n<v 林晓>第{i}句\n" for i, (start, end) in enumerate(cues, 1))


def cite(text: str, with_items: bool = False) -> dict[str, tuple[str, str]]:
    """Put ``text`` in the lesson's body at line 18; optionally add articles with items to laws.yml."""
    return {LESSON: ("宪法是国家的根本法。", text), **dict([WITH_ITEMS] if with_items else [])}


CASES = [
    # 1. Strict types
    Case("strict-date-zero", {NEW: lesson(date="0")}, NEW, 6, "date", "应为日期，格式如 2026-03-15"),
    Case("strict-date-year", {NEW: lesson(date="2026")}, NEW, 6, "date", "应为日期"),
    Case("strict-date-with-time", {NEW: lesson(date="2026-03-02 10:00:00")}, NEW, 6, "date", "不要带时间"),
    Case("strict-date-impossible-quoted", {NEW: lesson(date='"2026-02-30"')}, NEW, 6, "date", "2026-02-30 这一天不存在"),
    Case("strict-updated-number", {NEW: lesson(updated="20260302")}, NEW, 8, "updated", "应为日期"),
    Case("strict-class-minutes-bool", {NEW: lesson(class_minutes="true")}, NEW, 8, "class_minutes", "应为整数"),
    Case("strict-class-minutes-float", {NEW: lesson(class_minutes="45.0")}, NEW, 8, "class_minutes", "应为整数"),
    Case("strict-class-minutes-text", {NEW: lesson(class_minutes='"45"')}, NEW, 8, "class_minutes", "应为整数"),
    Case("strict-title-boolean", {NEW: lesson(title="true")}, NEW, 2, "title", "应为文字"),
    Case("strict-episode-number-true", {}, EPISODE, 2, "number", "应为整数",
         replace={EPISODE: ("number: 1", "number: true")}),
    Case("strict-episode-number-float", {EP2: episode().replace("number: 2", "number: 2.0")}, EP2, 2, "number", "应为整数"),
    Case("strict-explicit-one", {}, EPISODE, 11, "explicit", "应为 true 或 false",
         replace={EPISODE: ("guests:", "explicit: 1\nguests:")}),
    Case("strict-explicit-text", {}, EPISODE, 11, "explicit", "应为 true 或 false",
         replace={EPISODE: ("guests:", 'explicit: "yes"\nguests:')}),
    Case("strict-air-number", {}, EPISODE, 4, "air", "应为日期时间",
         replace={EPISODE: ("air: 2026-03-13 18:30", "air: 0")}),
    Case("strict-air-date-only-quoted", {}, EPISODE, 4, "air", "缺少播出时间",
         replace={EPISODE: ("air: 2026-03-13 18:30", 'air: "2026-03-13"')}),
    Case("strict-audio-length-true", {EP2: episode(REMOTE.replace("1000", "true"))}, EP2, 11, "audio_length", "应为整数"),
    Case("strict-event-date-number", {}, EVENT, 4, "date", "应为日期",
         replace={EVENT: ("date: 2026-03-10", "date: 0")}),
    Case("strict-month-episode-bool", {}, MONTH, 16, "episodes[0]", "应为整数",
         replace={MONTH: ("episodes: [1]", "episodes: [true]")}),
    Case("strict-site-title-bool", {}, "site_config/site.yml", 3, "title", "应为文字",
         replace={"site_config/site.yml": ("title: 法治示例", "title: true")}),
    Case("strict-podcast-explicit-text", {}, "site_config/podcast.yml", 9, "explicit", "应为 true 或 false",
         replace={"site_config/podcast.yml": ("explicit: false", 'explicit: "no"')}),
    Case("strict-podcast-guid-number", {}, "site_config/podcast.yml", 10, "guid", "应为 UUID",
         replace={"site_config/podcast.yml": ("guid: 3b7e3f8e-0b4c-5b43-9f7e-1f5a0d7a4c11", "guid: 12")}),
    Case("strict-laws-short-number", {}, LAWS, 6, "laws.xianfa.short[0]", "应为文字",
         replace={LAWS: ("    - 宪法\n", "    - true\n")}),
    # 2. Transcripts and captions within the audio
    Case("strict-body-cue-beyond-audio", {}, EPISODE, 28, "正文", "时间码 01:10 超出了音频时长 01:00",
         replace={EPISODE: ("guests:", REMOTE.replace("ep002", "ep001") + "guests:")}),
    Case("strict-caption-beyond-audio",
         {EP2: episode(REMOTE + "transcript: ep002.vtt\n"),
          VTT2: vtt(("00:00:00.000", "00:00:04.000"), ("00:01:30.000", "00:01:35.000"))},
         EP2, 13, "transcript", "ep002.vtt：字幕 00:01:30.000 --> 00:01:35.000 超出了音频时长 01:00"),
    Case("strict-caption-ends-before-start",
         {EP2: episode("transcript: ep002.vtt\n"), VTT2: vtt(("00:00:05.000", "00:00:03.000"))},
         EP2, 10, "transcript", "字幕 00:00:05.000 --> 00:00:03.000 的结束时间不晚于开始时间"),
    Case("strict-chapter-beyond-audio",
         {EP2: episode(REMOTE + "transcript: ep002.vtt\nchapters:\n  - start: \"05:00\"\n    title: 结尾\n"),
          VTT2: vtt(("00:00:00.000", "00:00:04.000"))},
         EP2, 15, "chapters[0].start", "章节开始时间 05:00 超出了音频时长 01:00"),
    Case("strict-chapter-start-bool",
         {EP2: episode("transcript: ep002.vtt\nchapters:\n  - start: false\n    title: 开场\n"),
          VTT2: vtt(("00:00:00.000", "00:00:04.000"))},
         EP2, 12, "chapters[0].start", "时长应写作秒数"),
    # 3. Citations of items and absurd numbers
    Case("strict-cite-item-beyond", {}, LESSON, 18, "正文", "第一千一百四十条只有 3 项",
         replace=cite("【民法典第一千一百四十条第四项】", with_items=True)),
    Case("strict-cite-item-in-article-without-items", {}, LESSON, 18, "正文", "第三十三条没有分项",
         replace=cite("见【宪法第三十三条第一项】。")),
    Case("strict-cite-item-in-paragraph-without-items", {}, LESSON, 18, "正文", "第三十三条第二款没有分项",
         replace=cite("见【宪法第三十三条第二款第一项】。")),
    Case("strict-cite-item-ambiguous", {}, LESSON, 18, "正文", "请写明是哪一款的项，如 第一款第二项",
         replace=cite("见【民法典第一千一百四十一条第二项】。", with_items=True)),
    Case("strict-cite-huge-article", {}, LESSON, 18, "正文", "超出范围",
         replace=cite("见【宪法第99999999999999999999条】。")),
    Case("strict-cite-trillion", {}, LESSON, 18, "正文", "序号 “一万亿” 超出范围",
         replace=cite("见【宪法第一万亿条】。")),
    Case("strict-cite-huge-paragraph", {}, LESSON, 18, "正文", "超出范围",
         replace=cite("见【宪法第三十三条第99999999999999999999款】。")),
    Case("strict-cite-zero-item", {}, LESSON, 18, "正文", "序号 “0” 超出范围",
         replace=cite("见【宪法第三十三条第0项】。")),
    Case("strict-key-article-trillion", {}, LESSON, 9, "articles[0]", "超出范围",
         replace={LESSON: ("summary:", "articles: [宪法第一万亿条]\nsummary:")}),
    # 4. Month file name and month:
    Case("strict-month-name-disagrees", {}, MONTH, 2, "month", "文件名 2026-03.md 与 month: 2026-04 不一致",
         replace={MONTH: ("month: 2026-03", "month: 2026-04")}),
    Case("strict-month-name-not-a-month", {"content/months/maerz.md": "---\nmonth: 2026-05\ntitle: 五月\nsummary: 五月。\n---\n"},
         "content/months/maerz.md", 2, "month", "文件名应为 2026-05.md"),
    # 5. Duplicate URLs at the declaring file
    Case("strict-slug-declared-vs-derived", {"content/lessons/xianfa/copy.md": lesson(slug="guojia-xianfa-ri")},
         "content/lessons/xianfa/copy.md", 8, "slug", f"与 {LESSON} 重复",
         replace={LESSON: ("slug: guojia-xianfa-ri\n", "")}),
    Case("strict-slug-both-declared", {"content/lessons/xianfa/copy.md": lesson(slug="guojia-xianfa-ri")},
         "content/lessons/xianfa/copy.md", 8, "slug", f"与 {LESSON} 重复"),
    Case("strict-slug-both-derived", {"content/lessons/xianfa/a.md": lesson(title="同名课程"),
                                      "content/lessons/xianfa/b.md": lesson(title="同名课程")},
         "content/lessons/xianfa/b.md", 2, "slug", "与 content/lessons/xianfa/a.md 重复，请修改其中一个的 slug"),
    Case("strict-episode-slug-declared", {EP2: episode("slug: ep001\n")}, EP2, 10, "slug", f"与 {EPISODE} 重复"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_error_names_file_line_and_field(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


def test_enough_cases_with_prefix() -> None:
    assert len(CASES) >= 20
    assert all(case.id.startswith("strict-") for case in CASES)
    assert len({case.id for case in CASES}) == len(CASES)


def _check(site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(site.root)
    status = main(["check"])
    return status, capsys.readouterr().err


# --- strict types --------------------------------------------------------


def test_every_schema_validates_strictly() -> None:
    """Strictness is the default of every schema, so a new field cannot forget it."""
    models = []
    for name in ("pufa.models", "pufa.siteconfig", "pufa.channel", "pufa.laws"):
        module = importlib.import_module(name)
        models += [obj for obj in vars(module).values()
                   if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == name]
    assert len(models) > 15
    assert [m.__name__ for m in models if not m.model_config.get("strict")] == []


def test_numbers_in_free_text_stay_text_and_quoted_dates_are_dates() -> None:
    meta = LessonMeta.model_validate(
        {"title": 12315, "topic": "xianfa", "audiences": ["qingshaonian"], "department": "sifaju",
         "date": "2026-03-02", "summary": 2026, "tags": [110]}
    )
    assert (meta.title, meta.summary, meta.tags, str(meta.date)) == ("12315", "2026", ["110"], "2026-03-02")


def test_phone_numbers_in_site_config_stay_text(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    minisite.write("site_config/site.yml", minisite.read("site_config/site.yml").replace(
        'legal_aid_hotline: "12348"', "legal_aid_hotline: 12348\ncontact:\n  phone: 12345678"))
    assert _check(minisite, capsys, monkeypatch)[0] == 0


# --- transcripts and captions ----------------------------------------------


def test_caption_file_end_times_are_kept_in_vtt_and_srt(tmp_path: Path) -> None:
    path = tmp_path / "ep.vtt"
    path.write_text(vtt(("00:00:01.500", "00:00:02.250"), ("00:00:03.000", "00:00:07.000")), encoding="utf-8")
    transcript = read_transcript_file(path, [], inside=tmp_path)
    assert [cue.start for cue in transcript.cues] == [1, 3]
    published = to_vtt(transcript, 60.0)
    assert "00:00:01.500 --> 00:00:02.250" in published
    assert "00:00:03.000 --> 00:00:07.000" in published  # not stretched to the audio's end
    srt = to_srt(transcript, 60.0)
    assert "00:00:01,500 --> 00:00:02,250" in srt and "00:00:03,000 --> 00:00:07,000" in srt


def test_body_cues_still_end_at_the_next_cue() -> None:
    transcript, errors = parse_transcript("[00:01] 甲：一\n[00:04] 乙：二\n", "e.md", 1)
    assert errors == []
    published = to_vtt(transcript, 10.0)
    assert "00:00:01.000 --> 00:00:04.000" in published and "00:00:04.000 --> 00:00:10.000" in published


def test_times_within_tolerance_of_the_audio_pass(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    minisite.write(EP2, episode(REMOTE + "transcript: ep002.vtt\n"))
    minisite.write(VTT2, vtt(("00:00:00.000", "00:00:04.000"), ("00:00:58.000", "00:01:01.500")))
    status, err = _check(minisite, capsys, monkeypatch)
    assert status == 0, err


def test_body_text_beside_a_caption_file_is_rendered_as_introduction(
    minisite: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    minisite.write(EP2, episode("transcript: ep002.vtt\n", "本期导读：听法官讲宪法。\n"))
    minisite.write(VTT2, vtt(("00:00:01.500", "00:00:02.250"), ("00:00:03.000", "00:00:07.000")))
    monkeypatch.chdir(minisite.root)
    caplog.set_level(logging.WARNING)
    build(load_config(str(minisite.root / "mkdocs.yml")))
    page = minisite.page("radio/ep002")
    assert "本期导读：听法官讲宪法。" in page
    assert page.index("本期导读") < page.index("第1句")  # above the transcript
    assert "00:00:03.000 --> 00:00:07.000" in (minisite.out / "radio/ep002.vtt").read_text(encoding="utf-8")


# --- citations ----------------------------------------------------------------


def test_count_items_counts_numbered_lines_of_one_paragraph() -> None:
    assert count_items("下列人员：\n（一）甲；\n（二）乙；\n（十一）丙。") == 3
    assert count_items("下列人员：\n（一）甲；\n（二）乙；\n（三）丙。") == 3
    assert count_items("不是（一）行首的项。") == 0
    assert count_items("") == 0


BOOK = LawBook.model_validate({"laws": {"minfadian": {
    "title": "中华人民共和国民法典", "short": ["民法典"], "version": "2020年版本", "source": "测试用条文",
    "articles": {"1140": ["下列人员：\n（一）甲；\n（二）乙。"],
                 "1141": ["第一款。", "下列情形：\n（一）丙；\n（二）丁；\n（三）戊。"],
                 "1142": ["甲：\n（一）一。", "乙：\n（一）一。"]},
}}})


def _resolve(text: str) -> object:
    match = CITATION.fullmatch(text)
    assert match is not None, text
    return resolve(match, BOOK)


def test_item_without_paragraph_means_the_one_paragraph_that_lists_items() -> None:
    assert _resolve("【民法典第一千一百四十条第二项】").item == 2
    assert _resolve("【民法典第一千一百四十一条第三项】").item == 3  # the second paragraph holds the items
    assert _resolve("【民法典第一千一百四十一条第二款第三项】").paragraph == 2
    for text, message in [
        ("【民法典第一千一百四十条第三项】", "只有 2 项"),
        ("【民法典第一千一百四十一条第一款第一项】", "第一千一百四十一条第一款没有分项"),
        ("【民法典第一千一百四十二条第一项】", "第一款、第二款都有分项"),
    ]:
        with pytest.raises(CitationError, match=message):
            _resolve(text)


def test_absurd_numbers_are_refused_without_overflow() -> None:
    assert to_int("１２５４") == 1254 and to_int("一千二百五十四") == 1254
    with pytest.raises(ValueError):
        to_int("9" * 5000)
    for text in ("【民法典第" + "9" * 5000 + "条】", "【民法典第一万亿条】", "【民法典第1140条之九九九九九九九九九九九九九九九九九九九九】"):
        with pytest.raises(CitationError, match="超出范围"):
            _resolve(text)


# --- duplicate URLs -------------------------------------------------------------


def test_duplicate_slug_is_reported_only_at_the_declaring_file(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(case for case in CASES if case.id == "strict-slug-declared-vs-derived")
    apply(minisite, case)
    status, err = _check(minisite, capsys, monkeypatch)
    assert status == 1
    assert not [line for line in err.splitlines() if line.startswith(LESSON)], err


def test_both_declared_each_names_the_other(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    case = next(case for case in CASES if case.id == "strict-slug-both-declared")
    apply(minisite, case)
    _, err = _check(minisite, capsys, monkeypatch)
    assert f"{LESSON}:4: slug: 网址 /lessons/xianfa/guojia-xianfa-ri/ 与 content/lessons/xianfa/copy.md 重复" in err
    assert f"content/lessons/xianfa/copy.md:8: slug: 网址 /lessons/xianfa/guojia-xianfa-ri/ 与 {LESSON} 重复" in err
