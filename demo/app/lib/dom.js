// Small DOM helpers shared by the sections.

/** @type {(id: string) => HTMLElement} */
export const $ = (id) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el;
};

/** A status line: text and a tone ("", "ok" or "bad"). */
export function setStatus(el, text, tone = "") {
  el.textContent = text;
  el.className = `status ${tone}`.trim();
}

/** A number from a text or number input ("1e-8" works), or `fallback` when empty. */
export function num(form, name, fallback) {
  const raw = String(form.elements[name].value).trim();
  if (raw === "") return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new Error(`${name}: "${raw}" is not a number`);
  return v;
}

/** Fills a table from rows of cells; the first row is the header. Numbers align right. */
export function fillTable(table, rows) {
  table.replaceChildren();
  rows.forEach((cells, i) => {
    const tr = document.createElement("tr");
    for (const c of cells) {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) td.scope = "col";
      td.textContent = c;
      if (i > 0 && /^[−\-+]?[\d.]/.test(String(c))) td.className = "num";
      tr.append(td);
    }
    table.append(tr);
  });
}

/** Milliseconds as text. */
export const ms = (t) => (t < 10 ? t.toFixed(2) : t < 100 ? t.toFixed(1) : t.toFixed(0)) + " ms";

/** Calls `fn` at most once per animation frame with the latest arguments. */
export function perFrame(fn) {
  let pending = false,
    args;
  return (...a) => {
    args = a;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      fn(...args);
    });
  };
}

/** Runs fn once, when the section is first shown (uPlot needs a laid-out width); main.js
 * dispatches "show" on a section each time its tab opens. */
export function onFirstShow(section, fn) {
  if (!section.hidden) return queueMicrotask(fn);
  section.addEventListener("show", () => fn(), { once: true });
}
