"""The lesson catalogue's format (version 1): one pydantic model that both writes
``catalog.json`` and generates the JSON Schema published beside it, so the two
cannot drift apart.

The models' docstrings and field descriptions are published in the schema, for
the developers of school platforms: they are in Chinese, like the site.
Fields are only ever added within a major version, and no model forbids
unknown fields, so platforms that read version 1 keep working.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, Field
from pydantic.json_schema import GenerateJsonSchema

SCHEMA_VERSION = "1.0"

#: A string that is an absolute URL; kept a plain ``str`` so it is written exactly as the site makes it.
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]


class Term(BaseModel):
    """站点分类表（site_config/taxonomy.yml）中的一项：键及其中文名称。"""

    key: str
    name: str


class Article(BaseModel):
    """课程引用的一条法条。"""

    law: str
    law_title: str
    article: Annotated[str, Field(pattern=r"^[1-9][0-9]*(-[1-9][0-9]*)?$")]
    label: str
    url: Url


class Lesson(BaseModel):
    """一节普法课程。"""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*/[a-z0-9]+(-[a-z0-9]+)*$",
                             description="主题键/课程名（topic/slug），与课程网址一样稳定")]
    title: Annotated[str, Field(min_length=1)]
    url: Annotated[Url, Field(description="课程的永久绝对网址")]
    topic: Term
    audiences: Annotated[list[Term], Field(min_length=1)]
    grades: Annotated[list[Term], Field(description="适用学段（小学、初中、高中）；不是学校课程时为空")]
    class_minutes: Annotated[int, Field(ge=10, le=180)] | None
    summary: str
    department: Term
    published: date
    updated: date
    objectives: list[str]
    articles: Annotated[list[Article], Field(description="课程引用的法条，重点法条在前")]


class Site(BaseModel):
    """发布课程目录的普法网站。"""

    title: str
    url: Url
    organizer: str


class Catalog(BaseModel):
    """县级普法网站的课程目录，供学校平台读取。"""

    schema_version: Annotated[str, Field(pattern=r"^1\.\d+$")]
    schema_url: Annotated[Url, Field(alias="schema")]
    site: Site
    lessons: list[Lesson]


class _Generator(GenerateJsonSchema):
    """Field names are their own titles; pydantic's English "Schema Version" adds nothing."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def catalog_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Catalog`, as published at ``/lessons/catalog.schema.json``."""
    generated = Catalog.model_json_schema(by_alias=True, schema_generator=_Generator)
    heading = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "pufa-lesson-catalog-1",
        "title": "pufa 普法课程目录（第 1 版）",
        "description": "县级普法网站的课程目录，供学校平台读取。第 1 版内只会增加字段，不会删除或改变已有字段。",
    }
    return heading | {key: value for key, value in generated.items() if key not in heading}
