"""The content HTML policy: refused at `pufa check` with file and line, stripped at render.

Cases put hostile HTML or URLs into Markdown bodies; each must be reported at
its own line under the field 正文. The sanitiser tests call
:func:`pufa.htmlpolicy.sanitize` directly, as if the check had been bypassed,
and make sure it keeps pufa's own markup intact.
"""

from __future__ import annotations

import re
import time

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import Site
from corpus import HANG_SECONDS, EPISODE, LESSON, MONTH, Case, apply, check_case, lesson
from pufa.cli import main
from pufa.citing import inline_html, quote_html
from pufa.htmlpolicy import body_problems, sanitize
from pufa.laws import LawBook
from pufa.transcript import Cue, cue_html

NEW = "content/lessons/xianfa/new.md"
#: The first body line of a file made by :func:`body`.
FIRST = 10


def body(text: str) -> dict[str, str]:
    """A new valid lesson whose body is ``text`` (its first line is line 10)."""
    return {NEW: lesson().replace("正文。\n", text)}


def case(id: str, text: str, phrase: str, line: int = FIRST) -> Case:
    return Case(f"html-{id}", body(text), NEW, line, "正文", phrase)


CASES = [
    case("script", "正文<script>alert(1)</script>\n", "<script>：脚本会在读者的浏览器里执行代码"),
    case("iframe", "第一段。\n\n<iframe src=\"https://evil.example.com/\"></iframe>\n", "<iframe>：不能嵌入", FIRST + 2),
    case("object", "<object data=\"x.swf\"></object>\n", "<object>：不能嵌入"),
    case("embed", "段落 <embed src=\"x.swf\">\n", "<embed>：不能嵌入"),
    case("form", "<form action=\"https://evil.example.com/\">\n报名\n</form>\n", "<form>：不允许表单控件"),
    case("input", "请输入密码：<input type=\"password\">\n", "<input>：不允许表单控件"),
    case("textarea", "留言：\n<textarea></textarea>\n", "<textarea>：不允许表单控件", FIRST + 1),
    case("onerror", "<img src=\"a.png\" onerror=\"alert(1)\">\n", "<img> 的事件属性 onerror"),
    case("onclick", "点<span onclick=\"alert(1)\">这里</span>\n", "<span> 的事件属性 onclick"),
    case("javascript-href", "<a href=\"javascript:alert(1)\">点我</a>\n", "“javascript:alert(1)” 会在读者的浏览器里执行代码"),
    case("markdown-javascript-link", "详见[这里](javascript:alert(1))。\n", "“javascript:alert(1)” 会在读者的浏览器里执行代码"),
    case("entity-javascript", "<a href=\"&#106;ava&#x73;cript&#58;alert(1)\">点我</a>\n", "会在读者的浏览器里执行代码"),
    case("markdown-obfuscated-javascript", "[点我]( JaVa&#x09;Script:alert(1))\n", "会在读者的浏览器里执行代码"),
    case("vbscript", "<a href=\"VBScript:MsgBox(1)\">点我</a>\n", "“VBScript:MsgBox(1)” 会在读者的浏览器里执行代码"),
    case("data-image", "![图](data:image/png;base64,iVBORw0KGgo=)\n", "data: 网址"),
    case("data-link", "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>\n", "data: 网址"),
    case("style-element", "<style>body { display: none }</style>\n", "<style>：样式由网站主题统一设定"),
    case("style-attribute", "<span style=\"color: red\">红字</span>\n", "<span> 的 style 属性不允许"),
    case("external-img", "<img src=\"https://evil.example.com/track.png\" alt=\"\">\n", "来自其他网站"),
    case("markdown-external-img", "![图](//evil.example.com/x.png)\n", "来自其他网站"),
    case("reference-image", "![图][logo]\n\n[logo]: https://evil.example.com/logo.png\n", "来自其他网站", FIRST + 2),
    case("reference-javascript", "[点我][x]\n\n[x]: javascript:alert(1)\n", "会在读者的浏览器里执行代码", FIRST + 2),
    case("meta-refresh", "<meta http-equiv=\"refresh\" content=\"0; url=https://evil.example.com/\">\n", "<meta>：会改变整个页面的行为"),
    case("base", "<base href=\"https://evil.example.com/\">\n", "<base>：会改变整个页面的行为"),
    case("link", "<link rel=\"stylesheet\" href=\"https://evil.example.com/x.css\">\n", "<link>：会改变整个页面的行为"),
    case("svg", "<svg onload=\"alert(1)\"></svg>\n", "<svg>：可能执行代码"),
    case("unknown-tag", "<marquee>滚动</marquee>\n", "不支持的 HTML 标签 <marquee>"),
    case("unknown-attribute", "<img src=\"a.png\" srcset=\"https://evil.example.com/x.png 2x\">\n", "<img> 不支持属性 srcset"),
    case("file-scheme", "[本地](file:///etc/passwd)\n", "不支持的网址类型 “file:”"),
    case("attr-list-onclick", "一段话。\n{: onclick=\"alert(1)\" }\n", "属性列表", FIRST + 1),
    case("after-code", "```html\n<script>在代码块里没关系</script>\n```\n\n`<iframe>` 也没关系，<iframe></iframe> 不行\n",
         "<iframe>：不能嵌入", FIRST + 4),
    case("multiline-tag", "文字\n<a class=\"x\"\n   href=\"javascript:alert(1)\">点我</a>\n", "会在读者的浏览器里执行代码", FIRST + 1),
    Case("html-month-body", {}, MONTH, 19, "正文", "<iframe>：不能嵌入",
         replace={MONTH: ("三月的主题。", "<iframe src=\"https://evil.example.com/\"></iframe>")}),
    Case("html-episode-intro", {}, EPISODE, 17, "正文", "<script>：脚本",
         replace={EPISODE: ("\n## 开场", "\n<script>alert(1)</script>\n\n## 开场")}),
    Case("html-page-body", {}, "content/about.md", 7, "正文", "<a> 的事件属性 onmouseover",
         replace={"content/about.md": ("这是测试站点。", "<a href=\"#\" onmouseover=\"alert(1)\">测试</a>")}),
]

ALLOWED = """\
<details><summary>展开</summary>折叠的内容</details>

| 项目 | 说明 |
| --- | --- |
| <abbr title="中华人民共和国">中国</abbr> | 第一行<br>第二行 |

<div class="note" markdown>**提示**：H<sub>2</sub>O、x<sup>2</sup>、<kbd>Ctrl</kbd>、<mark>重点</mark>、<ruby>法<rt>fǎ</rt></ruby></div>

<img src="images/a.png" alt="示意图" width="300"> ![图](../../radio/cover.png) ![图](/radio/cover.png)
<a href="https://www.gov.cn/">政府网</a> <a href="mailto:a@example.gov.cn">来信</a> <a href="tel:12348">热线</a>
[相对链接](quanli.md) <https://www.npc.gov.cn/> <fazhi@example.gov.cn> <!-- 注释 -->
代码里的 `<script>` 和 ``<iframe src="x">`` 不算。

```html
<script>alert("代码块")</script>
```
"""


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_refused_html_is_located(minisite: Site, case: Case, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    check_case(minisite, case, capsys, monkeypatch)


def test_every_refused_piece_is_reported_once_per_line() -> None:
    problems = body_problems("<script></script><iframe></iframe>\n[x](javascript:1)\n", "x.md", 5)
    assert [(p.line, p.field) for p in problems] == [(5, "正文"), (5, "正文"), (6, "正文")]


def test_allowed_html_passes(minisite: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert body_problems(ALLOWED, "x.md", 1) == []
    apply(minisite, Case("allowed", body(ALLOWED), NEW, 0, "", ""))
    monkeypatch.chdir(minisite.root)
    assert main(["check"]) == 0, capsys.readouterr().err


def test_transcript_cues_are_plain_text_not_html(minisite: Site, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A cue is escaped on output, so `<b>` in what someone said is no HTML to refuse."""
    text = minisite.read(EPISODE).replace("各位听众朋友好。", "我们说说 <script> 标签和 a<b 的写法。")
    minisite.write(EPISODE, text)
    monkeypatch.chdir(minisite.root)
    assert main(["check"]) == 0, capsys.readouterr().err


# --- the sanitiser, as if the check had been bypassed ---------------------------------------

HOSTILE_HTML = {
    "script": "<p>a<script>alert(1)</script>b</p>",
    "iframe": '<iframe src="https://evil.example.com/">x</iframe>',
    "object": '<object data="x.swf"></object><embed src="x.swf">',
    "form": '<form action="https://evil.example.com/"><input name="p"><button>go</button><select><option>1</option></select><textarea>t</textarea></form>',
    "on-attribute": '<img src="a.png" onerror="alert(1)"><p onclick="alert(1)" onmouseover="x">t</p>',
    "javascript": '<a href="javascript:alert(1)">a</a><a href="&#106;avascript:alert(1)">b</a><a href=" JaVa\tScRiPt:alert(1)">c</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">a</a>',
    "data": '<img src="data:image/png;base64,AAAA"><a href="data:text/html,x">d</a>',
    "external-img": '<img src="https://evil.example.com/x.png"><img src="//evil.example.com/y.png">',
    "style": '<style>p{}</style><p style="color:red">t</p><td style="background:url(https://evil.example.com/)">c</td>',
    "head": '<meta http-equiv="refresh" content="0;url=https://evil.example.com/"><base href="https://evil.example.com/"><link rel="stylesheet" href="x.css">',
    "svg": '<svg onload="alert(1)"><script>alert(1)</script></svg><math><mi>x</mi></math>',
}


@pytest.mark.parametrize("name", list(HOSTILE_HTML))
def test_sanitiser_strips_what_can_run(name: str) -> None:
    cleaned = str(sanitize(HOSTILE_HTML[name]))
    parsed = BeautifulSoup(cleaned, "html.parser")
    for tag in ("script", "iframe", "object", "embed", "form", "input", "button", "select", "textarea", "style",
                "meta", "base", "link", "svg", "math"):
        assert parsed.find(tag) is None, cleaned
    for element in parsed.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.startswith("on"), cleaned
            if attribute == "style":  # only the alignment of table cells survives
                assert element.name in ("td", "th") and "url" not in value, cleaned
            if attribute in ("href", "src"):
                assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), cleaned
                assert attribute != "src" or not re.match(r"(https?:)?//", value), cleaned
    assert "alert" not in cleaned and "evil.example.com" not in cleaned, cleaned


def test_sanitiser_keeps_links_text_and_relative_images() -> None:
    cleaned = str(sanitize('<p><a href="https://www.gov.cn/">政府网</a> <a href="mailto:a@b.cn">信</a>'
                           '<img src="../images/a.png" alt="图"> <a href="../../laws/">法</a></p>'))
    assert cleaned == ('<p><a href="https://www.gov.cn/">政府网</a> <a href="mailto:a@b.cn">信</a>'
                       '<img src="../images/a.png" alt="图"> <a href="../../laws/">法</a></p>')


def _normalised(fragment: str) -> str:
    """One serialisation for two equal fragments (entities, void tags, style spacing)."""
    parsed = BeautifulSoup(fragment, "html.parser")
    for element in parsed.find_all(style=True):
        element["style"] = element["style"].replace(" ", "").rstrip(";")
    for table in parsed.find_all("table"):  # html5ever makes the implied <tbody> explicit
        for row in table.find_all("tr", recursive=False):
            row.wrap(parsed.new_tag("tbody"))
    return parsed.decode(formatter="html5")


PUFA_MARKDOWN = """\
# 标题

## 第二节

正文里有脚注[^1]，有<abbr title="全称">缩写</abbr>。

| 左 | 中 |
| :-- | :-: |
| 一 | 二 |

!!! note "提示"
    提示内容。

??? tip "展开看"
    折叠内容。

```python
print("<代码>")
```

项目
:   定义

[^1]: 脚注内容。
"""


def test_sanitiser_keeps_pufa_markdown_output() -> None:
    rendered = markdown.markdown(PUFA_MARKDOWN, extensions=[
        "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "pymdownx.details",
        "pymdownx.superfences", "toc"], extension_configs={"toc": {"permalink": True}})
    assert 'class="headerlink"' in rendered and 'class="footnote-ref"' in rendered
    assert 'class="admonition note"' in rendered and "<details" in rendered and "text-align" in rendered
    assert _normalised(sanitize(rendered)) == _normalised(rendered)


def test_sanitiser_keeps_citations_and_cues() -> None:
    book = LawBook.model_validate({"laws": {"xianfa": {
        "title": "中华人民共和国宪法", "short": ["宪法"], "version": "2018年修正", "source": "测试用条文",
        "articles": {"33": ["凡具有中华人民共和国国籍的人都是中华人民共和国公民。", "国家尊重和保障人权。"]}}}})
    from pufa.laws import Citation

    citation = Citation("xianfa", "33")
    pieces = [
        inline_html(citation, book, "lessons/xianfa/x/", "cite-0123456789ab-0"),
        quote_html(citation, book, "lessons/xianfa/x/"),
        cue_html(Cue(65, "林晓", "各位听众 <好>", 3)),
    ]
    for piece in pieces:
        assert str(sanitize(piece)) == str(piece)
    assert 'aria-hidden="true"' in pieces[0] and 'aria-describedby="pufa-cite-0123456789ab-0"' in pieces[0]
    assert 'data-start="65"' in pieces[2]


PATHOLOGICAL = {
    "unclosed-comments": "<!--" * 100_000,
    "unclosed-tags": "<a" * 100_000,
    "end-tags": "</" * 100_000,
    "open-quotes": '<a x="' * 100_000,
    "angle-destinations": "](<" * 100_000,
    "brackets": "![" * 100_000,
    "backtick-runs": " ".join("`" * k for k in range(1, 700)),
    "autolink-dots": "<a@" + ".x" * 100_000,
    "nested-entities": "[x](" + "%25" * 100_000 + "6A)",
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_check_and_sanitiser_stay_linear_on_pathological_bodies(name: str) -> None:
    """HTMLParser and back-referencing regexes rescan unclosed constructs: minutes for these."""
    started = time.process_time()
    body_problems(PATHOLOGICAL[name], "x.md", 1)
    sanitize(PATHOLOGICAL[name])
    assert time.process_time() - started < HANG_SECONDS
