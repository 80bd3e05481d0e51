"""Phone-first reading, in headless Chromium (issue 10, points 1, 5, 6, 7, 8, 10, 11).

A reader on a 390 px touch phone and one on a desktop: citation pop-ups stay on
screen and close, the header says where the reader is, nothing on screen or read
by a screen reader is English, taps land, large text enlarges everything,
read-aloud appears only with a Chinese voice, and Tab never stops on something
the reader cannot see. The site is the minisite fixture, with a richer lesson
and the demo county's theme settings, built once per test run.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURE_MP3, MINISITE, build_in_process, made_once
from conftest import MKDOCS_YML as MINISITE_YML  # the fixtures' own, with the demo's theme settings added below
from conftest_browser import THEME_OPTIONS, TRANSITIONS_ENDED_JS, SiteServer, Tab, axe_violations

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

#: The fixtures' mkdocs.yml with the demo county's theme settings: header tabs and the red palette.
MKDOCS_YML = MINISITE_YML.format(today="2026-03-20").replace("  font: false\n", "  font: false\n" + THEME_OPTIONS, 1)
#: A footer with every contact line, so that its wrapping is seen.
CONTACT = """\
contact:
  address: 示例县人民路1号县司法局三楼法治宣传科
  phone: 0000-1234567
  email: pufa@example.gov.cn
"""

#: A lesson with everything a lesson can show, and a citation at the end of a long line
#: (where a pop-up anchored at the link's left edge ran off a phone's right edge).
RICH_LESSON = """\
---
title: 公民在法律面前一律平等
topic: xianfa
slug: pingdeng
audiences: [qingshaonian, wugong]
grades: [chuzhong]
department: sifaju
date: 2026-03-08
summary: 从一次村规民约的修改说起，看懂宪法规定的平等权。
tags: [宪法, 平等权]
class_minutes: 40
articles: [宪法第五条]
objectives:
  - 知道公民在法律面前一律平等。
  - 了解宪法是国家的根本法。
case: |
  去年冬天，示例县河湾村修订村规民约，初稿里有一条不合宪法的规定，镇司法所把它圈了出来。
questions:
  - 村规民约和宪法不一致时，应该怎么办？
quiz:
  - question: 公民在什么面前一律平等？
    options: [法律, 金钱]
    answer: 法律
    explanation: 宪法第三十三条规定，中华人民共和国公民在法律面前一律平等。
---

## 宪法怎么说

村里修订村规民约时，司法所的同志带着宪法来到村委会，一条一条对照着讲清楚了道理【宪法第三十三条】

任何组织或者个人都不得有超越宪法和法律的特权【宪法第五条】，这是依法治国的要求。

*本课图文均为示例。*

## 我们怎么做

> 【宪法第三十三条第二款】

<table>
<thead><tr><th>年份</th><th>会议</th><th>修改内容</th><th>通过方式</th><th>施行日期</th><th>备注说明</th></tr></thead>
<tbody><tr><td>2018年</td><td>第十三届全国人民代表大会第一次会议</td><td>宪法修正案</td><td>全体代表三分之二以上多数</td><td>公布之日</td><td>第五次修正</td></tr></tbody>
</table>

学习宪法，遵守宪法。
"""

#: One page of every kind this task touches (the report and radio belong to i10-media, search to i9-search).
PAGES = {
    "home": "",
    "lessons": "lessons/",
    "topic": "lessons/xianfa/",
    "lesson": "lessons/xianfa/pingdeng/",
    "audience": "lessons/audience/wugong/",
    "grade": "lessons/grade/chuzhong/",
    "months": "months/",
    "month": "months/2026-03/",
    "radio": "radio/",
    "episode": "radio/ep001/",
    "event": "events/2026-03-10-xianfa-jinxiaoyuan/",
    "departments": "departments/",
    "department": "departments/sifaju/",
    "report": "departments/report/",
    "laws": "laws/",
    "law": "laws/xianfa/",
    "about": "about/",
    "404": "404.html",
}


def _fail_if(problems: list[str], heading: str) -> None:
    if problems:
        pytest.fail(f"{heading}:\n" + "\n".join(f"  {problem}" for problem in problems), pytrace=False)


def build_ux_site(root: Path) -> Path:
    """The minisite with a rich lesson, a footer with contacts and the demo's theme settings, built --strict."""
    shutil.copytree(MINISITE, root)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "content" / "lessons" / "xianfa" / "pingdeng.md").write_text(RICH_LESSON, encoding="utf-8")
    site_yml = root / "site_config" / "site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8") + CONTACT, encoding="utf-8")
    shutil.copy(FIXTURE_MP3, root / "content" / "radio" / "ep001.mp3")  # the player, as listeners get it
    episode = root / "content" / "radio" / "ep001.md"
    episode.write_text(episode.read_text(encoding="utf-8").replace("guests:", "audio: ep001.mp3\nguests:", 1), encoding="utf-8")
    month = root / "content" / "months" / "2026-03.md"
    month.write_text(month.read_text(encoding="utf-8").replace(
        "lessons: [xianfa/guojia-xianfa-ri]", "lessons: [xianfa/guojia-xianfa-ri, xianfa/pingdeng]"), encoding="utf-8")
    result = build_in_process(root / "mkdocs.yml")
    assert result.returncode == 0, result.output
    return root / "site"


@pytest.fixture(scope="session")
def ux_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once per test run, however many pytest-xdist workers run this module's tests."""
    return made_once(tmp_path_factory, "ux-site", lambda directory: build_ux_site(directory / "site-src")) / "site-src" / "site"


@pytest.fixture(scope="module")
def site_server(ux_site: Path, serve_site: Callable[[Path], SiteServer]) -> SiteServer:
    """This module's site in place of built_minisite: conftest_browser's `open_tab` and `tab` open it."""
    return serve_site(ux_site)


# --------------------------------------------------------------------------
# What the page shows and says, measured in the browser

#: Every piece of text a reader sees or a screen reader says: visible text nodes, and the
#: accessible-name attributes (aria-label, title, alt, placeholder, value of buttons) of
#: elements that are rendered. Hidden text (display: none, visibility: hidden) is skipped.
READER_TEXT_JS = """() => {
  const shown = el => el.checkVisibility({checkVisibilityCSS: true}) && !el.closest('[aria-hidden=true]');
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template') || !node.data.trim() || !shown(el)) continue;
    out.push({text: node.data.trim(), where: el.outerHTML.slice(0, 120)});
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder], [aria-description]')) {
    if (!shown(el) && !el.matches('svg title')) continue;
    for (const name of ['aria-label', 'title', 'alt', 'placeholder', 'aria-description']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push({text: value.trim(), where: `${name} of ${el.outerHTML.slice(0, 120)}`});
    }
  }
  for (const el of document.querySelectorAll('svg title')) {
    if (el.textContent.trim()) out.push({text: el.textContent.trim(), where: 'svg title ' + el.outerHTML.slice(0, 120)});
  }
  out.push({text: document.title, where: '<title>'});
  return out;
}"""

#: Every element a reader can tap, and its size.
TAP_TARGETS_JS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [tabindex]:not([tabindex="-1"]), [role=button]';
  return [...document.querySelectorAll(selector)]
    .filter(el => el.checkVisibility({checkVisibilityCSS: true}))
    .map(el => {
      const rect = el.getBoundingClientRect();
      return {width: rect.width, height: rect.height, where: el.outerHTML.slice(0, 140)};
    })
    .filter(target => target.width > 0 && target.height > 0);
}"""

#: Where focus is, and whether a reader can see it there.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rect = el.getBoundingClientRect();
  const seen = el.checkVisibility({checkVisibilityCSS: true, opacityProperty: true}) && rect.width > 0 && rect.height > 0
    && rect.right > 0 && rect.left < document.documentElement.clientWidth;
  return {seen, where: el.outerHTML.slice(0, 140).replace(/\\s+/g, ' ')};
}"""

#: Font size of every element that holds visible text of its own, in document order.
TEXT_SIZES_JS = """() => [...document.body.querySelectorAll('*')]
  .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim())
    && !el.closest('script, style, [hidden]') && el.checkVisibility({checkVisibilityCSS: true}))
  .map(el => ({size: parseFloat(getComputedStyle(el).fontSize), where: el.outerHTML.slice(0, 100)}))"""


#: On how many lines an element's text lies: the middles of its text's boxes, grouped when they are closer than 8 px.
LINES_JS = """el => {
  const middles = [], walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (rect.width) middles.push(rect.top + rect.height / 2);
  }
  middles.sort((a, b) => a - b);
  return middles.filter((middle, i) => i === 0 || middle - middles[i - 1] > 8).length;
}"""


def _phone(open_tab: Callable[..., Tab]) -> Tab:
    return open_tab(**PHONE)


# --------------------------------------------------------------------------
# 1. Citations on phones and desktops


def test_citation_pop_up_on_a_phone_stays_on_screen_and_closes(open_tab: Callable[..., Tab]) -> None:
    tab = _phone(open_tab)
    tab.goto(PAGES["lesson"])
    page = tab.page
    cite = page.locator(".pufa-body .pufa-cite").first  # at the end of a long line
    text = cite.locator(".pufa-cite__text")
    cite.scroll_into_view_if_needed()
    cite.locator("a").tap()
    assert page.url.endswith(PAGES["lesson"]) and text.is_visible()
    box = text.evaluate("el => el.getBoundingClientRect().toJSON()")
    assert box["left"] >= 0 and box["right"] <= 390 and box["top"] >= 0 and box["bottom"] <= 844, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("h1").tap()  # a tap anywhere else closes it
    assert text.is_hidden()
    cite.locator("a").tap()
    assert text.is_visible()
    page.keyboard.press("Escape")
    assert text.is_hidden()
    cite.locator("a").tap()  # opens again; tapping the pop-up itself keeps it open; a second tap on the link follows it
    text.tap()
    assert text.is_visible()
    cite.locator("a").tap()
    page.wait_for_url("**/laws/xianfa/#article-33")
    # A key article (重点法条, at the head of the lesson) shows its text the same way.
    tab.goto(PAGES["lesson"])
    key = page.locator(".pufa-key-articles .pufa-cite").first
    card = key.locator(".pufa-cite__text")
    key.locator("a").tap()
    assert page.url.endswith(PAGES["lesson"]) and card.is_visible() and "不得有超越宪法和法律的特权" in card.inner_text()
    box = card.evaluate("el => el.getBoundingClientRect().toJSON()")
    assert box["left"] >= 0 and box["right"] <= 390 and box["top"] >= 0 and box["bottom"] <= 844, box
    page.locator("h1").tap()
    assert card.is_hidden()


def test_citation_pop_up_for_keyboard_and_mouse(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab(viewport={"width": 820, "height": 700})  # narrow enough that the pop-up would overflow
    tab.goto(PAGES["lesson"])
    page = tab.page
    link = page.locator(".pufa-body .pufa-cite > a").first
    text = page.locator(".pufa-body .pufa-cite__text").first
    link.focus()
    assert text.is_visible()
    page.wait_for_function("el => el.getBoundingClientRect().right <= document.documentElement.clientWidth",
                           arg=text.element_handle())
    page.keyboard.press("Escape")
    assert text.is_hidden()
    assert page.evaluate("document.activeElement.closest('.pufa-cite') !== null"), "Esc keeps focus on the citation"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus comes back: the pop-up shows again
    assert text.is_visible()
    page.locator("h1").click()
    assert text.is_hidden()
    link.hover()
    assert text.is_visible()
    page.keyboard.press("Escape")
    assert text.is_hidden()


# --------------------------------------------------------------------------
# 5. Where am I: the current section in the header tabs and the phone menu

SECTIONS = {
    "lesson": "普法课程", "topic": "普法课程", "audience": "普法课程", "lessons": "普法课程",
    "month": "一月一主题", "event": "一月一主题", "episode": "示例说法", "law": "法律法规", "report": "谁执法谁普法",
    "department": "谁执法谁普法", "home": "首页",
}


def _section_in_the_tabs(page: Any, kind: str) -> list[str]:
    """On a desktop: the header tabs mark the page's section, in bold with a bar; the 404 page marks none."""
    if kind == "404":  # outside any section (an event is in its month's plan: marked 一月一主题, SECTIONS)
        marked = page.locator("a[aria-current]").count()
        return [f"current section: {marked} links marked aria-current on a page outside any section"] if marked else []
    if kind not in SECTIONS:
        return []
    current = page.locator(".md-tabs a[aria-current]")
    marked = [text.strip() for text in current.all_inner_texts()]
    if marked != [SECTIONS[kind]]:
        return [f"current section: the header tabs mark {marked}, not [{SECTIONS[kind]!r}]"]
    other = page.locator(".md-tabs a:not([aria-current])").first
    style = "el => [getComputedStyle(el).fontWeight, getComputedStyle(el.parentElement).boxShadow]"
    (weight, bar), (other_weight, other_bar) = current.evaluate(style), other.evaluate(style)
    if not (int(weight) >= 700 > int(other_weight) and bar != "none" and other_bar == "none"):
        return [f"current section: tab {SECTIONS[kind]} has weight {weight} and bar {bar!r}, "
                f"another tab weight {other_weight} and bar {other_bar!r}"]
    return []


def _section_in_the_phone_menu(page: Any, kind: str) -> list[str]:
    """On a phone: the menu behind the header button marks the page's section, in bold. Opens the menu."""
    page.locator("label.md-header__button[for=__drawer]").tap()
    entry = page.locator(".md-nav--primary a[aria-current]")
    entry.wait_for(state="visible")
    marked = [text.strip() for text in entry.all_inner_texts()]
    if marked != [SECTIONS[kind]]:
        return [f"current section: the phone menu marks {marked}, not [{SECTIONS[kind]!r}]"]
    weight = int(entry.evaluate("el => getComputedStyle(el).fontWeight"))
    return [f"current section: {SECTIONS[kind]} in the phone menu has weight {weight}"] if weight < 700 else []


# --------------------------------------------------------------------------
# 6. No English a reader sees or hears

#: Latin words that are Chinese usage: the 备案 number's prefix, file formats and product
#: names used as such in Chinese text ("Apple 播客"). Addresses (URLs, e-mail) are data.
#: Names of things, not words to translate: the products readers use and the file formats offered.
LATIN_ALLOWED = {"ICP", "CSV", "RSS", "Apple", "iPad", "Mac", "Windows", "AntennaPod", "Pocket", "Casts", "URL"}
ADDRESS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _english(texts: list[dict[str, str]]) -> list[str]:
    found = []
    for item in texts:
        words = set(re.findall(r"[A-Za-z]{2,}", ADDRESS.sub(" ", item["text"]))) - LATIN_ALLOWED
        if words:
            found.append(f"{sorted(words)} in {item['where']}")
    return found


def _the_404_page_is_chinese_with_ways_back(page: Any) -> None:
    """The desktop 404 page (last: it follows a link away)."""
    assert page.locator("h1").inner_text() == "页面不存在"
    home = page.get_by_role("link", name="返回首页")
    lessons = page.locator(".pufa-ways-back").get_by_role("link", name="普法课程")
    for link in (home, lessons):
        href = link.get_attribute("href")
        assert href.startswith("/"), "absolute: the server answers any missing address with this page"
    lessons.click()
    page.wait_for_url("**/lessons/")


def test_the_english_check_catches_english_and_lets_addresses_through() -> None:
    """The word check itself: what it must catch and what it must let through."""
    assert _english([{"text": "404 - Not found", "where": "h1"}])
    assert _english([{"text": "Permanent link", "where": "title"}])
    assert not _english([{"text": "某ICP备00000001号 https://beian.miit.gov.cn/ pufa@example.gov.cn", "where": "a"}])


# --------------------------------------------------------------------------
# 7. Tap targets


def _small_tap_targets(page: Any) -> list[str]:
    """On a phone: every tap target is at least 24×24 px."""
    targets = page.evaluate(TAP_TARGETS_JS)
    if not targets:
        return ["tap targets: none found, the check looks at nothing"]
    return [f"tap target under 24×24 px: {t['width']:.0f}×{t['height']:.0f}: {t['where']}"
            for t in targets if t["width"] < 24 or t["height"] < 24]


# --------------------------------------------------------------------------
# 8. Reading aids: large text everywhere, the buttons in the red band, read-aloud


#: The pages on which 大字 must enlarge every text element (and the player).
LARGE_TEXT_PAGES = ["home", "lesson", "month", "episode", "law", "topic"]


def _reading_aid_buttons_sit_in_the_red_band(page: Any, device: str) -> None:
    """The lesson page, on a desktop and on a phone."""
    for button in page.locator(".pufa-aids__button:visible").all():
        box = button.bounding_box()
        assert box["height"] >= 32 and box["width"] >= 44
        # What is behind the button's middle, once the button is out of the way, is red.
        behind = page.evaluate("""([x, y, button]) => {
          button.style.visibility = 'hidden';
          let el = document.elementFromPoint(x, y);
          button.style.visibility = '';
          while (el && getComputedStyle(el).backgroundColor === 'rgba(0, 0, 0, 0)') el = el.parentElement;
          return el ? getComputedStyle(el).backgroundColor : null;
        }""", [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, button.element_handle()])
        assert behind == "rgb(183, 28, 28)", behind
    if device == "desktop":
        header = page.locator(".md-header").bounding_box()
        tabs = page.locator(".md-tabs").bounding_box()
        assert tabs["y"] == pytest.approx(header["y"] + header["height"], abs=1), "nothing between header and tabs"


def _reading_aid_buttons_sit_in_the_red_band_on_a_desktop(page: Any) -> None:
    _reading_aid_buttons_sit_in_the_red_band(page, "desktop")


def _reading_aid_buttons_sit_in_the_red_band_on_a_phone(page: Any) -> None:
    _reading_aid_buttons_sit_in_the_red_band(page, "phone")


def _speech_stub(voices: list[dict[str, str]]) -> str:
    """A stand-in for the browser's speech synthesis (headless Chromium has no voices):
    it records what pufa.js asks it to say, and the test ends each utterance."""
    import json

    return """(() => {
      const voices = %s;
      window.__spoken = []; window.__cancels = 0;
      const synth = {
        getVoices: () => voices,
        speak(utterance) { window.__spoken.push({text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.name}); window.__utterance = utterance; },
        cancel() { window.__cancels += 1; },
        addEventListener() {},
      };
      Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
      window.SpeechSynthesisUtterance = function (text) { this.text = text; };
    })();""" % json.dumps(voices)


#: A device with an English voice, a Chinese voice of a speech service (never used: the text would
#: leave the device) and a Chinese voice of its own.
REMOTE_CHINESE = {"name": "在线普通话", "lang": "zh-CN", "localService": False}
CHINESE_VOICE = [{"name": "English", "lang": "en-US", "localService": True}, REMOTE_CHINESE,
                 {"name": "普通话", "lang": "zh-CN", "localService": True}]


@pytest.mark.parametrize("kind", ["lesson", "month", "episode"])
def test_read_aloud_reads_the_text_with_a_chinese_voice(open_tab: Callable[..., Tab], kind: str) -> None:
    tab = open_tab()
    tab.page.add_init_script(_speech_stub(CHINESE_VOICE))
    tab.goto(PAGES[kind])
    page = tab.page
    button = page.locator("[data-pufa-read-aloud]")
    assert button.is_visible()
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    for _ in range(500):
        if button.get_attribute("aria-pressed") == "false":
            break
        assert page.locator(".pufa-reading").count() == 1, "the block being read is marked"
        page.evaluate("window.__utterance.onend()")
    spoken = page.evaluate("window.__spoken")
    assert {s["voice"] for s in spoken} == {"普通话"} and {s["lang"] for s in spoken} == {"zh-CN"}
    said = "\n".join(s["text"] for s in spoken)
    assert page.locator("h1").inner_text() in said
    assert "复制网址" not in said and "本课永久网址" not in said and "扫码" not in said
    if kind == "lesson":
        assert "知道公民在法律面前一律平等。" in said and "学习宪法，遵守宪法。" in said
        assert "参考答案" not in said, "the teacher's answers are not read"
        assert "国家尊重和保障人权" not in said, "a citation's pop-up text is not read"
    if kind == "episode":
        times = page.locator("a.pufa-cue__time").all_inner_texts()
        assert times and not [time for time in times if time in said], "cue times are not read"
    assert page.locator(".pufa-reading").count() == 0


def test_read_aloud_stops_on_a_second_press(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    tab.page.add_init_script(_speech_stub(CHINESE_VOICE))
    tab.goto(PAGES["lesson"])
    button = tab.page.locator("[data-pufa-read-aloud]")
    button.click()
    tab.page.evaluate("window.__utterance.onend()")
    button.click()
    assert button.get_attribute("aria-pressed") == "false" and tab.page.evaluate("window.__cancels") >= 2
    assert tab.page.locator(".pufa-reading").count() == 0
    count = tab.page.evaluate("window.__spoken.length")
    tab.page.evaluate("window.__utterance.onend()")  # a late end event of the stopped reading
    assert tab.page.evaluate("window.__spoken.length") == count


@pytest.mark.parametrize(("kind", "voices"), [
    ("lesson", [{"name": "English", "lang": "en-US", "localService": True}]),
    ("lesson", [REMOTE_CHINESE]), ("home", CHINESE_VOICE), ("law", CHINESE_VOICE),
], ids=["no-chinese-voice", "only-a-remote-chinese-voice", "home", "law"])
def test_read_aloud_is_hidden_without_a_chinese_voice_or_a_text(
        open_tab: Callable[..., Tab], kind: str, voices: list[dict[str, str]]) -> None:
    """With headless Chromium's own voices (none) it is _read_aloud_is_hidden_with_the_browsers_voices."""
    tab = open_tab()
    tab.page.add_init_script(_speech_stub(voices))
    tab.goto(PAGES[kind])
    _read_aloud_is_hidden(tab.page)


def _read_aloud_is_hidden(page: Any) -> None:
    button = page.locator("[data-pufa-read-aloud]")
    assert button.count() == 1 and button.is_hidden()


def _read_aloud_is_hidden_with_the_browsers_voices(page: Any) -> None:
    """The lesson page on a desktop, in headless Chromium, which has no voice."""
    _read_aloud_is_hidden(page)


# --------------------------------------------------------------------------
# 10. Polish


def _polish_of_the_home_page_on_a_phone(page: Any) -> None:
    """The home page on a phone: what wraps, and where."""
    # Footer items and card dates wrap whole, never inside a word (邮/箱, 2026/年).
    for selector in (".pufa-footer__item", ".pufa-card__date"):
        items = page.locator(selector).all()
        assert items, selector
        for item in items:
            lines = item.evaluate(LINES_JS)
            assert lines == 1, f"{selector} on {lines} lines: {item.inner_text()}"
    # Card lists start where the headings start.
    heading = page.locator(".pufa-home section h2").last.bounding_box()
    card = page.locator(".pufa-cards > li").first.bounding_box()
    assert card["x"] == pytest.approx(heading["x"], abs=1)
    # Buttons that wrap onto two lines have a gap between them.
    buttons = [b.bounding_box() for b in page.locator(".pufa-this-month .md-button:visible").all()]
    assert len(buttons) == 2
    if buttons[1]["y"] > buttons[0]["y"]:
        assert buttons[1]["y"] - (buttons[0]["y"] + buttons[0]["height"]) >= 8
    else:
        assert buttons[1]["x"] - (buttons[0]["x"] + buttons[0]["width"]) >= 8


def _polish_of_the_episode_page_on_a_phone(page: Any) -> None:
    """No synthetic italics on Chinese captions and emphasis (here and on the lesson page)."""
    assert page.locator(".pufa-player figcaption").evaluate("el => getComputedStyle(el).fontStyle") == "normal"


def _polish_of_the_lesson_page_on_a_phone(page: Any) -> None:
    assert page.locator(".pufa-body em").first.evaluate("el => getComputedStyle(el).fontStyle") == "normal"


def _polish_of_the_month_page_on_a_phone(page: Any) -> None:
    """The month's activities: every column on screen, no sideways scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    department = page.locator(".pufa-activities td[data-label='承办部门']").first
    box = department.bounding_box()
    assert department.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390
    wrap = page.locator(".pufa-activities .md-typeset__scrollwrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert department.evaluate("el => getComputedStyle(el, '::before').content") == '"承办部门："'


def _a_table_wider_than_a_phone_is_a_region(page: Any) -> None:
    """The lesson page on a phone, as loaded."""
    box = page.locator(".pufa-body .md-typeset__scrollwrap")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "the fixture's table must overflow a phone"
    assert [box.get_attribute(name) for name in ("tabindex", "role", "aria-label")] == ["0", "region", "表格，可左右滚动"]


def _a_table_wider_than_a_phone_scrolls_from_the_keyboard(page: Any) -> None:
    """The lesson page on a phone (moves focus and scrolls the table)."""
    box = page.locator(".pufa-body .md-typeset__scrollwrap")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle())


def _a_table_as_wide_as_a_desktop_is_no_tab_stop(page: Any) -> None:
    box = page.locator(".pufa-body .md-typeset__scrollwrap")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth") and box.get_attribute("tabindex") is None


def _where_it_is_taught_box_uses_the_site_palette(page: Any) -> None:
    """The law page on a desktop."""
    box = page.locator("details.pufa-taught").first
    primary = page.evaluate("getComputedStyle(document.body).getPropertyValue('--md-primary-fg-color').trim()")
    assert primary == "#b71c1c"
    assert box.evaluate("el => getComputedStyle(el).borderTopColor") == "rgb(183, 28, 28)"
    assert box.locator("summary").evaluate("el => getComputedStyle(el, '::before').backgroundColor") == "rgb(183, 28, 28)"


def test_lesson_contents_list_includes_the_templates_sections(ux_site: Path) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((ux_site / PAGES["lesson"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = soup.select(".md-sidebar--secondary [data-md-component=toc] > li > a")
    assert [a.get_text(strip=True) for a in links] == ["学习目标", "案例", "宪法怎么说", "我们怎么做", "想一想，议一议", "小测验"]
    for link in links:
        assert soup.find(id=link["href"].removeprefix("#")), link["href"]


# --------------------------------------------------------------------------
# 11. Keyboard: Tab lands only on what the reader can see


#: One page of each template (listings share theirs).
TEMPLATES = ["home", "topic", "lesson", "month", "months", "episode", "radio", "event", "law", "report", "departments", "404"]


#: What the Tab walk and the reading modes add to the page: every change of style takes effect at once.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def _hidden_tab_stops(page: Any) -> list[str]:
    """Tab from the top of the page to its end: every stop is on screen and opaque. Moves focus and scrolls;
    the style it adds (no transitions) stays."""
    # Without transitions, what focus reveals (the skip link, heading anchors) is opaque at once;
    # what stays transparent while focused is hidden from sight.
    page.add_style_tag(content=NO_TRANSITIONS)
    stops = page.evaluate("document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').length")
    hidden, seen = [], 0
    for _ in range(stops + 2):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused is None:
            break  # back to the page itself: every stop was visited
        seen += 1
        if not focused["seen"]:
            hidden.append(f"Tab stops on a hidden element: {focused['where']}")
    return hidden if seen > 5 else [f"Tab walk: only {seen} stops, the check looks at almost nothing", *hidden]


# --------------------------------------------------------------------------
# Accessibility in every reading mode (axe-core), phone and desktop

BLOCKING = ("serious", "critical")
AXE_PAGES = ["home", "lesson", "month", "episode", "law", "404"]  # the report is helper i10-media's


def _axe(page: Any, mode: str) -> list[str]:
    """axe-core's serious and critical findings on the page as it is, in reading mode ``mode``."""
    return [
        f"axe-core in {mode} mode: {v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        for v in axe_violations(page) if v["impact"] in BLOCKING
    ]


def _switch_aid(page: Any, mode: str, on: bool) -> list[str]:
    """Press a reading aid's button, and wait until what it changes has settled.

    The button must take a click where it is (visible, enabled, nothing on top of it: Playwright's
    checks before a click); the click itself is dispatched to it, without moving focus or the point
    where the browser's Tab navigation starts: the Tab walk after the reading modes starts at the top.
    """
    button = page.locator(f'[data-pufa-aid="{mode}"]')
    button.click(trial=True)
    button.dispatch_event("click")
    page.evaluate(TRANSITIONS_ENDED_JS)
    pressed = button.get_attribute("aria-pressed")
    applied = page.evaluate(f"document.documentElement.classList.contains('pufa-{mode}')")
    if (pressed, applied) != (str(on).lower(), on):
        return [f"reading aid {mode}: pressed to turn it {'on' if on else 'off'}, "
                f"aria-pressed is {pressed}, class pufa-{mode} {'present' if applied else 'absent'}"]
    return []


def _reading_modes(page: Any, kind: str) -> list[str]:
    """axe-core in every reading mode (plain, 大字, 高对比), and 大字 enlarging every text element and the
    player. Each mode is switched on from plain and off again: the page ends as it began, but for the
    transitions it no longer has. A page opened in a reading mode shows it at once, with nothing in
    transition; so does a page whose transitions are off when the mode is switched on."""
    problems = _axe(page, "plain") if kind in AXE_PAGES else []
    if kind in LARGE_TEXT_PAGES or kind in AXE_PAGES:
        page.add_style_tag(content=NO_TRANSITIONS)
        if kind in LARGE_TEXT_PAGES:
            before = page.evaluate(TEXT_SIZES_JS)
            player = page.locator("audio")
            player_height = player.bounding_box()["height"] if player.count() else None
        problems += _switch_aid(page, "large", True)
        if kind in LARGE_TEXT_PAGES:
            after = page.evaluate(TEXT_SIZES_JS)
            if [b["where"][:40] for b in before] != [a["where"][:40] for a in after]:
                problems.append("大字 changed which elements show text: "
                                f"{[b['where'][:40] for b in before]} → {[a['where'][:40] for a in after]}")
            problems += [f"大字 left text small: {b['size']} → {a['size']} px: {a['where']}"
                         for b, a in zip(before, after) if a["size"] < b["size"] * 1.2]
            if player_height and player.bounding_box()["height"] < player_height * 1.2:
                problems.append(f"大字 left the player {player.bounding_box()['height']} px high (was {player_height})")
        if kind in AXE_PAGES:
            problems += _axe(page, "large")
        problems += _switch_aid(page, "large", False)
    if kind in AXE_PAGES:
        problems += _switch_aid(page, "contrast", True)
        problems += _axe(page, "contrast")
        problems += _switch_aid(page, "contrast", False)
    return problems


# --------------------------------------------------------------------------
# Every page kind, on a phone and on a desktop: one load, every check that applies


@pytest.mark.parametrize("kind", list(PAGES))
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_page_kind_for_readers(open_tab: Callable[..., Tab], device: str, kind: str) -> None:
    """Each page kind, loaded once per device, and checked for: English a reader sees or hears (6),
    tap targets (7, phone), the current section (5), axe-core in every reading mode and 大字 (8),
    Tab stops (11), and what READING_CHECKS, MOVING_CHECKS and LEAVING_CHECKS hold for the page on
    the device (polish (10), the reading aids' buttons and read-aloud (8), wide tables, the 404 page's ways back): one
    load of each page on each device is what every check needs. The order is such that no check
    changes what a later one sees: first what only reads the page, then the reading modes (each
    switched on and off again), then the Tab walk (it moves focus and scrolls) and what else moves
    focus or scrolls, then the phone menu (it opens), then what follows a link away. Every problem
    found is listed, each saying which check and which mode found it.
    """
    tab = _phone(open_tab) if device == "phone" else open_tab()
    path = PAGES[kind]
    tab.goto(path)
    page = tab.page
    page.evaluate("document.fonts.ready.then(() => true)")
    problems = [f"English a reader sees or hears: {found}" for found in sorted(set(_english(page.evaluate(READER_TEXT_JS))))]
    problems += _small_tap_targets(page) if device == "phone" else _section_in_the_tabs(page, kind)
    problems += _checked(page, READING_CHECKS.get((device, kind), []))
    problems += _reading_modes(page, kind)
    if kind in TEMPLATES:
        problems += _hidden_tab_stops(page)
    problems += _checked(page, MOVING_CHECKS.get((device, kind), []))
    if device == "phone" and kind in SECTIONS:
        problems += _section_in_the_phone_menu(page, kind)
    problems += _checked(page, LEAVING_CHECKS.get((device, kind), []))
    _fail_if(problems, f"/{path} ({device})")


#: The checks of one page kind on one device, in the same load as the checks above: those that only
#: read the page, before anything changes it; those that move focus or scroll, after the Tab walk;
#: those that leave the page, last.
READING_CHECKS: dict[tuple[str, str], list[Callable[[Any], None]]] = {
    ("desktop", "lesson"): [_reading_aid_buttons_sit_in_the_red_band_on_a_desktop, _a_table_as_wide_as_a_desktop_is_no_tab_stop,
                            _read_aloud_is_hidden_with_the_browsers_voices],
    ("phone", "lesson"): [_reading_aid_buttons_sit_in_the_red_band_on_a_phone, _a_table_wider_than_a_phone_is_a_region,
                          _polish_of_the_lesson_page_on_a_phone],
    ("desktop", "law"): [_where_it_is_taught_box_uses_the_site_palette],
    ("phone", "home"): [_polish_of_the_home_page_on_a_phone],
    ("phone", "episode"): [_polish_of_the_episode_page_on_a_phone],
    ("phone", "month"): [_polish_of_the_month_page_on_a_phone],
}
MOVING_CHECKS: dict[tuple[str, str], list[Callable[[Any], None]]] = {
    ("phone", "lesson"): [_a_table_wider_than_a_phone_scrolls_from_the_keyboard],
}
LEAVING_CHECKS: dict[tuple[str, str], list[Callable[[Any], None]]] = {
    ("desktop", "404"): [_the_404_page_is_chinese_with_ways_back],
}


def _checked(page: Any, checks: list[Callable[[Any], None]]) -> list[str]:
    """Run each check on the page; a failed assertion is listed with the other problems."""
    problems = []
    for check in checks:
        try:
            check(page)
        except AssertionError as error:
            problems.append(f"{check.__name__}: {error}")
    return problems


def test_heading_anchors_are_titled_in_chinese_unless_the_site_chose() -> None:
    from pufa.project import PERMALINK_TITLE, chinese_markdown_labels

    configs: dict[str, Any] = {"toc": {"permalink": True}}
    chinese_markdown_labels(configs)
    assert configs["toc"]["permalink_title"] == PERMALINK_TITLE == "本节链接"
    chosen: dict[str, Any] = {"toc": {"permalink": True, "permalink_title": "链接到本节"}}
    chinese_markdown_labels(chosen)
    assert chosen["toc"]["permalink_title"] == "链接到本节"
    none: dict[str, Any] = {}
    chinese_markdown_labels(none)
    assert none == {}
