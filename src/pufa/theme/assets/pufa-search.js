/* pufa's site search (partials/search.html): Pagefind's index, written by src/pufa/search.py.
 *
 * Nothing is downloaded until the reader uses the box (focus, the header button or a
 * shortcut); then Pagefind fetches only the index chunks and page fragments a query
 * needs. Typing, pasting, voice and input-method entry (compositionend) all search.
 *
 * The index holds jieba words with their parts, a space apart, and invisible marks
 * (search.py): KEEP before whitespace the original had (every other space is taken
 * out), PART_OPEN and PART_CLOSE around parts that are never shown. Excerpts are
 * restored to the original text here, and the query's words are highlighted in them.
 */
(() => {
  "use strict";
  const box = document.querySelector("[data-pufa-search]");
  if (!box) return;
  const KEEP = "\u2060";
  const PART_OPEN = "\u2063";
  const PART_CLOSE = "\u2064";
  /* An excerpt is a window of the text: it may begin or end inside a group of parts. */
  const PARTS = new RegExp(`${PART_OPEN}[^${PART_CLOSE}]*(?:${PART_CLOSE} ?|$)|^[^${PART_OPEN}]*?${PART_CLOSE} ?`, "g");
  const KEPT = new RegExp(`${KEEP}(\\s*)`);
  const PAGE_SIZE = 10;
  const FILTERS = { kind: "类别", topic: "主题", audience: "对象", grade: "学段" };
  const input = box.querySelector(".md-search__input");
  const form = box.querySelector("form");
  const status = box.querySelector(".md-search-result__meta");
  const list = box.querySelector(".pufa-search__list");
  const more = box.querySelector(".pufa-search__more");
  const filterBox = box.querySelector(".pufa-search__filters");
  const toggle = document.getElementById("__search");
  const bundle = new URL(box.getAttribute("data-pufa-search"), document.baseURI);
  const base = new URL("../", bundle);
  const initial = status.textContent;
  const chosen = {};
  let loading = null;
  let composing = false;
  let searched = null;
  let generation = 0;
  let shown = [];
  let shownCount = 0;
  let timer = 0;

  /* Pagefind reads the page's language once, when it starts: "und" (the index's language,
   * see search.py) keeps it from cutting the query again with the browser's dictionary. */
  function load() {
    if (!loading) {
      loading = import(new URL("pagefind.js", bundle).href).then(async (pagefind) => {
        /* Titles rank through the page's heading; Pagefind's own title bonus favoured short notices. */
        const ranking = { metaWeights: { title: 0 } };
        await pagefind.options({ basePath: bundle.pathname, baseUrl: base.pathname, excerptLength: 60, ranking });
        const html = document.documentElement;
        const lang = html.getAttribute("lang");
        html.setAttribute("lang", "und");
        const started = pagefind.init();
        html.setAttribute("lang", lang);
        await started;
        showFilters(await pagefind.filters());
        return pagefind;
      });
      loading.catch(() => {
        loading = null;
        status.textContent = "搜索暂时无法使用，请稍后再试";
      });
    }
    return loading;
  }

  function words(query) {
    const found = [];
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      for (const part of new Intl.Segmenter("zh", { granularity: "word" }).segment(query)) {
        if (part.isWordLike) found.push(part.segment);
      }
    } else {
      found.push(...query.split(/\s+/));
    }
    return [...new Set(found.filter(Boolean))];
  }

  /* The browser's dictionary cuts a query differently from jieba's, which made the index:
   * 未成年人 into 未成年 人, 宪法日 into 宪法 日. Pages with every word come first: the words
   * with a lone character joined to its neighbour (未成年人, 宪法日 as typed; 拖欠工资 as
   * 拖欠 工资), the query as typed, the browser's words; then, marked as partial, pages with
   * any one word of two characters or more, so that nothing Material's search found is lost. */
  function tiers(query) {
    const parts = words(query);
    const joined = [];
    for (const part of parts) {
      const last = joined.length - 1;
      if (last >= 0 && (part.length === 1 || joined[last].length === 1)) joined[last] += part;
      else joined.push(part);
    }
    const all = [[joined.join(" "), false], [query, false], [parts.join(" "), false]];
    for (const part of parts) if (part.length > 1) all.push([part, true]);
    const seen = new Set();
    return all.filter(([term]) => term && !seen.has(term) && seen.add(term));
  }

  async function run(pagefind, query) {
    const filters = {};
    for (const [name, value] of Object.entries(chosen)) if (value) filters[name] = value;
    if (!query) {
      if (!Object.keys(filters).length) return [];
      return (await pagefind.search(null, { filters })).results.map((result) => ({ result, partial: false }));
    }
    const seen = new Set();
    const results = [];
    for (const [term, partial] of tiers(query)) {
      const found = await pagefind.search(term, { filters });
      for (const result of found ? found.results : []) {
        if (!seen.has(result.id)) {
          seen.add(result.id);
          results.push({ result, partial });
        }
      }
    }
    return results;
  }

  /* The original text of an excerpt: Pagefind's own marks dropped, parts removed, the
   * original's whitespace kept and the spaces put in between words taken out. */
  function original(excerpt) {
    const template = document.createElement("template");
    template.innerHTML = excerpt;
    return template.content.textContent
      .replace(PARTS, "")
      .split(KEPT)
      .map((piece, i) => (i % 2 ? piece || " " : piece.replace(/\s/g, "")))
      .join("");
  }

  function highlighted(text, terms) {
    const fragment = document.createDocumentFragment();
    const wanted = terms.filter(Boolean).sort((a, b) => b.length - a.length);
    let rest = text;
    while (rest) {
      let at = -1;
      let term = "";
      for (const candidate of wanted) {
        const index = rest.toLowerCase().indexOf(candidate.toLowerCase());
        if (index >= 0 && (at < 0 || index < at)) {
          at = index;
          term = candidate;
        }
      }
      if (at < 0) {
        fragment.append(rest);
        break;
      }
      fragment.append(rest.slice(0, at));
      const mark = document.createElement("mark");
      mark.textContent = rest.slice(at, at + term.length);
      fragment.append(mark);
      rest = rest.slice(at + term.length);
    }
    return fragment;
  }

  /* The part of the page with most of the query (a law's article, a lesson's section), if not the top. */
  function best(data) {
    const sections = (data.sub_results || []).filter((sub) => sub.url.includes("#"));
    if (!sections.length) return null;
    return sections.reduce((a, b) => ((b.locations || []).length > (a.locations || []).length ? b : a));
  }

  async function render(results, query, start, current) {
    const terms = query ? [query, ...words(query).filter((word) => word.length > 1)] : [];
    const slice = results.slice(start, start + PAGE_SIZE);
    const page = await Promise.all(slice.map(({ result }) => result.data()));
    if (current !== generation) return;
    page.forEach((data, index) => {
      const { partial } = slice[index];
      if (partial && (start + index === 0 || !results[start + index - 1].partial)) {
        const note = document.createElement("li");
        note.className = "pufa-search__partial";
        note.textContent = "以下页面只含部分关键词";
        list.append(note);
      }
      const item = document.createElement("li");
      item.className = "md-search-result__item";
      const link = document.createElement("a");
      link.className = "md-search-result__link";
      link.href = data.url;
      const article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      const title = document.createElement("div");
      title.className = "pufa-search__title";
      title.append(highlighted(original(data.meta.title || data.url), terms));
      if (data.filters.kind && data.filters.kind.length) {
        const kind = document.createElement("span");
        kind.className = "pufa-search__kind";
        kind.textContent = data.filters.kind[0];
        title.prepend(kind);
      }
      const excerpt = document.createElement("p");
      excerpt.append(highlighted(original(data.excerpt), terms));
      article.append(title, excerpt);
      link.append(article);
      item.append(link);
      const section = best(data);
      if (section) {
        const jump = document.createElement("a");
        jump.className = "pufa-search__section";
        jump.href = section.url;
        jump.append("直达：", highlighted(original(section.title), terms));
        item.append(jump);
      }
      list.append(item);
    });
    more.hidden = start + slice.length >= results.length;
    shownCount = start + slice.length;
  }

  async function search(force) {
    const query = input.value.replace(/\s+/g, " ").trim();
    const key = JSON.stringify([query, chosen]);
    if (!force && key === searched) return;
    searched = key;
    const current = ++generation;
    if (!query && !Object.values(chosen).some(Boolean)) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = initial;
      return;
    }
    status.textContent = "正在搜索…";
    const pagefind = await load();
    const results = await run(pagefind, query);
    if (current !== generation) return;
    shown = results;
    list.replaceChildren();
    await render(results, query, 0, current);
    if (current !== generation) return;
    const full = results.filter((entry) => !entry.partial).length;
    const partial = results.length - full;
    status.textContent = !results.length ? "没有找到相关页面，请换个说法，或用更短的关键词"
      : `找到 ${full} 个相关页面` + (partial ? `，另有 ${partial} 个只含部分关键词` : "");
  }

  function later() {
    if (composing) return;
    clearTimeout(timer);
    timer = setTimeout(() => search(false), 120);
  }

  function showFilters(available) {
    filterBox.replaceChildren();
    for (const [name, label] of Object.entries(FILTERS)) {
      const values = Object.keys(available[name] || {});
      if (!values.length) continue;
      const field = document.createElement("label");
      field.className = "pufa-search__filter";
      field.append(label);
      const select = document.createElement("select");
      select.name = name;
      select.append(new Option("全部", ""));
      for (const value of values.sort((a, b) => a.localeCompare(b, "zh"))) select.append(new Option(value, value));
      select.addEventListener("change", () => {
        chosen[name] = select.value;
        search(false);
      });
      field.append(select);
      filterBox.append(field);
    }
    filterBox.hidden = !filterBox.children.length;
  }

  function open() {
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    input.focus();
  }

  input.addEventListener("focus", () => {
    if (!toggle.checked) toggle.checked = true;  // as Material's search: the box opens as it gets the cursor
    load();
  });
  input.addEventListener("compositionstart", () => { composing = true; });
  input.addEventListener("compositionend", () => { composing = false; later(); });
  for (const type of ["input", "paste", "change", "keyup"]) input.addEventListener(type, later);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      toggle.checked = false;
      input.blur();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = list.querySelector("a");
    if (first) first.click();
    else search(true);
  });
  form.addEventListener("reset", () => {
    setTimeout(() => { search(false); input.focus(); });
  });
  more.addEventListener("click", () => render(shown, input.value.replace(/\s+/g, " ").trim(), shownCount, generation));
  toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      open();
    }
  });
})();
