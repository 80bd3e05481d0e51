"""Small sites built in tmp dirs: URLs, generated pages, scaffolds, rebuild state."""

from __future__ import annotations

import shutil

from bs4 import BeautifulSoup

from conftest import Site


def test_minisite_builds_strict_with_contract_urls(built_plain_minisite: Site) -> None:
    minisite = built_plain_minisite  # built by the installed `mkdocs build --strict`
    for url in ("", "lessons", "lessons/xianfa", "lessons/xianfa/guojia-xianfa-ri", "lessons/xianfa/gongmin-de-jibenquanli",
                "lessons/audience/wugong", "lessons/grade/xiaoxue", "months", "months/2026-03", "months/2026-04",
                "radio", "radio/ep001", "departments", "departments/fayuan", "about"):
        assert (minisite.out / url / "index.html").is_file(), url
    # Sources keep no output of their own path.
    assert not (minisite.out / "lessons" / "xianfa" / "xianfa-ri").exists()
    assert not (minisite.out / "radio" / "ep001.md").exists()


def test_moving_a_lesson_file_keeps_its_url(minisite: Site) -> None:
    source = minisite.root / "content/lessons/xianfa/xianfa-ri.md"
    target = minisite.root / "content/lessons/archive/2026/constitution-day.md"
    target.parent.mkdir(parents=True)
    shutil.move(source, target)
    result = minisite.build()
    assert result.returncode == 0, result.output
    page = minisite.page("lessons/xianfa/guojia-xianfa-ri")
    assert "国家宪法日" in page


def test_home_month_follows_the_today_option(built_plain_minisite: Site, minisite: Site) -> None:
    home = BeautifulSoup(built_plain_minisite.page(""), "html.parser")  # today: "2026-03-20"
    assert "宪法学习月" in home.select_one(".pufa-this-month").get_text()
    minisite.write("mkdocs.yml", minisite.read("mkdocs.yml").replace('today: "2026-03-20"', 'today: "2026-04-02"'))
    assert minisite.build().returncode == 0
    home = BeautifulSoup(minisite.page(""), "html.parser")
    assert "民法典学习月" in home.select_one(".pufa-this-month").get_text()
    # After the campaign's last month, the latest theme stays on the home page.
    minisite.write("mkdocs.yml", minisite.read("mkdocs.yml").replace('today: "2026-04-02"', 'today: "2027-09-01"'))
    assert minisite.build().returncode == 0
    assert "民法典学习月" in BeautifulSoup(minisite.page(""), "html.parser").select_one(".pufa-this-month").get_text()


def test_listing_pages_show_their_lessons(built_plain_minisite: Site) -> None:
    minisite = built_plain_minisite
    audience = BeautifulSoup(minisite.page("lessons/audience/wugong"), "html.parser")
    titles = [a.get_text() for a in audience.select("a.pufa-card__title")]
    assert titles == ["公民的基本权利"]
    department = BeautifulSoup(minisite.page("departments/sifaju"), "html.parser")
    text = department.get_text()
    assert "国家宪法日" in text and "宪法和我们" in text and "宪法进校园" in text


def test_lesson_page_shows_teacher_facts_and_collapsed_answers(built_plain_minisite: Site) -> None:
    page = BeautifulSoup(built_plain_minisite.page("lessons/xianfa/guojia-xianfa-ri"), "html.parser")
    facts = page.select_one(".pufa-facts").get_text()
    assert "小学" in facts and "初中" in facts and "县司法局" in facts and "约 1 分钟" in facts
    details = page.select_one(".pufa-quiz details.pufa-teacher")
    assert details is not None and not details.has_attr("open")
    assert "12月4日" in details.get_text()


def test_pufa_new_scaffolds_valid_files_that_build(minisite: Site) -> None:
    made = minisite.pufa("new", "lesson", "--title", "高空抛物，坑人害己", "--topic", "minfadian",
                         "--department", "fayuan", "--grade", "xiaoxue")
    assert made.returncode == 0, made.output
    assert "content/lessons/minfadian/gaokong-paowu-kengren-haiji.md" in made.stdout
    text = minisite.read("content/lessons/minfadian/gaokong-paowu-kengren-haiji.md")
    assert "slug: gaokong-paowu-kengren-haiji" in text
    assert minisite.pufa("new", "month", "--month", "2026-05", "--title", "民法典宣传月").returncode == 0
    made = minisite.pufa("new", "episode", "--title", "第二期", "--topic", "xianfa", "--department", "sifaju")
    assert made.returncode == 0, made.output
    assert "content/radio/ep002.md" in made.stdout
    check = minisite.check()
    assert check.returncode == 1 and "占位文字" in check.stderr, check.output
    # Placeholders are refused until the editor writes real text.
    from test_publishing import fill_placeholders

    for path in ("content/lessons/minfadian/gaokong-paowu-kengren-haiji.md", "content/months/2026-05.md",
                 "content/radio/ep002.md"):
        fill_placeholders(minisite.root / path)
    check = minisite.check()
    assert check.returncode == 0, check.output
    assert minisite.build().returncode == 0
    assert (minisite.out / "lessons/minfadian/gaokong-paowu-kengren-haiji/index.html").is_file()
    assert (minisite.out / "radio/ep002/index.html").is_file()
    # Never overwrite an editor's file.
    again = minisite.pufa("new", "month", "--month", "2026-05", "--title", "别的")
    assert again.returncode == 1 and "已存在" in again.stderr


def test_pufa_new_rejects_unknown_keys_in_chinese(minisite: Site) -> None:
    made = minisite.pufa("new", "lesson", "--title", "测试", "--topic", "xianfaa", "--department", "sifaju")
    assert made.returncode == 1
    assert "--topic: 未知的主题 “xianfaa”，是否为 “xianfa”" in made.stderr
    assert "Traceback" not in made.stderr


def test_cli_help_and_usage_errors_are_chinese(minisite: Site) -> None:
    helped = minisite.pufa_command("--help")  # the installed command, in its own process
    assert helped.returncode == 0 and "用法：" in helped.stdout and "检查全部内容" in helped.stdout
    wrong = minisite.pufa("new", "lesson")
    assert wrong.returncode == 2 and "错误：" in wrong.stderr


def test_pufa_check_outside_a_site_says_so(tmp_path) -> None:
    site = Site(tmp_path)
    result = site.pufa("check")
    assert result.returncode == 1
    assert "找不到 mkdocs.yml" in result.stderr


def test_sub_path_site_url_keeps_links_inside(minisite: Site) -> None:
    minisite.write("site_config/site.yml", minisite.read("site_config/site.yml").replace(
        "https://test.example.gov.cn/", "https://www.example.gov.cn/pufa/"))
    assert minisite.build().returncode == 0
    page = minisite.page("lessons/xianfa/guojia-xianfa-ri")
    assert '<link rel="canonical" href="https://www.example.gov.cn/pufa/lessons/xianfa/guojia-xianfa-ri/">' in page
    soup = BeautifulSoup(page, "html.parser")
    for anchor in soup.select("a[href]"):
        href = anchor["href"]
        assert not href.startswith("/"), href  # site-relative links would escape the sub-path


def test_department_report_counts_and_csv(built_plain_minisite: Site) -> None:
    import csv
    import io

    minisite = built_plain_minisite
    rows = list(csv.DictReader(io.StringIO((minisite.out / "departments" / "report.csv").read_bytes().decode("utf-8-sig"))))
    assert (minisite.out / "departments" / "report.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel/WPS read UTF-8
    by_department = {}
    for row in rows:
        by_department.setdefault(row["部门"], []).append((row["类型"], row["标题"], row["月份"]))
    assert sorted(by_department["县司法局"]) == [("活动", "宪法进校园", "2026-03"), ("节目", "《示例说法》第1期：宪法和我们", "2026-03"),
                                              ("课程", "国家宪法日", "2026-03")]
    assert by_department["县人民法院"] == [("课程", "公民的基本权利", "2026-03")]
    assert all(row["网址"].startswith("https://test.example.gov.cn/") for row in rows)
    page = BeautifulSoup(minisite.page("departments/report"), "html.parser")
    month_table = page.select("table")[0]
    header = [th.get_text() for th in month_table.select("thead th")]
    assert header == ["部门", "2026年3月", "合计"]
    cells = {tr.select_one("th").get_text(): [td.get_text() for td in tr.select("td")] for tr in month_table.select("tbody tr")}
    assert cells["县司法局"] == ["3", "3"] and cells["县人民法院"] == ["1", "1"]
    cli = minisite.pufa("report")
    assert cli.returncode == 0 and cli.stdout.splitlines()[0] == "部门,类型,标题,日期,月份,主题,网址"
    assert len(cli.stdout.splitlines()) == len(rows) + 1


def test_lesson_case_from_front_matter(minisite: Site) -> None:
    text = minisite.read("content/lessons/xianfa/quanli.md").replace(
        "summary:", "case: |\n  小王在工地打工，被拖欠工资。\n\n  他拨打了 12348 <热线>。\nsummary:", 1)
    minisite.write("content/lessons/xianfa/quanli.md", text)
    assert minisite.build().returncode == 0
    case = BeautifulSoup(minisite.page("lessons/xianfa/gongmin-de-jibenquanli"), "html.parser").select_one(".pufa-case")
    assert [p.get_text() for p in case.select("p")] == ["小王在工地打工，被拖欠工资。", "他拨打了 12348 <热线>。"]
