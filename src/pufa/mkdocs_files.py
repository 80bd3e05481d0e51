"""The site's pages as MkDocs files: where each is written, and whether a dirty build renders it.

Part of the MkDocs adapter (only :mod:`pufa.plugin` imports it): the core decides the
pages, their URLs and what changed (:mod:`pufa.incremental`); this only says so in
MkDocs' terms.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files, InclusionLevel

from .incremental import Changes
from .site import SiteBuild


def site_files(site: SiteBuild, files: Files, config: Any, changes: Changes) -> Files:
    """``files`` with each page of ``site`` at its output path, and the files unpublished items keep back as drafts."""
    for withheld in filter(None, map(files.get_file_from_path, site.withheld)):
        withheld.inclusion = InclusionLevel.DRAFT
    for page in sorted(site.pages, key=lambda page: not page.from_file):  # content files first
        if (old := files.get_file_from_path(page.src_uri)) is not None:
            if page.item is None and old.dest_uri == page.output:
                changes.mark(old, page.url)
                continue  # an ordinary page, or index.md, where MkDocs puts it already
            files.remove(old)
        # Items and indexes are reached through the indexes: no "not in nav" line for each.
        file = File(page.src_uri, old.src_dir if old else None, config.site_dir, config.use_directory_urls,
                    dest_uri=page.output, inclusion=InclusionLevel.NOT_IN_NAV if page.template else InclusionLevel.UNDEFINED)
        if old is None:
            file.content_string = ""  # generated: its Markdown comes from on_page_read_source
        changes.mark(file, page.url)
        files.append(file)
    return files
