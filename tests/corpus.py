"""The bad-input corpus: shared shape of a case and how one is applied and checked.

A case changes an otherwise valid small site (``tests/fixtures/minisite``) and
names the file, line and field the first error must point at, plus a phrase of
the Chinese message. Each ``test_*`` module that holds cases exposes them as
``CASES``; ``test_corpus_builds.py`` runs every case through a real build as
well, to prove a failed build leaves the previous output untouched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from conftest import Site
from pufa.cli import main

LESSON = "content/lessons/xianfa/xianfa-ri.md"
MONTH = "content/months/2026-03.md"
EVENT = "content/events/2026-03-10-xianfa-jinxiaoyuan.md"
EPISODE = "content/radio/ep001.md"

#: A guard against hangs, not a benchmark: a hostile file (an alias bomb, deep
#: nesting) must be refused long before this, even where the first check also pays
#: for importing jieba's dictionary. Guards count the process's CPU time
#: (``time.process_time``), which a blow-up burns and a machine busy with other
#: work (parallel test workers, a shared CI runner) does not inflate.
SECONDS = 10.0
#: The same kind of guard for one hostile input to one function (a parser, a scanner):
#: the failures it catches take minutes (exponential or quadratic blow-ups), not seconds.
HANG_SECONDS = 5.0


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes]
    path: str
    line: int
    field: str
    phrase: str
    replace: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Anything else the case needs that plain files cannot say (symlinks, large files).
    setup: Callable[[Path], None] | None = None


def lesson(**overrides: str | None) -> str:
    """A valid lesson's text with some front-matter values replaced (``None`` drops a key)."""
    meta: dict[str, str | None] = {
        "title": "测试课程",
        "topic": "xianfa",
        "audiences": "[qingshaonian]",
        "department": "sifaju",
        "date": "2026-03-02",
        "summary": "一句话简介。",
    }
    meta.update(overrides)
    lines = [f"{key}: {value}" for key, value in meta.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n正文。\n"


def apply(site: Site, case: Case) -> None:
    for relative, (old, new) in case.replace.items():
        text = site.read(relative)
        assert old in text, f"fixture no longer contains {old!r}"
        site.write(relative, text.replace(old, new, 1))
    for relative, content in case.files.items():
        path = site.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if case.setup is not None:
        case.setup(site.root)


def expected_prefix(case: Case) -> str:
    return f"{case.path}:{case.line}: " + (f"{case.field}: " if case.field else "")


def assert_reported(output: str, case: Case) -> None:
    """The output names the case's file, line and field, with its phrase, and no traceback."""
    assert "Traceback" not in output, output
    prefix = expected_prefix(case)
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    assert lines, f"expected a line starting with {prefix!r}, got:\n{output}"
    assert any(case.phrase in line for line in lines), output


def check_case(site: Site, case: Case, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """Apply ``case`` and run ``pufa check`` in-process; assert the located error; return stderr."""
    apply(site, case)
    monkeypatch.chdir(site.root)
    started = time.process_time()
    status = main(["check"])
    elapsed = time.process_time() - started
    err = capsys.readouterr().err
    assert status == 1, err
    assert_reported(err, case)
    assert err.rstrip().endswith("请修改后重试。"), err
    assert elapsed < SECONDS, f"pufa check took {elapsed:.1f} s"
    return err
