"""The URL scheme has one owner: src/pufa/routes.py. Nothing else spells a URL."""

from __future__ import annotations

import re
from pathlib import Path

from pufa.paths import THEME_DIR
from pufa import routes

REPO = Path(__file__).resolve().parent.parent
#: A quoted site path of one of the site's sections, or a feed/caption/catalogue file name.
SECTIONS = "|".join(["lessons", "months", "radio", "events", "laws", "departments"])
LITERAL = re.compile(rf"""["'](?:{SECTIONS})/|["'/]feed\.xml["']|[\w}}]\.(?:vtt|srt|chapters\.json|csv)["']|/index\.html["']""")


def _literals(path: Path) -> list[str]:
    return [f"{path.relative_to(REPO)}:{number}: {line.strip()}"
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if LITERAL.search(line) and not line.lstrip().startswith(("#", "{#", '"""'))]


def test_no_url_literal_outside_routes() -> None:
    files = [*(REPO / "src" / "pufa").rglob("*.py"), *THEME_DIR.rglob("*.html")]
    found = [hit for path in files if path.name != "routes.py" for hit in _literals(path)]
    assert found == []


def test_grep_finds_a_literal() -> None:
    """The pattern itself catches the shapes the URL scheme has had."""
    for line in ['url = "lessons/"', "href=\"{{ 'radio/' | url }}\"", 'x = "feed.xml"', 'f"{base}.vtt"',
                 "('departments/' ~ key ~ '/')", 'f"{alias}/index.html"']:
        assert LITERAL.search(line), line


def test_reserved_keys_follow_the_routes() -> None:
    for key in ("audience", "grade", "catalog", "feed", "index"):
        assert key in routes.RESERVED_TOPIC_KEYS
    assert routes.audience("x").startswith(routes.lessons() + "audience/")
    assert "report" in routes.RESERVED_DEPARTMENT_KEYS


def test_output_path_and_relative() -> None:
    assert routes.output_path(routes.home()) == "index.html"
    assert routes.output_path(routes.topic("xianfa")) == "lessons/xianfa/index.html"
    assert routes.output_path(routes.site_feed()) == "feed.xml"
    assert routes.relative(routes.article("xianfa", "33"), routes.lesson("xianfa", "foo")) == "../../../laws/xianfa/#article-33"
    assert routes.page("about.md") == "about/" and routes.page("x/index.md") == "x/"
