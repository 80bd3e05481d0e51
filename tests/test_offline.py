"""The Material bundle patch, on small synthetic bundles: found by pattern, exactly once."""

from __future__ import annotations

from importlib import metadata

import pytest

from pufa.offline import MERMAID_STUB, POLYFILL, OfflineError, patch_bundle

POLYFILL_CALL = 'typeof ResizeObserver=="undefined"?{f}("https://unpkg.com/resize-observer-polyfill"):{v}(void 0)'
MERMAID_CALL = 'mermaid instanceof Element?{f}("https://unpkg.com/mermaid@11/dist/mermaid.min.js"):{v}(void 0)'
ALTERNATE_CALL = 'e.pipe(b(()=>{q}("link[rel=alternate]")),m(r=>new URL(r.href)))'


def bundle(f: str = "_t", v: str = "$", q: str = "M") -> str:
    return ";".join([POLYFILL_CALL.format(f=f, v=v), MERMAID_CALL.format(f=f, v=v), ALTERNATE_CALL.format(q=q)])


@pytest.mark.parametrize("q", ["M", "$e", "_a1", "Zn"])
def test_renamed_identifiers_are_still_patched(q: str) -> None:
    patched = patch_bundle(bundle(f="Ab", v="$z", q=q), "bundle.test.min.js")
    assert f'{q}("link[rel=alternate][hreflang]")' in patched
    assert '"link[rel=alternate]"' not in patched
    assert "unpkg.com" not in patched
    assert f'Ab(new URL("vendor/{POLYFILL}"' in patched
    assert f'Ab(new URL("vendor/{MERMAID_STUB}"' in patched


def test_patching_twice_changes_nothing() -> None:
    once = patch_bundle(bundle(), "bundle.test.min.js")
    assert patch_bundle(once, "bundle.test.min.js") == once


def test_missing_pattern_names_version_and_pattern() -> None:
    text = bundle().replace('("link[rel=alternate]")', '("link[rel=alternate i]")')
    with pytest.raises(OfflineError) as error:
        patch_bundle(text, "bundle.test.min.js")
    message = str(error.value)
    assert message.startswith(f"bundle.test.min.js：mkdocs-material {metadata.version('mkdocs-material')} ")
    assert "link\\[rel=alternate\\]" in message
    assert "出现 0 处（应恰好 1 处）" in message


def test_double_match_is_refused() -> None:
    text = bundle() + ";" + ALTERNATE_CALL.format(q="Q")
    with pytest.raises(OfflineError, match="出现 2 处（应恰好 1 处）"):
        patch_bundle(text, "bundle.test.min.js")


def test_a_new_unpkg_reference_is_refused() -> None:
    text = bundle() + ';x("https://unpkg.com/katex")'
    with pytest.raises(OfflineError, match="仍引用 unpkg.com"):
        patch_bundle(text, "bundle.test.min.js")
