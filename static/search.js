// Full-text search over the Pagefind index built with the site. A deferred classic script
// (module scripts cannot load from file://), so the page works without it and no inline
// script is needed.
(() => {
const form = document.querySelector("[data-search-form]");
const input = form.querySelector("input[name=q]");
const status = document.querySelector("[data-search-status]");
const list = document.querySelector("[data-search-results]");
const filterBox = document.querySelector("[data-search-filters]");
// Pagefind gives URLs from the site's root ("/articles/x/index.html"); the site may live
// under a subpath, so they are resolved against the folder above static/.
const SITE_ROOT = new URL("../", document.currentScript.src);
const WORDS = JSON.parse(document.getElementById("search-strings").textContent);
const FILTER_LABELS = { tag: WORDS.filter_tag, territory: WORDS.filter_territory, year: WORDS.filter_year };
const say = (text, values = {}) => text.replace(/\{(\w+)\}/g, (_, name) => values[name]);

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
    const values = Object.keys(available[name] || {}).sort();
    if (!values.length) continue;
    const wrap = document.createElement("label");
    wrap.textContent = label + " ";
    const select = document.createElement("select");
    select.name = name;
    select.append(new Option(WORDS.any, ""));
    for (const value of values) select.append(new Option(value, value, false, params.get(name) === value));
    select.addEventListener("change", () => form.requestSubmit());
    wrap.append(select);
    filterBox.append(wrap);
  }
  filterBox.hidden = filterBox.childElementCount === 0;
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
  meta.textContent = [data.meta.date, data.meta.source].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "doc-summary";
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>.
  item.append(heading, meta, excerpt);
  return item;
}

async function run(query) {
  list.replaceChildren();
  if (!query) { status.textContent = WORDS.prompt; return; }
  status.textContent = WORDS.searching;
  const index = await loadIndex();
  const search = await index.search(query, { filters: selectedFilters() });
  const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  list.replaceChildren(...results.map(resultItem));
  const count = search.results.length;
  const message = count === 0 ? WORDS.none : count === 1 ? WORDS.found_one : WORDS.found;
  status.textContent = say(message, { count, query });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const params = new URLSearchParams({ q: input.value.trim(), ...selectedFilters() });
  history.replaceState(null, "", "?" + params);
  run(input.value.trim()).catch(fail);
});

function fail(error) {
  status.textContent = location.protocol === "file:" ? WORDS.from_disk : say(WORDS.unavailable, { error: error.message });
}

(async () => {
  const query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  try {
    await showFilters(await loadIndex());
    await run(query);
  } catch (error) {
    fail(error);
  }
})();
})();
