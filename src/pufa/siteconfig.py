"""``site_config/``: the county's identity and the campaign's vocabulary.

Everything county-specific lives in these YAML files, validated on load with
the same file:line: field errors as content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .channel import Channel
from .errors import ContentError
from .inputs import CONFIG, LAWS, InputError, read_text
from .laws import LawBook
from .paths import display_path
from .scalars import STRICT, Text, Words
from .routes import RESERVED_DEPARTMENT_KEYS, RESERVED_TOPIC_KEYS, departments, lessons
from .slugs import SLUG_PATTERN
from .validation import validate
from .yamlsource import YamlDocument, parse_yaml

Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*$", min_length=2, max_length=32)]


class Strict(BaseModel):
    model_config = STRICT


class Contact(Strict):
    address: Words | None = None
    phone: Words | None = None
    email: str | None = None


class Footer(Strict):
    """Government site footer; each item is shown only when set."""

    icp: Words | None = Field(None, description="ICP备案号, linked to beian.miit.gov.cn")
    police_beian: Words | None = Field(None, description="公安联网备案号, as displayed")
    police_beian_code: Annotated[Words, Field(pattern=r"^\d{10,20}$")] | None = Field(
        None, description="the digits of the 公安备案号, used in the beian.mps.gov.cn link"
    )
    site_code: Annotated[Words, Field(pattern=r"^[0-9A-Za-z]{6,20}$")] | None = Field(
        None, description="网站标识码"
    )


class Programme(Strict):
    """The county radio's legal programme: its pages, episode labels and podcast name it."""

    name: Text = Field("普法广播", description="the programme's name, shown in 《》")
    description: Text = "电台普法栏目，每期都有音频和文字稿。"


class Site(Strict):
    #: The county's full name (安澜县): the assessment report is the county's.
    county: Text
    #: The “XX” of 法治XX and 法治XX行: names the site and its campaign unless they are written out.
    county_short: Text | None = None
    title: Text
    campaign: Text
    description: Text
    site_url: Annotated[str, Field(pattern=r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?$")]
    organizer: Text
    contact: Contact = Contact()
    legal_aid_hotline: Words = "12348"
    footer: Footer = Footer()
    programme: Programme = Programme()

    @model_validator(mode="before")
    @classmethod
    def _names_from_short(cls, data: Any) -> Any:
        """法治XX and 法治XX行 are what nearly every county calls its site and campaign,
        so a county that gives its short name need not write them; a written name wins."""
        if isinstance(data, dict) and isinstance(short := data.get("county_short"), str) and short.strip():
            data = {"title": f"法治{short.strip()}", "campaign": f"法治{short.strip()}行", **data}
        return data

    @field_validator("site_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"


class Topic(Strict):
    name: Text
    law: Text
    description: Words = ""


def _unreserved(reserved: frozenset[str], where: str) -> AfterValidator:
    """A taxonomy key that would shadow a generated page's URL segment is refused at its own line."""

    def check(key: str) -> str:
        if key in reserved:
            raise PydanticCustomError("reserved_key", f"键 {key} 已被网站目录占用（{where}），请换一个")
        return key

    return AfterValidator(check)


TopicKeyName = Annotated[Key, _unreserved(RESERVED_TOPIC_KEYS, f"/{lessons()} 下的索引页")]
DepartmentKeyName = Annotated[Key, _unreserved(RESERVED_DEPARTMENT_KEYS, f"/{departments()} 下的页面")]


class Taxonomy(Strict):
    topics: dict[TopicKeyName, Topic] = Field(min_length=1)
    audiences: dict[Key, Text] = Field(min_length=1)
    grades: dict[Key, Text] = Field(min_length=1)
    departments: dict[DepartmentKeyName, Text] = Field(min_length=1)
    venues: dict[Key, Text] = Field(min_length=1)

    def topic_names(self) -> dict[str, str]:
        return {key: topic.name for key, topic in self.topics.items()}

    def vocabulary(self, kind: str) -> dict[str, str]:
        """Key -> Chinese name for one kind of taxonomy term."""
        if kind == "topics":
            return self.topic_names()
        return dict(getattr(self, kind))


@dataclass(frozen=True)
class SiteConfig:
    site: Site
    taxonomy: Taxonomy
    root: Path
    podcast: Channel | None = None
    laws: LawBook | None = None
    #: The parsed YAML of each file, for errors found later (e.g. artwork checks).
    sources: dict[str, YamlDocument] = field(default_factory=dict)


SITE_FILE = "site.yml"
TAXONOMY_FILE = "taxonomy.yml"
PODCAST_FILE = "podcast.yml"
LAWS_FILE = "laws.yml"
#: file name -> (schema, required)
FILES: dict[str, tuple[type[BaseModel], bool]] = {
    SITE_FILE: (Site, True),
    TAXONOMY_FILE: (Taxonomy, True),
    PODCAST_FILE: (Channel, False),
    LAWS_FILE: (LawBook, False),
}


def load_site_config(config_dir: Path, root: Path) -> tuple[SiteConfig | None, list[ContentError]]:
    """Load and validate every file of ``site_config/``; errors from all files at once."""
    errors: list[ContentError] = []
    loaded: dict[str, BaseModel] = {}
    sources: dict[str, YamlDocument] = {}
    for name, (model, required) in FILES.items():
        path = config_dir / name
        shown = display_path(path, root)
        if not path.is_file():
            if required:
                errors.append(ContentError(shown, 1, "", "缺少站点配置文件，请参照示例站点创建它"))
            continue
        try:
            text = read_text(path, config_dir, LAWS if name == LAWS_FILE else CONFIG)
        except InputError as exc:
            errors.append(ContentError(shown, exc.line, "", exc.message))
            continue
        doc, parse_errors = parse_yaml(text, shown)
        errors.extend(parse_errors)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            errors.append(ContentError(shown, 1, "", "配置文件应为“键: 值”形式的映射"))
            continue
        sources[name] = doc
        value, model_errors = validate(model, doc)
        errors.extend(model_errors)
        if value is not None:
            loaded[name] = value
    if errors:
        return None, errors
    return (
        SiteConfig(
            site=loaded[SITE_FILE],  # type: ignore[arg-type]
            taxonomy=loaded[TAXONOMY_FILE],  # type: ignore[arg-type]
            root=root,
            podcast=loaded.get(PODCAST_FILE),  # type: ignore[arg-type]
            laws=loaded.get(LAWS_FILE),  # type: ignore[arg-type]
            sources=sources,
        ),
        [],
    )


__all__ = ["SLUG_PATTERN", "SiteConfig", "Site", "Taxonomy", "load_site_config"]
