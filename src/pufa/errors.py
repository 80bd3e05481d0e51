"""Content errors that point at the editor's file, line and field.

Editors fix problems in bulk, so every check appends to a collector instead of
raising: a build reports all mistakes in all files at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class ContentError:
    """One mistake in one place of a source file.

    ``path`` is shown as given (relative to the project root), ``line`` is
    1-based; ``field`` is the dotted front-matter key, or empty for whole-file
    problems.
    """

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class ErrorCollector:
    """Accumulates errors across files; de-duplicates and sorts them for output."""

    errors: list[ContentError] = field(default_factory=list)

    def add(self, path: str, line: int, field: str, message: str) -> None:
        self.errors.append(ContentError(path, line, field, message))

    def extend(self, errors: Iterable[ContentError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def __iter__(self) -> Iterator[ContentError]:
        return iter(sorted(set(self.errors)))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentErrors(list(self))


class ContentErrors(Exception):
    """Raised once, after loading, when any content error was found."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(e) for e in self.errors]
        lines.append(f"共发现 {len(self.errors)} 处错误，请修改后重试。")
        return "\n".join(lines)


@contextmanager
def reraised_as(kind: Callable[[str], Exception], *failures: type[Exception]) -> Iterator[None]:
    """Re-raise the expected failures as ``kind(message)``: an adapter (MkDocs' ``PluginError``) then shows
    the Chinese message alone, never a traceback; anything unexpected still surfaces as the bug it is."""
    try:
        yield
    except failures as exc:
        raise kind(str(exc)) from None
