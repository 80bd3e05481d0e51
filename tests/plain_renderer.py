"""A second, minimal renderer: plain Jinja2 and Python-Markdown, no MkDocs.

It renders every page of :func:`pufa.site.build_site` with pufa's own templates
over a stub ``main.html`` and writes the core's files. That it needs nothing but
the core's SiteBuild proves the core does not depend on MkDocs.
"""

from __future__ import annotations

from pathlib import Path

import markdown
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, pass_context
from markupsafe import Markup

from pufa.paths import THEME_DIR
from pufa import routes
from pufa.htmlpolicy import sanitize
from pufa.site import SiteBuild, template_filters, template_globals
from pufa.slugs import heading_slug

REPO = Path(__file__).resolve().parent.parent
#: The blocks pufa's templates fill; Material's base.html provides them in a MkDocs build.
STUB_MAIN = """<!doctype html><html lang="zh"><head><title>{{ page.title }}</title>
{% block extrahead %}{% endblock %}</head><body>{% block hero %}{% endblock %}
<main>{% block content %}{{ pufa.content }}{% endblock %}</main></body></html>
"""


@pass_context
def _url(context: dict, target: str) -> str:
    return routes.relative(target, context["page"].url)


class _Page:
    def __init__(self, url: str, title: str, meta: dict) -> None:
        self.url, self.title, self.meta = url, title, meta


def render(site: SiteBuild, out: Path, *templates: Path) -> set[str]:
    """Write the whole site under ``out``; returns the site paths written."""
    env = Environment(
        loader=ChoiceLoader([*(FileSystemLoader(str(t)) for t in templates),
                             DictLoader({"main.html": STUB_MAIN, "pufa/unpublished.html": ""}),
                             FileSystemLoader(str(THEME_DIR))]),
        autoescape=True,
    )
    env.filters.update(template_filters())
    env.filters["url"] = _url
    env.globals.update(template_globals(site.campaign.config))
    converter = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"],
                                  extension_configs={"toc": {"permalink": True, "slugify": heading_slug}})
    rendered: dict[str, str] = {}
    for page in site.pages:
        converter.reset()
        content = sanitize(page.fill(converter.convert(page.markdown)))
        rendered[page.url] = content
        template = env.get_template(page.template or "main.html")
        meta = {"description": page.description, **page.options}
        html = template.render(page=_Page(page.url, page.title, meta),
                               pufa={**page.context, "content": Markup(content)})
        _write(out / page.output, html.encode("utf-8"))
    site.write(out, rendered)
    return {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
