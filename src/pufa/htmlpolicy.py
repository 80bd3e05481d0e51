"""What HTML an editor may write in a Markdown body, enforced twice.

A county site must never run a script or load anything from another host
because of a pasted snippet. One allow-list serves two uses:

* :func:`body_problems` runs at ``pufa check`` (and the build's load step) and
  turns anything outside the allow-list into a located error, so the editor
  learns what to change *before* publishing;
* :func:`sanitize` runs on every page's rendered HTML (nh3, the bindings of
  the ammonia sanitiser) as a second line of defence, in case something slips
  past the check (a new Markdown extension, an ``attr_list`` attribute, a bug).

Front matter and site_config values are plain text and never HTML: templates
escape them. Only Markdown bodies may carry HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3
from markupsafe import Markup

from .errors import ContentError

FIELD = "正文"

#: Tags an editor may write. Everything Markdown itself produces is among them.
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var",
})

#: Attributes an editor may write, per tag ("*": on every allowed tag).
ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title", "lang"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "ol": frozenset({"start", "type", "reversed"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
}

#: What pufa's own Markdown output adds (never written by editors): the
#: ``name`` of code-line anchors, citations' hidden article text and the links it describes, transcript
#: cues' start times, aligned table columns (``style="text-align: …"``).
RENDER_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"aria-hidden"}),
    "a": frozenset({"name", "aria-describedby"}),
    "p": frozenset({"data-start"}),
    "td": frozenset({"style"}),
    "th": frozenset({"style"}),
}

#: Link schemes readers may follow; anything else (javascript:, data:, file: …) is refused.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_RUNS = "会在读者的浏览器里执行代码"
#: Tags refused with a specific reason and what to do instead.
REFUSED: dict[str, str] = {
    **dict.fromkeys(("script", "noscript"), f"脚本{_RUNS}，不允许；请删除（需要互动功能请联系网站管理员）"),
    **dict.fromkeys(
        ("iframe", "frame", "frameset", "object", "embed", "applet", "portal"),
        "不能嵌入其他网站或插件的内容（可能执行代码、跟踪读者）；请改为普通链接，如 [标题](https://…)",
    ),
    **dict.fromkeys(
        ("form", "input", "button", "select", "option", "textarea", "fieldset", "label", "output", "datalist"),
        "不允许表单控件：本站不收集读者填写的信息；请删除，或改为链接到办事页面",
    ),
    "style": "样式由网站主题统一设定，不允许 <style>；请删除，强调请用 **加粗**",
    **dict.fromkeys(
        ("link", "meta", "base"),
        "会改变整个页面的行为（跳转、从其他网站加载文件），不允许；请删除",
    ),
    **dict.fromkeys(
        ("svg", "math", "canvas", "template", "slot"),
        "可能执行代码，不允许；图表请做成图片放进 content/，用 ![说明](图片.png) 插入",
    ),
    **dict.fromkeys(
        ("audio", "video", "source", "track", "picture"),
        "不支持在正文里插入音视频；节目音频请用电台节目的 audio 字段发布",
    ),
}

_CODE_FENCE = re.compile(r"^\s*(```|~~~)")
_BACKTICKS = re.compile(r"`+")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@.]+(?:\.[^\s<>@.]+)+)>")
# Link text may nest one level of brackets ([a [b] c](x)); no bracket run makes the search quadratic.
_TEXT = r"(?:[^\[\]\\\n]|\\.)*"
_DESTINATION = r"(<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
_LINK_DESTINATION = re.compile(r"\]\(\s*" + _DESTINATION)
_IMAGE = re.compile(r"!\[" + _TEXT + r"(?:\[" + _TEXT + r"\]" + _TEXT + r")*\]\(\s*" + _DESTINATION)
_REF_DEF = re.compile(r"^ {0,3}\[((?:[^\]\\]|\\.)+)\]:\s*(<[^<>\n]*>|\S+)")
_IMAGE_REF = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\](?:\[((?:[^\[\]\\]|\\.)*)\])?")
_ANGLE_DESTINATION = re.compile(r"(?:\]\(\s*|^ {0,3}\[(?:[^\]\\]|\\.)+\]:\s*)(<[^<>\n]*>)")
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_ATTR_LIST_BAD = re.compile(r"(?:^|[\s{:])(on[a-z]+|style)\s*=", re.I)
#: ``{: href="…" }`` and ``{: src="…" }`` replace the URL Markdown wrote.
_ATTR_LIST_URL = re.compile(r"""(?:^|[\s{:])(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s}]+))""", re.I)
#: ``[text](`` at the end of a line, the destination on the next: Markdown joins them.
_LINK_DESTINATION_NEXT_LINE = re.compile(r"\]\([ \t]*\n\s*" + _DESTINATION)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# Browsers drop ASCII tab/newline anywhere in a URL and C0 controls/space at its ends.
_URL_JUNK = re.compile(r"[\x00-\x20\x7f]+")


def _normalise(url: str) -> str:
    """The URL as a browser would see it: entities decoded, junk characters dropped, lower case."""
    for _ in range(3):  # &amp;#106; and %256A decode in two rounds; a few suffice
        url = unquote(html.unescape(url))
    return _URL_JUNK.sub("", url).lower()


def url_problem(url: str, *, image: bool) -> str | None:
    """Why ``url`` may not be a link (or, with ``image``, an image source); None if it may."""
    shown = url if len(url) <= 40 else url[:37] + "…"
    plain = _normalise(url)
    scheme = _SCHEME.match(plain)
    if scheme and scheme.group(1) in ("javascript", "vbscript"):
        return f"网址 “{shown}” {_RUNS}，不允许；请改为 https:// 网址或站内链接"
    if scheme and scheme.group(1) == "data":
        return f"data: 网址 “{shown}” 会嵌入未经检查的内容，不允许；图片请放进 content/，用相对路径引用"
    if scheme and scheme.group(1) not in LINK_SCHEMES:
        return f"不支持的网址类型 “{scheme.group(1)}:”；请用 https://、http://、mailto:、tel: 或站内链接"
    if image and (scheme or plain.startswith("//") or plain.startswith("\\")):
        return (f"图片 “{shown}” 来自其他网站：本站不从其他网站加载任何内容；"
                "请把图片放进 content/，用相对路径引用，如 ![说明](images/图片.png)")
    return None


def _mask(text: str) -> str:
    """``text`` with fenced code and code spans blanked out, lines and columns kept."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if _CODE_FENCE.match(line):
            fenced = not fenced
            out.append("")
            continue
        out.append("" if fenced else without_code_spans(line))
    return "\n".join(out)


def without_code_spans(line: str) -> str:
    """A code span opens with a run of backticks and closes at the next run of the same
    length; found in one pass (a regex with a back-reference is quadratic on many runs)."""
    runs = [(match.start(), match.end()) for match in _BACKTICKS.finditer(line)]
    if len(runs) < 2:
        return line
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = last.get(length)
        last[length] = index
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        close = following[index]
        if close is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[close][1]))
        index = close + 1
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces += [line[position:start], " " * (end - start)]
        position = end
    return "".join(pieces) + line[position:]


class _Finder(HTMLParser):
    """Collects (body line, problem) for every tag or attribute outside the allow-list.

    It is fed one complete tag at a time (see :func:`_html_problems`), on the
    line :attr:`line` that tag starts on.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.line = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.line
        if tag in REFUSED:
            self.found.append((line, f"<{tag}>：{REFUSED[tag]}"))
            return
        if tag not in TAGS:
            self.found.append((line, f"不支持的 HTML 标签 <{tag}>；可用的标签见编写指南“正文里可以写的 HTML”，或改用 Markdown"))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, frozenset()) | {"markdown"}
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((line, f"<{tag}> 的事件属性 {name} {_RUNS}，不允许；请删除"))
            elif name == "style":
                self.found.append((line, f"<{tag}> 的 style 属性不允许：样式由网站主题统一设定；请删除"))
            elif name not in allowed:
                self.found.append((line, f"<{tag}> 不支持属性 {name}；请删除（可用属性见编写指南“正文里可以写的 HTML”）"))
            elif name in ("href", "src") and value:
                problem = url_problem(value, image=name == "src")
                if problem:
                    self.found.append((line, problem))

    handle_startendtag = handle_starttag


#: A start tag as Python-Markdown passes it through: no bare ``<`` or ``>`` outside
#: quoted values. Finding tags with this (linear) pattern and giving HTMLParser one
#: complete tag at a time avoids its quadratic rescans of unclosed ``<!--`` or ``<a<a…``
#: (minutes for a few hundred kilobytes).
_START_TAG = re.compile(r"""<[a-zA-Z](?:[^<>"']|"[^"]*"|'[^']*')*>""")


def _without_comments(text: str) -> str:
    """Complete ``<!-- … -->`` comments blanked (an unclosed one is left: it hides nothing)."""
    parts: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        parts += [text[position:start], re.sub(r"[^\n]", " ", text[start : end + 3])]
        position = end + 3
    return "".join(parts) + text[position:]


def _html_problems(text: str) -> list[tuple[int, str]]:
    finder = _Finder()
    line, counted = 1, 0
    for match in _START_TAG.finditer(_without_comments(text)):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        finder.reset()
        finder.line = line
        finder.feed(match.group(0))
        finder.close()
    return finder.found


def _markdown_problems(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Markdown links, images, reference definitions, autolinks and attribute lists."""
    image_refs = {
        (ref or text).strip().lower() for line in lines for text, ref in _IMAGE_REF.findall(line)
    }
    for index, line in enumerate(lines, start=1):
        for match in _AUTOLINK.finditer(line):
            target = match.group(1)
            if "@" in target and not _SCHEME.match(target.lower()):
                continue  # <someone@example.gov.cn>: an e-mail address
            problem = url_problem(target, image=False)
            if problem:
                yield index, problem
        for pattern, image in ((_LINK_DESTINATION, False), (_IMAGE, True)):
            for match in pattern.finditer(line):
                problem = url_problem(match.group(1).strip("<>"), image=image)
                if problem:
                    yield index, problem
        definition = _REF_DEF.match(line)
        if definition:
            image = definition.group(1).strip().lower() in image_refs
            problem = url_problem(definition.group(2).strip("<>"), image=image)
            if problem:
                yield index, problem
        for match in _ATTR_LIST.finditer(line):
            bad = _ATTR_LIST_BAD.search(match.group(0))
            if bad:
                yield index, f"属性列表 {match.group(0)} 中的 {bad.group(1)} 不允许（事件属性{_RUNS}，样式由主题统一设定）；请删除"
            for url in _ATTR_LIST_URL.finditer(match.group(0)):
                problem = url_problem(url.group(2) or url.group(3) or url.group(4) or "", image=url.group(1).lower() == "src")
                if problem:
                    yield index, problem
    text = "\n".join(lines)
    line, counted = 1, 0
    for match in _LINK_DESTINATION_NEXT_LINE.finditer(text):
        line += text.count("\n", counted, match.start(1))
        counted = match.start(1)
        problem = url_problem(match.group(1).strip("<>"), image=False)
        if problem:
            yield line, problem


def _without_autolinks(line: str) -> str:
    # <https://…>, <a@b.cn> and [x](<a b.md>) are Markdown, not tags; keep the columns.
    line = _ANGLE_DESTINATION.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + " " * len(m.group(1)), line)
    return _AUTOLINK.sub(lambda m: " " * len(m.group(0)), line)


def body_problems(body: str, shown: str, first_line: int) -> list[ContentError]:
    """Every piece of HTML or every URL in a Markdown body that the policy refuses, located."""
    return [ContentError(shown, first_line + line - 1, FIELD, message) for line, message in _body_problems(body)]


@lru_cache(maxsize=16384)  # a county of many thousand items; the preview asks again on every save
def _body_problems(body: str) -> tuple[tuple[int, str], ...]:
    masked = _mask(body)
    lines = masked.split("\n")
    tags = _html_problems("\n".join(_without_autolinks(line) for line in lines))
    return tuple(sorted({*tags, *_markdown_problems(lines)}))


# --- render time -------------------------------------------------------------------------------

def _merged(*tables: dict[str, frozenset[str]]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for table in tables:
        for tag, names in table.items():
            merged.setdefault(tag, set()).update(names)
    return merged


_SANITIZE_ATTRIBUTES = _merged(ATTRIBUTES, RENDER_ATTRIBUTES)
#: Elements removed with everything inside them, not just their tags.
_DROP_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "textarea", "select", "svg", "math"}


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if tag == "img" and name == "src" and url_problem(value, image=True):
        return None
    return value


def sanitize(rendered: str) -> Markup:
    """Rendered page HTML with only what the policy allows; the one place page HTML becomes Markup."""
    return Markup(
        nh3.clean(
            rendered,
            tags=set(TAGS),
            clean_content_tags=_DROP_WITH_CONTENT,
            attributes=_SANITIZE_ATTRIBUTES,
            attribute_filter=_attribute_filter,
            url_schemes=set(LINK_SCHEMES),
            filter_style_properties={"text-align"},
            link_rel=None,
        )
    )
