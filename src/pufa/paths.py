"""How files are named in messages: relative to the project, with forward slashes."""

from __future__ import annotations

import os
from pathlib import Path

#: The theme pufa ships inside the package (templates, CSS, JS): a site needs nothing but the package.
THEME_DIR = Path(__file__).resolve().parent / "theme"
#: Where a county puts its own template or asset overrides, beside ``mkdocs.yml`` (MkDocs' ``custom_dir``).
OVERRIDES = "themes"
#: The package's stylesheets and scripts, added to every site's ``extra_css``/``extra_javascript``.
#: The print rules come last: they override the screen's.
THEME_CSS = ("assets/pufa.css", "assets/pufa-lessons.css", "assets/pufa-media.css", "assets/pufa-search.css",
             "assets/pufa-print.css")
THEME_JS = ("assets/pufa.js", "assets/pufa-lessons.js", "assets/pufa-media.js", "assets/pufa-month.js", "assets/pufa-search.js")
#: The stylesheet the podcast feed names, so that a browser opening the feed shows how to subscribe.
FEED_CSS = "assets/pufa-feed.css"


def theme_dirs(root: Path) -> list[Path]:
    """The project's overrides first, then the package theme: the order MkDocs searches them in."""
    return [path for path in (root / OVERRIDES,) if path.is_dir()] + [THEME_DIR]


def display_path(path: Path, root: Path) -> str:
    """The path as the editor sees it: a symlink is named by its own place, not its target's."""
    try:
        return Path(os.path.normpath(path.absolute())).relative_to(os.path.normpath(root.absolute())).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return path.as_posix()
