// Plots: uPlot line charts (log or linear y) that follow their container's width, and
// canvas heat maps with a viridis colour map.
import uPlot from "uplot";

const COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777"];

/**
 * A uPlot chart in `target`. A series with `right: true` uses a second y scale, drawn on
 * the right with the label `y2`.
 * @param {HTMLElement} target
 * @param {{ x: string, y: string, y2?: string, series: { label: string, points?: boolean, dash?: number[], right?: boolean }[], logX?: boolean, logY?: boolean, height?: number }} spec
 */
export function linePlot(target, { x, y, y2, series, logX = false, logY = false, height = 300 }) {
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  const axis = { stroke: dark ? "#cbd5e1" : "#374151", grid: { stroke: dark ? "#273452" : "#e5e7eb" }, ticks: { stroke: dark ? "#273452" : "#e5e7eb" } };
  const exp = (_, ticks) =>
    ticks.map((v) => (v == null ? "" : v === 0 ? "0" : Math.abs(Math.log10(Math.abs(v))) >= 4 ? v.toExponential(0) : String(+v.toPrecision(4))));
  // log axes: a tick and a grid line per decade only
  const decades = (_u, _axis, min, max) => {
    const out = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) if (10 ** e >= min * 0.999 && 10 ** e <= max * 1.001) out.push(10 ** e);
    if (out.length > 8) return out.filter((_, i) => i % Math.ceil(out.length / 8) === 0);
    return out;
  };
  const opts = {
    width: Math.max(300, target.clientWidth),
    height,
    scales: { x: logX ? { time: false, distr: 3, log: 10 } : { time: false }, y: logY ? { distr: 3, log: 10 } : {}, y2: {} },
    axes: [
      { ...axis, label: x, values: logX ? exp : undefined, splits: logX ? decades : undefined },
      { ...axis, label: y, size: 70, values: logY ? exp : undefined, splits: logY ? decades : undefined },
      ...(y2 ? [{ ...axis, label: y2, scale: "y2", side: 1, size: 60, grid: { show: false } }] : []),
    ],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    series: [
      { label: x },
      ...series.map((s, i) => ({
        label: s.label,
        scale: s.right ? "y2" : "y",
        stroke: COLORS[i % COLORS.length],
        width: s.points ? 0 : 2,
        dash: s.dash,
        spanGaps: true,
        paths: s.points ? () => null : undefined,
        points: s.points ? { show: true, size: 4, stroke: COLORS[i % COLORS.length], fill: COLORS[i % COLORS.length] } : { show: false },
      })),
    ],
  };
  const empty = [[], ...series.map(() => [])];
  const plot = new uPlot(opts, empty, target);
  const observer = new ResizeObserver(() => {
    const w = Math.max(300, target.clientWidth);
    if (Math.abs(w - plot.width) > 2) plot.setSize({ width: w, height });
  });
  observer.observe(target);
  return {
    plot,
    /** @param {ArrayLike<number | null>[]} data x values, then one array per series (null for gaps) */
    setData(data) {
      plot.setData(data.map((a) => (Array.isArray(a) ? a : Array.from(a))));
    },
    clear() {
      plot.setData(empty);
    },
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}

// viridis, 9 stops (matplotlib's values)
const VIRIDIS = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];
/** A 256-entry RGBA lookup table interpolated from `stops`. */
export function lut(stops = VIRIDIS) {
  const t = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const p = (i / 255) * (stops.length - 1),
      k = Math.min(stops.length - 2, Math.floor(p)),
      f = p - k;
    for (let c = 0; c < 3; c++) t[4 * i + c] = stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f;
    t[4 * i + 3] = 255;
  }
  return t;
}
const VIRIDIS_LUT = lut();

/**
 * Draws values (row-major, ny rows of nx) on the canvas, scaled to [min, max] (computed
 * when not given); rows go bottom-up when `flip`. Returns the range used.
 */
export function drawHeat(canvas, values, nx, ny, { min, max, table = VIRIDIS_LUT, flip = true } = {}) {
  if (min === undefined || max === undefined) {
    min = Infinity;
    max = -Infinity;
    for (let i = 0; i < nx * ny; i++) {
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (canvas.width !== nx || canvas.height !== ny) {
    canvas.width = nx;
    canvas.height = ny;
  }
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(nx, ny);
  const scale = max > min ? 255 / (max - min) : 0;
  for (let j = 0; j < ny; j++) {
    const row = flip ? ny - 1 - j : j;
    for (let i = 0; i < nx; i++) {
      const c = Math.max(0, Math.min(255, Math.round((values[row * nx + i] - min) * scale))) * 4;
      const o = (j * nx + i) * 4;
      img.data[o] = table[c];
      img.data[o + 1] = table[c + 1];
      img.data[o + 2] = table[c + 2];
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return { min, max };
}
