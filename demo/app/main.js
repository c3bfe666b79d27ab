// The app's page script (bundled as one classic script: file:// pages cannot load modules).
// Tabs from the URL hash, one worker per section, and over http(s) the service worker that
// makes the app work offline.
import { $ } from "./lib/dom.js";
import { WorkerClient } from "./lib/worker-client.js";
import { elementarySection } from "./sections/elementary.js";
import { fluidsSection } from "./sections/fluids.js";
import { solveSection } from "./sections/solve.js";
import { tuningSection } from "./sections/tuning.js";
import { xvaSection } from "./sections/xva.js";

const SECTIONS = ["solve", "fluids", "tuning", "xva", "elementary"];

function show() {
  const id = SECTIONS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "solve";
  for (const s of SECTIONS) {
    const panel = $(s),
      tab = $(`tab-${s}`);
    const on = s === id;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    if (panel.hidden === on) {
      panel.hidden = !on;
      if (on) panel.dispatchEvent(new Event("show"));
    }
  }
  document.title = `${$(`tab-${id}`).textContent} — solvewasm`;
}

// Arrow keys move between tabs (the tablist pattern); Enter/click follow the link.
$("tabs").addEventListener("keydown", (e) => {
  const i = SECTIONS.indexOf(location.hash.slice(1) || "solve");
  const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: SECTIONS.length - 1 }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  const id = SECTIONS[(next + SECTIONS.length) % SECTIONS.length];
  location.hash = id;
  $(`tab-${id}`).focus();
});
addEventListener("hashchange", show);

const solver = new WorkerClient("solve");
const engine = $("engine");
solver.ready.then(
  (m) => {
    engine.textContent = `solvewasm ${m.build} build, in a Web Worker`;
    performance.mark("solvewasm-worker-ready"); // read by test/integration/app.test.js
  },
  (err) => (engine.textContent = `the worker did not start: ${err.message}`),
);
show();
solveSection(solver);
fluidsSection();
tuningSection();
xvaSection();
elementarySection();

// Offline: a service worker precaches the site (only where one can run: http(s), not file://).
if ("serviceWorker" in navigator && /^https?:$/.test(location.protocol)) {
  navigator.serviceWorker.register("sw.js").then(
    () => navigator.serviceWorker.ready.then(() => ($("offline-state").textContent = "Available offline.")),
    (err) => ($("offline-state").textContent = `No offline copy: ${err.message}`),
  );
}
