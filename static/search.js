// Full-text search over the Pagefind index built with the site. A deferred classic script
// (module scripts cannot load from file://), so the page works without it and no inline
// script is needed.
(() => {
const form = document.querySelector("[data-search-form]");
const input = form.querySelector("input[name=q]");
const headerInput = document.getElementById("site-search-q");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const filterBox = document.querySelector("[data-search-filters]");
const indexes = document.querySelector("[data-search-indexes]");
// Pagefind gives URLs from the site's root ("/articles/x/index.html"); the site may live
// under a subpath, so they are resolved against the folder above static/.
const SITE_ROOT = new URL("../", document.currentScript.src);
const WORDS = JSON.parse(document.getElementById("search-strings").textContent);
const FILTER_LABELS = { type: WORDS.filter_type, tag: WORDS.filter_tag, territory: WORDS.filter_territory, year: WORDS.filter_year };
const say = (text, values = {}) => text.replace(/\{(\w+)\}/g, (_, name) => values[name]);

// Filter values in the reader's alphabetical order: without case ("Occupation" before
// "OSCE"), years by number; code points break ties, so the order never depends on the index.
const collator = new Intl.Collator(document.documentElement.lang || undefined, { sensitivity: "base", numeric: true });
const byName = (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

// The same folding as the pages' hidden names (pages.search_names, with mentions.fold):
// lower case, marks removed from Latin letters, and the letters NFD leaves whole (ə, ı …)
// mapped, so "Kəlbəcər", "Kelbecer" and "KƏLBƏCƏR" all look for "kelbecer".
const FOLDED_LETTERS = { "ı": "i", "İ": "i", "ə": "e", "Ə": "e", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l" };
function foldLetter(letter) {
  if (letter in FOLDED_LETTERS) return FOLDED_LETTERS[letter];
  const parts = letter.normalize("NFD");
  const base = /^[\u0000-\u007f]\p{M}*$/u.test(parts) ? parts[0] : letter;
  const lower = base.toLowerCase();
  return Array.from(lower).length === 1 ? lower : base;
}
const fold = (text) => Array.from(text, foldLetter).join("");

let pagefind;
async function loadIndex() {
  if (location.protocol === "file:") throw new Error("opened from disk");
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", SITE_ROOT).href);
    await pagefind.options({ baseUrl: "/" });
    await pagefind.init();
  }
  return pagefind;
}

function selectedFilters() {
  const filters = {};
  for (const select of filterBox.querySelectorAll("select")) {
    if (select.value) filters[select.name] = select.value;
  }
  return filters;
}

async function showFilters(index) {
  const available = await index.filters();
  const params = new URLSearchParams(location.search);
  for (const [name, label] of Object.entries(FILTER_LABELS)) {
    const values = Object.keys(available[name] || {}).sort(byName);
    if (!values.length) continue;
    const field = document.createElement("div");
    field.className = "search-filter";
    const select = document.createElement("select");
    select.name = name;
    select.id = "search-filter-" + name;
    const caption = document.createElement("label");
    caption.htmlFor = select.id;
    caption.textContent = label;
    select.append(new Option(WORDS.any, ""));
    for (const value of values) select.append(new Option(value, value, false, params.get(name) === value));
    select.addEventListener("change", () => form.requestSubmit());
    field.append(caption, select);
    filterBox.append(field);
  }
  filterBox.hidden = filterBox.querySelector("select") === null;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "doc-item";
  const heading = document.createElement("h2");
  heading.className = "doc-title";
  const link = document.createElement("a");
  link.href = new URL(data.url.replace(/^\//, ""), SITE_ROOT).href;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "doc-meta";
  meta.textContent = data.meta.kind === "territory" ? WORDS.territory
    : [data.meta.date, data.meta.source].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "doc-summary";
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>.
  item.append(heading, meta, excerpt);
  return item;
}

function describe(filters) {
  return Object.entries(filters).map(([name, value]) => `${FILTER_LABELS[name]}: ${value}`).join(", ");
}

async function run(query) {
  list.replaceChildren();
  const filters = selectedFilters();
  const listing = !query && Object.keys(filters).length > 0;
  if (!query && !listing) { status.textContent = WORDS.prompt; return; }
  status.textContent = WORDS.searching;
  const index = await loadIndex();
  // Without words, Pagefind lists every page the filters select (a territory's documents).
  const search = await index.search(listing ? null : fold(query), { filters });
  const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  list.replaceChildren(...results.map(resultItem));
  const count = search.results.length;
  const [none, one, many] = listing ? [WORDS.listed_none, WORDS.listed_one, WORDS.listed]
    : [WORDS.none, WORDS.found_one, WORDS.found];
  status.textContent = say(count === 0 ? none : count === 1 ? one : many,
    { count, query, filters: describe(filters) });
}

function showQuery(query) {
  input.value = query;
  if (headerInput) headerInput.value = query;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value.trim();
  const params = new URLSearchParams({ q: query, ...selectedFilters() });
  history.replaceState(null, "", "?" + params);
  showQuery(query);
  run(query).catch(fail);
});

function fail(error) {
  status.textContent = location.protocol === "file:" ? WORDS.from_disk : say(WORDS.unavailable, { error: error.message });
  indexes.hidden = false;
}

(async () => {
  const query = (new URLSearchParams(location.search).get("q") || "").trim();
  showQuery(query);
  try {
    await showFilters(await loadIndex());
    await run(query);
  } catch (error) {
    fail(error);
  }
})();
})();
