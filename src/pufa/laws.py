"""Law citations: what the site cites (``site_config/laws.yml``) and the 【…】 syntax.

Editors cite an article as they would write it in Chinese, in full-width
brackets: ``【宪法第三十三条】``, ``【民法典第1254条第一款】``,
``【刑法第二百九十一条之二】``. Without pufa the brackets still read
naturally; with it, a citation links to the article on the law's page and
shows the article's text on hover or tap. A blockquote holding nothing but a
citation becomes the quoted text itself, taken from ``laws.yml``, so a quote
can only ever be the verified text.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from . import routes
from .errors import ContentError
from .scalars import STRICT, Plain
from .yamlsource import YamlDocument


#: 万 and 亿 are matched so that an absurd number is reported, not passed over as plain text.
_NUMBER = r"[〇零一二三四五六七八九十百千万亿0-9０-９]+"
CITATION = re.compile(
    rf"【\s*(?P<law>[^【】\s]+?)\s*第(?P<article>{_NUMBER})条(?:之(?P<sub>{_NUMBER}))?"
    rf"(?:第(?P<paragraph>{_NUMBER})款)?(?:第(?P<item>{_NUMBER})项)?\s*】"
)
#: ``N`` or ``N-M`` (第N条之M).
ARTICLE_KEY = re.compile(r"^[1-9]\d*(-[1-9]\d*)?$")
#: No law has more articles, paragraphs or items than this; larger numbers are typos.
MAX_NUMBER = 9999
#: A 项 inside a paragraph: a line that starts with （一）, （二） …
_ITEM = re.compile(r"^\s*（[一二三四五六七八九十]+）", re.M)


def count_items(paragraph: str) -> int:
    """How many 项 a paragraph lists, one per line as laws.yml stores them."""
    return len(_ITEM.findall(paragraph))


def to_int(text: str) -> int:
    """Chinese (一千零四十三) or Arabic (1043, full-width too) numerals."""
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if len(text) > 16:
        raise ValueError(text)
    if text.isdigit():
        return int(text)
    import cn2an  # loaded on first use, as in chinese(): `pufa --help` needs neither

    return int(cn2an.cn2an(text, "strict"))


@lru_cache(maxsize=4096)
def chinese(number: int) -> str:
    """33 -> 三十三; cached: every citation's label asks, and cn2an was a tenth of a preview's rebuild."""
    import cn2an

    return str(cn2an.an2cn(number))


class Law(BaseModel):
    model_config = STRICT

    title: Annotated[str, Field(min_length=2), Plain]
    short: list[Annotated[str, Field(min_length=2), Plain]] = []
    version: Annotated[str, Field(min_length=4)]
    #: Where and when the quoted text was checked character by character (copy,
    #: its version or commit, date). Required so that after an amendment a county
    #: knows which quotes to re-check and against what.
    source: Annotated[str, Field(min_length=4)]
    articles: dict[str, Annotated[list[Annotated[str, Field(min_length=1), Plain]], Field(min_length=1)]]

    @field_validator("articles", mode="before")
    @classmethod
    def _keys_as_text(cls, value: object) -> object:
        # YAML gives 33 as an int and "291-2" as text; keep one key type.
        if isinstance(value, dict):
            return {str(key): paragraphs for key, paragraphs in value.items()}
        return value

    @field_validator("articles")
    @classmethod
    def _article_numbers(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key in value:
            if not ARTICLE_KEY.match(key):
                raise ValueError(f"条号 “{key}” 应写作阿拉伯数字，如 33；“第N条之M”写作 \"N-M\"")
        return value


class LawBook(BaseModel):
    """The ``laws.yml`` file."""

    model_config = STRICT
    laws: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*$", max_length=40)], Law] = {}

    @field_validator("laws")
    @classmethod
    def _names_are_unambiguous(cls, laws: dict[str, Law]) -> dict[str, Law]:
        """A name two laws share would make 【宪法第五条】 cite whichever comes first."""
        owner: dict[str, str] = {}
        for key, law in laws.items():
            for name in {law.title, law.title.removeprefix("中华人民共和国"), *law.short}:
                if owner.setdefault(name, key) != key:
                    raise ValueError(f"名称 “{name}” 同时属于 {owner[name]} 和 {key}，引用时无法区分；请删除或改正其中一个的 title 或 short")
        return laws

    @cached_property
    def digest(self) -> str:
        """What the book says, as a key: the same laws.yml read again has the same digest."""
        return hashlib.blake2b(self.model_dump_json().encode("utf-8"), digest_size=16).hexdigest()

    @cached_property
    def names(self) -> dict[str, str]:
        """Every name an editor may write -> law key (computed once per load)."""
        names: dict[str, str] = {}
        for key, law in self.laws.items():
            for name in (law.title, law.title.removeprefix("中华人民共和国"), *law.short):
                names.setdefault(name, key)
        return names


@dataclass(frozen=True)
class Citation:
    """A resolved reference to an article (optionally one paragraph of it)."""

    law: str  # law key
    article: str  # "33" or "291-2"
    paragraph: int | None = None
    item: int | None = None

    @property
    def anchor(self) -> str:
        return routes.article_anchor(self.article)

    @property
    def url(self) -> str:
        """Site-relative URL of the article on its law page."""
        return routes.article(self.law, self.article)

    def article_label(self) -> str:
        number, _, sub = self.article.partition("-")
        label = f"第{chinese(int(number))}条" + (f"之{chinese(int(sub))}" if sub else "")
        if self.paragraph:
            label += f"第{chinese(self.paragraph)}款"
        if self.item:
            label += f"第{chinese(self.item)}项"
        return label

    def label(self, book: LawBook) -> str:
        """``《中华人民共和国宪法》第三十三条第一款``."""
        return f"《{book.laws[self.law].title}》{self.article_label()}"

    def text(self, book: LawBook) -> list[str]:
        """The quoted paragraphs: the whole article, or the one paragraph cited."""
        paragraphs = book.laws[self.law].articles[self.article]
        return [paragraphs[self.paragraph - 1]] if self.paragraph else list(paragraphs)


class CitationError(Exception):
    """An unresolvable citation; the message is Chinese."""


def resolve(match: re.Match[str], book: LawBook) -> Citation:
    """Turn one 【…】 match into a :class:`Citation`, or explain what is missing."""
    name = match.group("law").strip("《》")
    names = book.names
    if name not in names:
        guess = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
        if guess:
            raise CitationError(f"未知的法律 “{name}”，是否为 “{guess[0]}”？")
        titles = "、".join(f"《{law.title}》" for law in book.laws.values())
        known = f"现有 {titles}" if titles else "其中还没有任何法律，请按文件开头的示例录入"  # a new site's empty laws.yml
        raise CitationError(f"未知的法律 “{name}”：引用的法律须先写入 site_config/laws.yml（{known}）")
    key = names[name]
    law = book.laws[key]
    article = str(_number(match, "article"))
    if match.group("sub"):
        article += f"-{_number(match, 'sub')}"
    paragraph = _number(match, "paragraph") if match.group("paragraph") else None
    item = _number(match, "item") if match.group("item") else None
    citation = Citation(key, article, paragraph, item)
    if article not in law.articles:
        raise CitationError(
            f"site_config/laws.yml 中没有《{law.title}》{Citation(key, article).article_label()}的条文："
            "请先核对官方文本并录入，或改正条号"
        )
    if paragraph is not None and not 1 <= paragraph <= len(law.articles[article]):
        raise CitationError(f"《{law.title}》{Citation(key, article).article_label()}只有 {len(law.articles[article])} 款")
    if item is not None:
        _check_item(citation, law)
    return citation


def _number(match: re.Match[str], group: str) -> int:
    """One number of a citation, within what a law can have."""
    text = match.group(group)
    shown = text if len(text) <= 12 else text[:12] + "…"
    out_of_range = CitationError(f"序号 “{shown}” 超出范围：条、款、项的序号应在 1 到 {MAX_NUMBER} 之间，请核对")
    try:
        value = to_int(text)
    except ValueError:
        if len(text) > 16:
            raise out_of_range from None
        raise CitationError(f"序号 “{shown}” 无法识别，请写作 第三十三条 或 第33条") from None
    if not 1 <= value <= MAX_NUMBER:
        raise out_of_range
    return value


def _check_item(citation: Citation, law: Law) -> None:
    """A 项 must exist. Without a 款 it means the one paragraph that lists items:
    an article whose several paragraphs list items needs the 款 spelled out."""
    paragraphs = law.articles[citation.article]
    where = Citation(citation.law, citation.article, citation.paragraph).article_label()
    if citation.paragraph is None:
        holding = [index for index, text in enumerate(paragraphs, 1) if count_items(text)]
        if not holding:
            raise CitationError(f"《{law.title}》{where}没有分项（（一）（二）……），请删去“第{chinese(citation.item or 0)}项”或改正条号")
        if len(holding) > 1:
            numbers = "、".join(f"第{chinese(index)}款" for index in holding)
            raise CitationError(f"《{law.title}》{where}的{numbers}都有分项，请写明是哪一款的项，如 第{chinese(holding[0])}款第{chinese(citation.item or 0)}项")
        paragraph = holding[0]
    else:
        paragraph = citation.paragraph
    count = count_items(paragraphs[paragraph - 1])
    if count == 0:
        raise CitationError(f"《{law.title}》{where}没有分项（（一）（二）……），请删去“第{chinese(citation.item or 0)}项”或改正款号")
    if citation.item is not None and citation.item > count:
        raise CitationError(f"《{law.title}》{where}只有 {count} 项")


def cited_articles(citations: Iterable[Citation]) -> dict[str, set[str]]:
    """Law key -> the articles ``citations`` name."""
    cited: dict[str, set[str]] = {}
    for citation in citations:
        cited.setdefault(citation.law, set()).add(citation.article)
    return cited


def unused_entries(book: LawBook, cited: dict[str, set[str]], doc: YamlDocument) -> list[ContentError]:
    """Warnings, located in ``laws.yml``, for laws and articles that nothing cites.

    Such text is never shown (law pages list only what the site cites), yet it was copied
    from an official source and must be re-checked after every amendment: a county that
    started from another county's file should see what it carries for nothing.
    """
    found = []
    for key, law in book.laws.items():
        if key not in cited:
            found.append(ContentError(doc.path, doc.key_line(("laws", key)), f"laws.{key}",
                                      f"没有任何内容引用《{law.title}》（草稿和定时发布的也没有），网站不显示它：不再需要就删除这一项"))
            continue
        for article in law.articles:
            if article not in cited[key]:
                found.append(ContentError(
                    doc.path, doc.key_line(("laws", key, "articles", article)), f"laws.{key}.articles.{article}",
                    f"没有任何内容引用《{law.title}》{Citation(key, article).article_label()}（草稿和定时发布的也没有），"
                    "法条页不显示它：不再需要就删除这一条"))
    return found
