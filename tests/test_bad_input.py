"""The bad-input corpus: every mistake is reported as file:line: field: message.

Each case changes one thing in an otherwise valid small site and names the
file, line and field the error must point at, plus a phrase of the Chinese
message. `pufa check` runs in-process for speed; the build tests below run
the real `mkdocs build` on a corpus with many errors at once.
"""

from __future__ import annotations

import re
import socket

import pytest

from conftest import Site
from corpus import EPISODE, EVENT, LESSON, MONTH, Case, apply, check_case, lesson
from pufa.cli import main

CASES = [
    Case("unknown-topic", {}, LESSON, 3, "topic", "未知的主题 “xianfaa”，是否为 “xianfa”",
         replace={LESSON: ("topic: xianfa", "topic: xianfaa")}),
    Case("misspelt-key", {}, LESSON, 9, "summery", "不认识的字段，请检查拼写（可用字段见编写指南）。是否为 “summary”？",
         replace={LESSON: ("summary:", "summery:")}),
    Case("missing-summary", {"content/lessons/xianfa/new.md": lesson(summary=None)},
         "content/lessons/xianfa/new.md", 2, "summary", "缺少必填字段"),
    Case("bad-date", {"content/lessons/xianfa/new.md": lesson(date="2026-13-01")},
         "content/lessons/xianfa/new.md", 6, "date", "应为日期"),
    Case("yaml-syntax", {"content/lessons/xianfa/new.md": "---\ntitle: 测试\ntopic: [xianfa\naudiences: x\n---\n"},
         "content/lessons/xianfa/new.md", 4, "", "YAML 格式错误"),
    Case("unterminated-front-matter", {"content/lessons/xianfa/new.md": "---\ntitle: 测试\ntopic: xianfa\n\n正文\n"},
         "content/lessons/xianfa/new.md", 1, "", "前置信息没有结束"),
    Case("no-front-matter", {"content/lessons/xianfa/new.md": "# 只有正文\n"},
         "content/lessons/xianfa/new.md", 1, "", "缺少前置信息"),
    Case("duplicate-slug", {"content/lessons/xianfa/copy.md": lesson(slug="guojia-xianfa-ri")},
         "content/lessons/xianfa/xianfa-ri.md", 4, "slug", "content/lessons/xianfa/copy.md"),
    Case("bad-slug", {"content/lessons/xianfa/new.md": lesson(slug="Xian_Fa")},
         "content/lessons/xianfa/new.md", 8, "slug", "格式不对"),
    Case("unknown-audience-item", {"content/lessons/xianfa/new.md": lesson(audiences="[qingshaonian, wugon]")},
         "content/lessons/xianfa/new.md", 4, "audiences[1]", "是否为 “wugong”"),
    Case("chinese-name-for-key", {"content/lessons/xianfa/new.md": lesson(department="县司法局")},
         "content/lessons/xianfa/new.md", 5, "department", "是否为 “sifaju”"),
    Case("updated-before-date", {"content/lessons/xianfa/new.md": lesson(updated="2026-01-01")},
         "content/lessons/xianfa/new.md", 2, "", "不能早于发布日期"),
    Case("quiz-answer-not-an-option", {}, LESSON, 11, "quiz[0]", "answer 必须是 options 中的一项",
         replace={LESSON: ("answer: 12月4日", "answer: 12月5日")}),
    Case("duplicate-yaml-key", {"content/lessons/xianfa/new.md": lesson(title="一\ntitle: 二")},
         "content/lessons/xianfa/new.md", 3, "title", "字段重复出现"),
    Case("dangling-lesson-ref", {}, MONTH, 16, "lessons[0]", "找不到课程 “xianfa/guojia-xianfa”",
         replace={MONTH: ("lessons: [xianfa/guojia-xianfa-ri]", "lessons:\n  - xianfa/guojia-xianfa")}),
    Case("dangling-episode-ref", {}, MONTH, 16, "episodes[0]", "找不到第 9 期节目",
         replace={MONTH: ("episodes: [1]", "episodes: [9]")}),
    Case("key-date-outside-month", {}, MONTH, 7, "key_dates[0].date", "不在本月",
         replace={MONTH: ("  - date: 2026-03-15", "  - date: 2026-04-15")}),
    Case("unknown-venue", {}, EVENT, 7, "venue", "未知的“法律七进”场所",
         replace={EVENT: ("venue: xuexiao", "venue: xuexia")}),
    Case("month-format", {}, MONTH, 2, "month", "格式不对",
         replace={MONTH: ("month: 2026-03", "month: 2026-3")}),
    Case("duplicate-month", {"content/months/march-copy.md": "---\nmonth: 2026-03\ntitle: 重复\nsummary: 重复。\n---\n"},
         "content/months/march-copy.md", 2, "month", "content/months/2026-03.md"),
    Case("missing-audio", {}, EPISODE, 11, "audio", "找不到音频文件 “ep001.mp3”",
         replace={EPISODE: ("guests:", "audio: ep001.mp3\nguests:")}),
    Case("unsafe-audio-path", {}, EPISODE, 11, "audio", "不能用 / 开头或 ..",
         replace={EPISODE: ("guests:", "audio: ../../../etc/passwd.mp3\nguests:")}),
    Case("non-ascii-audio", {}, EPISODE, 11, "audio", "只能用英文字母",
         replace={EPISODE: ("guests:", "audio: 第一期.mp3\nguests:")}),
    Case("audio-not-audio", {"content/radio/ep001.txt": "text"}, EPISODE, 11, "audio", "不支持的音频格式",
         replace={EPISODE: ("guests:", "audio: ep001.txt\nguests:")}),
    Case("audio-not-really-mp3", {"content/radio/ep001.mp3": "这不是音频"}, EPISODE, 11, "audio", "无法识别为 MP3 音频",
         replace={EPISODE: ("guests:", "audio: ep001.mp3\nguests:")}),
    Case("remote-audio-without-length", {}, EPISODE, 11, "audio_length", "音频是网址时必须填写 audio_length",
         replace={EPISODE: ("guests:", "audio: https://media.example.gov.cn/ep001.mp3\nguests:")}),
    Case("remote-audio-plain-http", {}, EPISODE, 11, "audio", "应以 https:// 开头",
         replace={EPISODE: ("guests:", "audio: http://media.example.gov.cn/ep001.mp3\nguests:")}),
    Case("local-audio-with-length", {}, EPISODE, 12, "audio_length", "从文件中读取",
         replace={EPISODE: ("guests:", "audio: ep001.mp3\naudio_length: 100\nguests:")}),
    Case("missing-transcript-file", {}, EPISODE, 11, "transcript", "找不到文字稿文件 “ep001.vtt”",
         replace={EPISODE: ("guests:", "transcript: ep001.vtt\nguests:")}),
    Case("malformed-transcript-file", {"content/radio/ep001.vtt": "这不是字幕\n"}, EPISODE, 11, "transcript",
         "文字稿文件格式错误", replace={EPISODE: ("guests:", "transcript: ep001.vtt\nguests:")}),
    Case("transcript-file-and-body", {"content/radio/ep001.vtt": "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n<v 林晓>你好\n"},
         EPISODE, 11, "transcript", "请二选一", replace={EPISODE: ("guests:", "transcript: ep001.vtt\nguests:")}),
    Case("artwork-not-an-image", {"content/radio/cover.png": ""}, "site_config/podcast.yml", 7, "image", "封面文件不是可识别的图片"),
    Case("artwork-outside-content", {}, "site_config/podcast.yml", 7, "image", "不能用 / 开头或 ..",
         replace={"site_config/podcast.yml": ("image: radio/cover.png", "image: ../site_config/cover.png")}),
    Case("podcast-without-guid", {}, "site_config/podcast.yml", 1, "guid", "请填写 guid: ",
         replace={"site_config/podcast.yml": ("guid: 3b7e3f8e-0b4c-5b43-9f7e-1f5a0d7a4c11", "")}),
    Case("podcast-unknown-category", {}, "site_config/podcast.yml", 8, "categories", "不是 Apple Podcasts 的分类",
         replace={"site_config/podcast.yml": ("Education/How To", "Law")}),
    Case("citation-unknown-law", {}, LESSON, 18, "正文", "未知的法律 “宪章”，是否为 “宪法”",
         replace={LESSON: ("宪法是国家的根本法。", "【宪章第五条】规定：宪法是国家的根本法。")}),
    Case("citation-unknown-article", {}, LESSON, 18, "正文", "site_config/laws.yml 中没有《中华人民共和国宪法》第九十九条的条文",
         replace={LESSON: ("宪法是国家的根本法。", "见【宪法第99条】。")}),
    Case("citation-paragraph-out-of-range", {}, LESSON, 18, "正文", "第三十三条只有 4 款",
         replace={LESSON: ("宪法是国家的根本法。", "> 【宪法第三十三条第五款】")}),
    Case("key-article-unknown", {}, LESSON, 9, "articles[0]", "未知的法律 “宪法典”",
         replace={LESSON: ("summary:", "articles: [宪法典第五条]\nsummary:")}),
    Case("key-article-not-a-citation", {}, LESSON, 9, "articles[0]", "不是法条引用",
         replace={LESSON: ("summary:", "articles: [宪法的序言]\nsummary:")}),
    Case("citation-in-month", {}, MONTH, 19, "正文", "没有《中华人民共和国民法典》第一条",
         replace={MONTH: ("三月的主题。", "三月的主题，学习【民法典第一条】。")}),
    Case("laws-yml-bad-article-key", {}, "site_config/laws.yml", 8, "laws.xianfa.articles", "条号 “5a”",
         replace={"site_config/laws.yml": ("      5:", "      5a:")}),
    Case("duplicate-episode-number", {"content/radio/again.md": "---\nnumber: 1\ntitle: 又一期\nair: 2026-03-20 18:30\n"
                                      "topic: xianfa\ndepartment: sifaju\nsummary: 重复。\nhosts:\n  - name: 林晓\n---\n"},
         "content/radio/ep001.md", 2, "number", "content/radio/again.md"),
    Case("bad-air-time", {}, EPISODE, 4, "air", "格式如 2026-03-13 18:30",
         replace={EPISODE: ("air: 2026-03-13 18:30", "air: 3月13日晚上")}),
    Case("transcript-out-of-order", {}, EPISODE, 27, "正文", "没有晚于上一句",
         replace={EPISODE: ("[01:20]", "[01:00]")}),
    Case("transcript-bad-timestamp", {}, EPISODE, 21, "正文", "时间码格式不对",
         replace={EPISODE: ("[00:05]", "[00.05]")}),
    Case("misspelt-nested-key", {}, EPISODE, 12, "guests[0].nmae", "是否为 “name”？",
         replace={EPISODE: ("  - name: 王法官", "  - nmae: 王法官")}),
    Case("guest-without-role", {}, EPISODE, 12, "guests[0].role", "缺少必填字段",
         replace={EPISODE: ("    role: 法官\n", "")}),
    Case("uppercase-page-name", {"content/About-Us.md": "# 关于\n"}, "content/About-Us.md", 1, "", "小写英文字母"),
    Case("page-unknown-key", {"content/contact.md": "---\ntitle: 联系\ntemplate: x.html\n---\n"},
         "content/contact.md", 3, "template", "不认识的字段"),
    Case("site-config-unknown-key", {}, "site_config/site.yml", 3, "titel", "是否为 “title”？",
         replace={"site_config/site.yml": ("title:", "titel:")}),
    Case("taxonomy-reserved-topic", {}, "site_config/taxonomy.yml", 5, "topics.grade", "键 grade 已被网站目录占用",
         replace={"site_config/taxonomy.yml": ("  minfadian:", "  grade:")}),
    Case("taxonomy-reserved-department", {}, "site_config/taxonomy.yml", 20, "departments.report", "键 report 已被网站目录占用",
         replace={"site_config/taxonomy.yml": ("  fayuan: 县人民法院", "  report: 县人民法院")}),
    Case("generated-url-taken", {"content/lessons/xianfa/x.md": lesson(topic="xianfa", slug="index-page"),
                                 "content/departments.md": "# 部门\n"},
         "content/departments.md", 1, "", "由网站自动生成"),
]


BY_ID = {case.id: case for case in CASES}




@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_error_names_file_line_and_field(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


def test_artwork_must_be_square_rgb_and_large_enough(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    Image.new("RGBA", (1400, 1000), (255, 0, 0, 128)).save(minisite.root / "content/radio/cover.png")
    monkeypatch.chdir(minisite.root)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    for phrase in ("应为正方形，现为 1400×1000", "应为 RGB 色彩", "边长应在 1400 到 3000"):
        assert "site_config/podcast.yml:7: image: radio/cover.png：封面" in err and phrase in err, err
    Image.new("RGB", (1000, 1000)).save(minisite.root / "content/radio/cover.png")
    assert main(["check"]) == 1
    assert "边长应在 1400 到 3000 像素之间，现为 1000×1000" in capsys.readouterr().err


def test_corpus_has_enough_cases() -> None:
    assert len(CASES) >= 15
    assert len({case.id for case in CASES}) == len(CASES)


def test_all_errors_in_all_files_at_once(minisite: Site) -> None:
    for case in ("unknown-topic", "dangling-episode-ref", "missing-audio", "uppercase-page-name"):
        apply(minisite, BY_ID[case])
    result = minisite.check()
    assert result.returncode == 1
    paths = {line.split(":", 1)[0] for line in result.stderr.splitlines() if re.match(r"^\S+:\d+: ", line)}
    assert paths == {LESSON, MONTH, EPISODE, "content/About-Us.md"}
    assert "共发现 4 处错误" in result.stderr


def test_build_with_errors_fails_cleanly_and_keeps_previous_output(minisite: Site) -> None:
    first = minisite.build()
    assert first.returncode == 0, first.output
    index = minisite.out / "index.html"
    before = index.read_bytes()
    listing = sorted(p.relative_to(minisite.out) for p in minisite.out.rglob("*"))

    apply(minisite, BY_ID["unknown-topic"])
    apply(minisite, BY_ID["missing-audio"])
    second = minisite.build_command()  # the installed command: its output, not only the plugin's errors
    assert second.returncode != 0
    assert "Traceback" not in second.output
    assert f"{LESSON}:3: topic: 未知的主题 “xianfaa”" in second.output
    assert f"{EPISODE}:11: audio: 找不到音频文件" in second.output
    assert index.read_bytes() == before
    assert sorted(p.relative_to(minisite.out) for p in minisite.out.rglob("*")) == listing


def test_broken_site_config_fails_build_before_cleaning(minisite: Site) -> None:
    assert minisite.build().returncode == 0
    apply(minisite, BY_ID["site-config-unknown-key"])
    result = minisite.build()
    assert result.returncode != 0
    assert "site_config/site.yml:3: titel: 不认识的字段" in result.output
    assert "Traceback" not in result.output
    assert (minisite.out / "index.html").is_file()


def test_serve_reports_errors_without_traceback(minisite: Site) -> None:
    from conftest import BIN, run

    apply(minisite, BY_ID["unknown-topic"])
    with socket.socket() as probe:  # a free port, should the server ever get as far as listening
        probe.bind(("127.0.0.1", 0))
        address = "127.0.0.1:%d" % probe.getsockname()[1]
    result = run([str(BIN / "mkdocs"), "serve", "--no-livereload", "-a", address], minisite.root)
    assert result.returncode != 0
    assert f"{LESSON}:3: topic: 未知的主题 “xianfaa”" in result.output
    assert "Traceback" not in result.output
