"""The build's quick wins keep their results: a fixed-mask QR code still scans, cached slugs are the same slugs."""

from __future__ import annotations

import io
from pathlib import Path

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


def test_the_benchmark_county_is_valid_content_and_the_same_every_time(tmp_path: Path) -> None:
    """scripts/benchmark.py measures nothing if its county stops passing pufa's checks."""
    import importlib.util
    import sys

    from pufa.pipeline import load_campaign
    from pufa.siteconfig import load_site_config

    script = Path(__file__).resolve().parent.parent / "scripts" / "benchmark.py"
    spec = importlib.util.spec_from_file_location("benchmark", script)
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    sys.modules["benchmark"] = benchmark  # its dataclasses look their module up
    try:
        spec.loader.exec_module(benchmark)
    finally:
        del sys.modules["benchmark"]
    for name in ("one", "two"):
        benchmark.County(12, 3, 6).write(tmp_path / name)
    texts = [{p.relative_to(tmp_path / name).as_posix(): p.read_bytes() for p in (tmp_path / name).rglob("*.md")}
             for name in ("one", "two")]
    assert texts[0] == texts[1] and len(texts[0]) == 12 + 3 + 6 + 1
    root = tmp_path / "one"
    config, errors = load_site_config(root / "site_config", root)
    assert config is not None, errors
    campaign = load_campaign(root / "content", config)  # raises ContentErrors on any mistake
    assert len(campaign.of("lesson")) == 12 and len(campaign.of("episode")) == 6
    assert all(lesson.citations for lesson in campaign.of("lesson"))
    assert all(episode.transcript.cues for episode in campaign.of("episode"))
