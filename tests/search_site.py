"""A small site for the search tests: the minisite plus pages whose expected hits are known.

- 未成年人 is the title word of one lesson and appears in another only inside 未成年人保护法
  (the compound Pagefind's own segmentation would not find by its part);
- 12348 and 拖欠工资 appear in the wage lesson only;
- the wage lesson cites 宪法第三十三条, whose text (国家尊重和保障人权) is on the law page and
  in the citation's hover text, never in the lesson's own text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import MINISITE, MKDOCS_YML, Site

CHILD_LESSON = """\
---
title: 未成年人的六大保护
topic: weibaofa
slug: liuda-baohu
audiences: [qingshaonian]
grades: [xiaoxue, chuzhong]
department: sifaju
date: 2026-03-02
summary: 家庭、学校、社会、网络、政府、司法六大保护。
---

## 六大保护

未成年人享有家庭保护和学校保护。
"""

WAGE_LESSON = """\
---
title: 工资被拖欠了怎么办
topic: minfadian
slug: gongzi-tuoqian
audiences: [wugong]
department: fayuan
date: 2026-03-03
summary: 包工头跑了，工钱找谁要。
---

## 讨薪

老板拖欠工资，可以拨打 12348 法律援助热线。根据【宪法第三十三条】，公民在法律面前一律平等。

家长学习未成年人保护法，也要懂得维护自己的权益。
"""

#: URL of each page the tests expect, by what it is.
CHILD = "lessons/weibaofa/liuda-baohu/"
WAGE = "lessons/minfadian/gongzi-tuoqian/"
EPISODE = "radio/ep001/"
LAW = "laws/xianfa/"


def write_search_site(root: Path) -> Site:
    """The minisite with the search pages, in ``root`` (not built)."""
    shutil.copytree(MINISITE, root)
    site = Site(root)
    site.write("mkdocs.yml", MKDOCS_YML.format(today="2026-03-20"))
    site.write("content/lessons/weibaofa/liuda-baohu.md", CHILD_LESSON)
    site.write("content/lessons/minfadian/gongzi-tuoqian.md", WAGE_LESSON)
    return site
