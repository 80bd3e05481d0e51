"""``site_config/podcast.yml``: the programme's podcast channel.

Apple Podcasts rejects a feed without artwork, owner, category or an explicit
flag, so the schema asks for them up front rather than at submission time.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, Field, Strict, field_validator

from .scalars import STRICT, Text, Words

#: The Podcasting 2.0 namespace's UUIDv5 namespace for ``podcast:guid``.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

#: Apple Podcasts categories (top level and subcategories) pufa sites are likely to use.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Government": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"),
    "History": (),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary", "Politics", "Sports News",
             "Tech News"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"),
    "True Crime": (),
}


def feed_guid(feed_url: str) -> str:
    """``podcast:guid`` as the namespace defines it: UUIDv5 of the feed URL
    without its scheme and trailing slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


class Owner(BaseModel):
    model_config = STRICT
    name: Text
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


class Channel(BaseModel):
    model_config = STRICT

    title: Text
    description: Annotated[Text, Field(max_length=4000)]
    author: Text
    owner: Owner
    image: Annotated[str, Field(pattern=r"^[A-Za-z0-9._/-]+\.(png|jpg|jpeg)$")]
    categories: Annotated[list[str], Field(min_length=1, max_length=3)]
    explicit: bool = False
    language: Literal["zh-cn"] = "zh-cn"
    copyright: Words | None = None
    #: YAML gives the UUID as text; strict mode would only take a UUID object.
    guid: Annotated[uuid.UUID, Strict(False)] | None = None
    locked: bool = True
    type: Literal["episodic", "serial"] = "episodic"

    @field_validator("image")
    @classmethod
    def _inside_content(cls, value: str) -> str:
        if value.startswith("/") or ".." in value.split("/"):
            raise ValueError("封面图片应写作 content 目录内的相对路径，如 radio/cover.png，不能用 / 开头或 ..")
        return value

    @field_validator("categories")
    @classmethod
    def _apple_categories(cls, values: list[str]) -> list[str]:
        for value in values:
            top, _, sub = value.partition("/")
            if top not in APPLE_CATEGORIES or (sub and sub not in APPLE_CATEGORIES[top]):
                known = "、".join(APPLE_CATEGORIES)
                raise ValueError(f"“{value}” 不是 Apple Podcasts 的分类；可用的有：{known}（子分类写作 Education/How To）")
        return values
