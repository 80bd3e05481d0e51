"""The lesson catalogue and its JSON Schema come from one model; version 1.0 stays readable."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest

from conftest import MINISITE
from pufa import routes
from pufa.catalog import catalog_files, catalog_json
from pufa.catalog_document import Catalog, catalog_schema
from pufa.pipeline import load_campaign
from pufa.siteconfig import load_site_config

VALIDATOR = jsonschema.Draft202012Validator
CATALOG, SCHEMA = routes.catalog(), routes.catalog_schema()

#: What version 1.0 (the hand-written schema this model replaced) required of each object.
REQUIRED_1_0 = {
    "": {"schema_version", "schema", "site", "lessons"},
    "site": {"title", "url", "organizer"},
    "lessons[]": {"id", "title", "url", "topic", "audiences", "grades", "class_minutes", "summary",
                  "department", "published", "updated", "objectives", "articles"},
    "lessons[].topic": {"key", "name"},
    "lessons[].articles[]": {"law", "law_title", "article", "label", "url"},
}


@pytest.fixture(scope="module")
def published() -> dict[str, Any]:
    config, errors = load_site_config(MINISITE / "site_config", MINISITE)
    assert config is not None, errors
    files = catalog_files(load_campaign(MINISITE / "content", config))
    return {name: json.loads(data.decode("utf-8")) for name, data in files.items()}


def test_the_catalogue_is_its_whole_document_validated_and_written_as_one() -> None:
    """Entries are validated and written one by one (once per item): together they are exactly the
    document the model validates and writes whole, and a second call (the preview's next save) agrees."""
    config, errors = load_site_config(MINISITE / "site_config", MINISITE)
    assert config is not None, errors
    campaign = load_campaign(MINISITE / "content", config)
    compact = catalog_json(campaign)
    whole = Catalog.model_validate(json.loads(compact)).model_dump(mode="json", by_alias=True)
    assert len(whole["lessons"]) == len(campaign.of("lesson")) > 1
    assert compact == json.dumps(whole, ensure_ascii=False) == catalog_json(campaign)


def test_published_schema_is_the_generated_one(published: dict[str, Any]) -> None:
    assert published[SCHEMA] == catalog_schema()
    VALIDATOR.check_schema(published[SCHEMA])
    assert published[SCHEMA]["$id"] == "pufa-lesson-catalog-1"


def test_catalog_validates_against_the_published_schema(published: dict[str, Any]) -> None:
    catalog = published[CATALOG]
    assert catalog["lessons"], "the fixture should have lessons"
    VALIDATOR(published[SCHEMA], format_checker=VALIDATOR.FORMAT_CHECKER).validate(catalog)


@pytest.mark.parametrize(("field", "value"), [
    ("class_minutes", 5), ("id", "Xianfa/Ri"), ("published", "2026-13-01"), ("audiences", []), ("title", ""),
])
def test_schema_rejects_what_version_1_0_rejected(published: dict[str, Any], field: str, value: Any) -> None:
    catalog = copy.deepcopy(published[CATALOG])
    catalog["lessons"][0][field] = value
    errors = list(VALIDATOR(published[SCHEMA], format_checker=VALIDATOR.FORMAT_CHECKER).iter_errors(catalog))
    assert [list(error.absolute_path) for error in errors] == [["lessons", 0, field]]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def test_required_fields_of_version_1_0_are_still_required() -> None:
    schema = catalog_schema()
    for path, required in REQUIRED_1_0.items():
        node = schema
        for step in filter(None, path.split(".")):
            node = _resolve(schema, node["properties"][step.removesuffix("[]")])
            if step.endswith("[]"):
                node = _resolve(schema, node["items"])
        assert set(node["required"]) == required, path
