// Plain-JS float64 references for the learned-operator layers, in PyTorch's layout (CHW,
// conv weights [out][in][k][k], transposed conv weights [in][out][k][k]) and semantics
// (torch.nn.Conv2d padding_mode, ConvTranspose2d, AvgPool2d(2), Upsample(nearest),
// GELU(approximate='tanh')), and an interpreter that runs a whole GraphBuilder with them.

/** Index along one axis of n after padding, or -1 where zero padding reads 0. */
export function padIndex(i, n, mode) {
  if (i >= 0 && i < n) return i;
  if (mode === "zeros") return -1;
  if (mode === "replicate") return i < 0 ? 0 : n - 1;
  if (mode === "circular") return ((i % n) + n) % n;
  if (n === 1) return 0;
  return i < 0 ? -i : 2 * (n - 1) - i; // reflect
}

/** Conv2d; returns { y, abs } where abs = Σ|terms| per output (for rounding bounds). */
export function conv2d(x, [ci, h, w], weight, bias, [co, k], stride, pad, mode) {
  const ho = Math.floor((h + 2 * pad - k) / stride) + 1,
    wo = Math.floor((w + 2 * pad - k) / stride) + 1;
  const y = new Float64Array(co * ho * wo),
    abs = new Float64Array(co * ho * wo);
  for (let o = 0; o < co; o++)
    for (let oy = 0; oy < ho; oy++)
      for (let ox = 0; ox < wo; ox++) {
        let s = bias ? bias[o] : 0,
          a = Math.abs(s);
        for (let i = 0; i < ci; i++)
          for (let ky = 0; ky < k; ky++) {
            const iy = padIndex(oy * stride - pad + ky, h, mode);
            if (iy < 0) continue;
            for (let kx = 0; kx < k; kx++) {
              const ix = padIndex(ox * stride - pad + kx, w, mode);
              if (ix < 0) continue;
              const t = weight[((o * ci + i) * k + ky) * k + kx] * x[(i * h + iy) * w + ix];
              s += t;
              a += Math.abs(t);
            }
          }
        y[(o * ho + oy) * wo + ox] = s;
        abs[(o * ho + oy) * wo + ox] = a;
      }
  return { y, abs, shape: [co, ho, wo] };
}

/** ConvTranspose2d(k, stride, padding, output_padding), no bias. */
export function convTranspose2d(x, [ci, h, w], weight, [co, k], stride, pad, extra) {
  const ho = (h - 1) * stride - 2 * pad + k + extra,
    wo = (w - 1) * stride - 2 * pad + k + extra;
  const y = new Float64Array(co * ho * wo),
    abs = new Float64Array(co * ho * wo);
  for (let i = 0; i < ci; i++)
    for (let o = 0; o < co; o++)
      for (let iy = 0; iy < h; iy++)
        for (let ix = 0; ix < w; ix++)
          for (let ky = 0; ky < k; ky++) {
            const oy = iy * stride - pad + ky;
            if (oy < 0 || oy >= ho) continue;
            for (let kx = 0; kx < k; kx++) {
              const ox = ix * stride - pad + kx;
              if (ox < 0 || ox >= wo) continue;
              const t = weight[((i * co + o) * k + ky) * k + kx] * x[(i * h + iy) * w + ix];
              y[(o * ho + oy) * wo + ox] += t;
              abs[(o * ho + oy) * wo + ox] += Math.abs(t);
            }
          }
  return { y, abs, shape: [co, ho, wo] };
}

export function pool2(x, [c, h, w]) {
  const ho = h / 2,
    wo = w / 2,
    y = new Float64Array(c * ho * wo);
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++) {
        const at = (dy, dx) => x[(ch * h + 2 * i + dy) * w + 2 * j + dx];
        y[(ch * ho + i) * wo + j] = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4;
      }
  return { y, abs: y.map(Math.abs), shape: [c, ho, wo] };
}

export function upsample2(x, [c, h, w]) {
  const y = new Float64Array(c * 4 * h * w);
  for (let ch = 0; ch < c; ch++)
    for (let i = 0; i < 2 * h; i++) for (let j = 0; j < 2 * w; j++) y[(ch * 2 * h + i) * 2 * w + j] = x[(ch * h + (i >> 1)) * w + (j >> 1)];
  return { y, abs: y.map(Math.abs), shape: [c, 2 * h, 2 * w] };
}

export const relu = (v) => Math.max(v, 0);
export const gelu = (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));

/**
 * Runs a GraphBuilder's (or Network's) ops in float64 with the references above. `params` maps names to
 * PyTorch-layout arrays; returns every tensor (CHW Float64Array) and its Σ|terms| bound.
 */
export function runGraph(graph, input, inputId, params) {
  const values = [],
    abs = [];
  const shape = (t) => [graph.shapes[t].c, graph.shapes[t].h, graph.shapes[t].w];
  values[inputId] = Float64Array.from(input);
  abs[inputId] = values[inputId].map(Math.abs);
  for (const op of graph.ops) {
    let r;
    if (op.op === "conv") {
      r = conv2d(
        values[op.x],
        shape(op.x),
        params[op.weight],
        op.bias ? params[op.bias] : undefined,
        [graph.shapes[op.y].c, op.k],
        op.stride,
        op.pad,
        op.padding,
      );
    } else if (op.op === "convTranspose") {
      const s = graph.shapes[op.x],
        t = graph.shapes[op.y];
      const extra = t.h - ((s.h - 1) * 2 - 2 * op.pad + op.k);
      r = convTranspose2d(values[op.x], shape(op.x), params[op.weight], [t.c, op.k], 2, op.pad, extra);
    } else if (op.op === "relu" || op.op === "gelu") {
      const f = op.op === "relu" ? relu : gelu;
      const y = values[op.x].map(f);
      r = { y, abs: y.map(Math.abs) };
    } else if (op.op === "add") {
      const y = values[op.a].map((v, i) => v + op.beta * values[op.b][i]);
      r = { y, abs: abs[op.a].map((v, i) => v + abs[op.b][i]) };
    } else if (op.op === "pool") r = pool2(values[op.x], shape(op.x));
    else r = upsample2(values[op.x], shape(op.x));
    values[op.y] = r.y;
    abs[op.y] = r.abs;
  }
  return { values, abs };
}
