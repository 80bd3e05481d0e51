"""The build's quick wins keep their results: a fixed-mask QR code still scans, cached slugs are the same slugs."""

from __future__ import annotations

import io

import pytest

from pufa import qr, slugs

URL = "https://pufa.example.gov.cn/lessons/minfadian/minfadian-shenghuo-baike-quanshu/"


@pytest.mark.parametrize("url", [URL, "https://pufa.example.gov.cn/pufa/lessons/xianfa/x1/", "https://a.cn/"])
def test_a_fixed_mask_qr_code_scans_to_its_url(url: str) -> None:
    import zxingcpp
    from PIL import Image

    code = qr.qr_code(url)
    assert code.mask == qr.MASK
    image = io.BytesIO()
    code.save(image, kind="png", scale=8, border=4)
    assert [found.text for found in zxingcpp.read_barcodes(Image.open(image))] == [url]


def test_the_qr_svg_is_the_fixed_mask_code() -> None:
    """The SVG draws exactly the modules of the code that scans (no second, differently masked code)."""
    import segno

    svg = io.BytesIO()
    segno.make(URL, error="m", micro=False, mask=qr.MASK).save(
        svg, kind="svg", border=4, xmldecl=False, svgclass="pufa-qr", title="t", nl=False, omitsize=True)
    assert str(qr.qr_svg(URL, "t")) == svg.getvalue().decode("utf-8")


def test_a_permalinks_qr_code_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    real = qr.segno.make
    qr.qr_code.cache_clear()
    qr.qr_svg.cache_clear()
    monkeypatch.setattr(qr.segno, "make", lambda content, **kw: made.append(content) or real(content, **kw))
    first = qr.qr_svg(URL, "扫码打开：课")
    assert qr.qr_svg(URL, "扫码打开：课") == first
    assert qr.qr_svg(URL, "扫码打开：另一个标题") != first  # the title is part of the SVG
    assert made == [URL]


def test_a_heading_seen_before_is_not_segmented_again(monkeypatch: pytest.MonkeyPatch) -> None:
    segmented: list[str] = []
    real = slugs._segmenter()
    slugs.slugify.cache_clear()
    monkeypatch.setattr(slugs, "_segmenter", lambda: lambda text: segmented.append(text) or real(text))
    assert slugs.heading_slug("法律怎么说") == "falv-zenme-shuo"
    assert slugs.heading_slug("法律怎么说") == "falv-zenme-shuo"
    assert slugs.heading_slug("法律怎么说", "_") == "falv_zenme_shuo"
    title = slugs.slugify("12月4日，国家宪法日")
    assert title.startswith("12-yue-4-ri-guojia-xianfa") and slugs.slugify("12月4日，国家宪法日") == title
    assert segmented == ["法律怎么说", "12月4日，国家宪法日"]
    slugs.slugify.cache_clear()
