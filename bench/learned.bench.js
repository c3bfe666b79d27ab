// solvewasm's float32 SIMD conv kernels (learned.network) against TensorFlow.js's wasm
// backend (@tensorflow/tfjs-backend-wasm: XNNPACK, SIMD, one thread) in the same process,
// on the same layers with the same weights:
//   conv3x3 — one 3×3 stride-1 zero-padded conv with bias, C → C channels, C = 8, 16, 24 on
//             64 × 64 (tfjs: tf.fused.conv2d with the bias, and tf.conv2d + tf.add);
//   mgno    — the full forward pass of learned.newMgno({ channels: 12, layers: 4 }) on
//             63 × 63 (the raw network: net.write, net.forward, net.output; not predict),
//             interpreted op by op in tfjs.
// What is timed: the compute, with the input and the weights already resident and the output
// left in wasm memory on both sides (solvewasm: net.forward(); tfjs: the ops in tf.tidy and
// dispose of the result; the wasm backend runs each kernel synchronously when called, so
// nothing is left pending). Neither side reads the output back, so neither pays a copy or a
// layout change (net.read converts HWC4 to CHW; dataSync copies NHWC out of the heap). The
// tfjs "+ dataSync" records show what reading back adds on that side. `ratio` on a tfjs
// record is solvewasm seconds / that record's seconds; on the solvewasm record it is against
// the fastest compute-only tfjs variant (named in `baseline`): the target is ≤ 1.
// Correctness: every tfjs translation of a layer is first checked on a small graph of every
// op kind against solvewasm, then each case's outputs are compared (maxRelDiff = max |diff| /
// max |ref|, ref = tfjs; conv3x3's solvewasm also against a float64 loop) and the bench throws
// above 1e-4.
// tfjs's conv2dTranspose on this backend is not XNNPACK (Conv2DBackpropInput.cc is a plain
// loop), so the MgNO case also runs each 4×4 stride-2 transposed conv as one XNNPACK conv2d
// (2 × 2 taps, 4·out channels: one per output phase) + depthToSpace + slice ("phase-split").
import * as tf from "@tensorflow/tfjs-core";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as solvewasm from "solvewasm";
import { emit, randomVector, timeCandidates } from "./harness.js";

const { learned } = solvewasm;
const TOLERANCE = 1e-4;
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_B = 0.044715;

async function startTfjs() {
  setWasmPaths(new URL("../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url).pathname);
  setThreadsCount(1);
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs: the wasm backend did not initialise");
  await tf.ready();
  return {
    backend: tf.getBackend(),
    version: tf.version_core,
    simd: tf.env().getBool("WASM_HAS_SIMD_SUPPORT"),
    threads: getThreadsCount(),
  };
}

const f32 = (n, seed, scale = 1) => Float32Array.from(randomVector(n, seed), (v) => v * scale);

/** CHW → HWC (NHWC with N = 1). */
function toHwc(chw, c, h, w) {
  const out = new Float32Array(c * h * w);
  for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) out[p * c + ch] = chw[ch * h * w + p];
  return out;
}

/** max |a − ref| / max |ref|. */
function relDiff(a, ref) {
  if (a.length !== ref.length) throw new Error(`outputs of ${a.length} and ${ref.length} values`);
  let d = 0,
    r = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - ref[i]));
    r = Math.max(r, Math.abs(ref[i]));
  }
  return d / r;
}

/** A 3×3 stride-1 zero-padded conv with bias in float64, CHW in and out. */
function conv3x3Reference(x, W, B, C, n) {
  const y = new Float64Array(C * n * n);
  for (let o = 0; o < C; o++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = B[o];
        for (let c = 0; c < C; c++)
          for (let a = 0; a < 3; a++)
            for (let b = 0; b < 3; b++) {
              const ii = i + a - 1,
                jj = j + b - 1;
              if (ii >= 0 && jj >= 0 && ii < n && jj < n) s += x[(c * n + ii) * n + jj] * W[((o * C + c) * 3 + a) * 3 + b];
            }
        y[(o * n + i) * n + j] = s;
      }
  return y;
}

/** PyTorch's conv weight [out][in][k][k] as a tfjs conv2d filter [k][k][in][out]. */
function convFilter(W, nOut, nIn, k) {
  const F = new Float32Array(W.length);
  for (let o = 0; o < nOut; o++) for (let i = 0; i < nIn; i++) for (let t = 0; t < k * k; t++) F[(t * nIn + i) * nOut + o] = W[(o * nIn + i) * k * k + t];
  return tf.tensor4d(F, [k, k, nIn, nOut]);
}

/** PyTorch's transposed conv weight [in][out][k][k] as a tfjs conv2dTranspose filter [k][k][out][in]. */
function convTransposeFilter(W, nIn, nOut, k) {
  const F = new Float32Array(W.length);
  for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) for (let t = 0; t < k * k; t++) F[(t * nOut + o) * nIn + i] = W[(i * nOut + o) * k * k + t];
  return tf.tensor4d(F, [k, k, nOut, nIn]);
}

/**
 * The same weight (k ≤ 4, stride 2) as a 2 × 2 conv2d filter with 4·out channels, one block
 * per output phase (a, b): the uncropped output is y[2i + a][2j + b] = Σ x[i − 1 + dh][j − 1 + dw]
 * · W[a + 2(1 − dh)][b + 2(1 − dw)], i.e. conv2d with pad 1, then depthToSpace(2) (whose channel
 * order is (a·2 + b)·out + o).
 */
function phaseFilter(W, nIn, nOut, k) {
  const F = new Float32Array(4 * nIn * 4 * nOut);
  for (let dh = 0; dh < 2; dh++)
    for (let dw = 0; dw < 2; dw++)
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++) {
          const kh = a + 2 * (1 - dh),
            kw = b + 2 * (1 - dw);
          if (kh >= k || kw >= k) continue;
          for (let i = 0; i < nIn; i++)
            for (let o = 0; o < nOut; o++) F[((dh * 2 + dw) * nIn + i) * 4 * nOut + (a * 2 + b) * nOut + o] = W[((i * nOut + o) * k + kh) * k + kw];
        }
  return tf.tensor4d(F, [2, 2, nIn, 4 * nOut]);
}

/** tfjs's padding for PyTorch's symmetric `pad`: its "same" pads asymmetrically for stride 2, so a number then. */
function tfPad(k, stride, pad) {
  if (pad === 0) return "valid";
  if (stride === 1 && 2 * pad === k - 1) return "same";
  return pad;
}

/** Multiply-accumulates of a graph's convolutions (a transposed conv counted over its input). */
function graphMacs(ops, shapes) {
  let macs = 0;
  for (const op of ops) {
    if (op.op === "conv") macs += shapes[op.y].h * shapes[op.y].w * op.k * op.k * shapes[op.x].c * shapes[op.y].c;
    if (op.op === "convTranspose") macs += shapes[op.x].h * shapes[op.x].w * op.k * op.k * shapes[op.x].c * shapes[op.y].c;
  }
  return macs;
}

/**
 * A graph's ops (graph.ts: conv, convTranspose, relu, gelu, add, pool, upsample) in tfjs,
 * NHWC, with the weights (PyTorch layout, from `weight(name)`) converted once and resident;
 * `inputId` is the graph's input tensor.
 * `transposed`: "conv2dTranspose" (tfjs's op, numeric padding and the output shape) or
 * "phase-split". run(x) → the tensors of the graph (ids → tf.Tensor), inside the caller's tidy.
 */
function tfjsGraph(ops, shapes, inputId, weight, transposed) {
  const filters = new Map();
  const scalars = { half: tf.scalar(0.5), one: tf.scalar(1), b: tf.scalar(GELU_B), c: tf.scalar(GELU_C) };
  const betas = new Map();
  for (const op of ops) {
    if (op.op === "conv") {
      if (op.padding !== "zeros" && op.pad > 0) throw new Error(`tfjs: conv ${op.weight} has ${op.padding} padding; only zeros is translated`);
      const nIn = shapes[op.x].c,
        nOut = shapes[op.y].c;
      filters.set(op.weight, convFilter(weight(op.weight), nOut, nIn, op.k));
      if (op.bias) filters.set(op.bias, tf.tensor1d(weight(op.bias)));
    } else if (op.op === "convTranspose") {
      const nIn = shapes[op.x].c,
        nOut = shapes[op.y].c;
      if (op.stride !== 2 || op.k > 4) throw new Error(`tfjs: convTranspose ${op.weight} needs stride 2 and k ≤ 4`);
      const W = weight(op.weight);
      filters.set(op.weight, transposed === "phase-split" ? phaseFilter(W, nIn, nOut, op.k) : convTransposeFilter(W, nIn, nOut, op.k));
    } else if (op.op === "add" && op.beta !== 1 && op.beta !== -1) betas.set(op.beta, tf.scalar(op.beta));
  }
  const gelu = (x) => {
    // ½x(1 + tanh(√(2/π)(x + 0.044715x³))), PyTorch's approximate="tanh".
    const u = tf.mul(scalars.c, tf.add(x, tf.mul(scalars.b, tf.mul(x, tf.square(x)))));
    return tf.mul(tf.mul(scalars.half, x), tf.add(scalars.one, tf.tanh(u)));
  };
  const run = (input) => {
    const v = [];
    v[inputId] = input;
    for (const op of ops) {
      let y;
      const x = v[op.x];
      switch (op.op) {
        case "conv": {
          const pad = tfPad(op.k, op.stride, op.pad);
          const filter = filters.get(op.weight);
          y = op.bias ? tf.fused.conv2d({ x, filter, strides: op.stride, pad, bias: filters.get(op.bias) }) : tf.conv2d(x, filter, op.stride, pad);
          break;
        }
        case "convTranspose": {
          const s = shapes[op.y];
          const filter = filters.get(op.weight);
          if (transposed === "phase-split") {
            const full = tf.depthToSpace(tf.conv2d(x, filter, 1, 1), 2);
            y = tf.slice(full, [0, op.pad, op.pad, 0], [1, s.h, s.w, s.c]);
          } else y = tf.conv2dTranspose(x, filter, [1, s.h, s.w, s.c], op.stride, op.pad);
          break;
        }
        case "relu":
          y = tf.relu(x);
          break;
        case "gelu":
          y = gelu(x);
          break;
        case "add":
          y = op.beta === 1 ? tf.add(v[op.a], v[op.b]) : op.beta === -1 ? tf.sub(v[op.a], v[op.b]) : tf.add(v[op.a], tf.mul(betas.get(op.beta), v[op.b]));
          break;
        case "pool":
          y = tf.avgPool(x, 2, 2, "valid");
          break;
        case "upsample":
          y = tf.image.resizeNearestNeighbor(x, [2 * shapes[op.x].h, 2 * shapes[op.x].w]);
          break;
        default:
          throw new Error(`tfjs: no translation of ${op.op}`);
      }
      v[op.y] = y;
    }
    return v;
  };
  const dispose = () => {
    for (const t of [...filters.values(), ...Object.values(scalars), ...betas.values()]) t.dispose();
  };
  return { run, dispose };
}

/** The tfjs translation against solvewasm on a small graph with every op kind, stride-2 pads 0 and 1, outputPadding 0 and 1. */
function checkTranslations() {
  const g = learned.graph();
  const x = g.input(8, 8, 3);
  const a = g.conv(x, "w1", { out: 5, bias: "b1" });
  const b = g.gelu(a);
  const c = g.upsample(g.pool(b));
  const d = g.relu(g.add(c, b, -0.5));
  const e = g.add(d, g.conv(d, "w2", { out: 5, kernel: 1, bias: "b2" }), 1);
  const h = g.conv(e, "w3", { out: 6, stride: 2, pad: 0 });
  g.convTranspose(h, "w4", { out: 4, kernel: 4, pad: 1, outputPadding: 1 });
  const t0 = g.convTranspose(h, "w5", { out: 4, kernel: 4, pad: 1, outputPadding: 0 });
  const s = g.add(g.conv(e, "w6", { out: 4, stride: 2, pad: 1 }), g.conv(t0, "w7", { out: 4, pad: 0 }), -1);
  const P = learned.parameters(g.params.values());
  let seed = 10;
  for (const p of g.params.values()) {
    const size = p.shape.reduce((m, q) => m * q, 1);
    P.set(p.name, f32(size, seed++, 0.5));
  }
  const net = learned.network(g, x, s, P);
  const input = f32(3 * 64, 3);
  net.write(x, input);
  net.forward();
  const worst = {};
  for (const variant of ["conv2dTranspose", "phase-split"]) {
    const before = tf.memory().numTensors;
    const tg = tfjsGraph(g.ops, g.shapes, x, (name) => P.get(name), variant);
    const xt = tf.tensor4d(toHwc(input, 3, 8, 8), [1, 8, 8, 3]);
    const outs = tf.tidy(() => tg.run(xt).map((t) => t.dataSync().slice()));
    xt.dispose();
    tg.dispose();
    if (tf.memory().numTensors !== before) throw new Error(`tfjs ${variant}: ${tf.memory().numTensors - before} tensors leaked`);
    worst[variant] = 0;
    for (let id = 1; id < g.shapes.length; id++) {
      const { h: hh, w: ww, c: cc } = g.shapes[id];
      if (outs[id].length !== hh * ww * cc) throw new Error(`tfjs ${variant}: tensor ${id} has ${outs[id].length} values, not ${hh}·${ww}·${cc}`);
      const r = relDiff(toHwc(net.read(id), cc, hh, ww), outs[id]);
      if (!(r <= TOLERANCE))
        throw new Error(
          `tfjs ${variant}: tensor ${id} (${JSON.stringify(g.shapes[id])}, op ${g.ops.find((o) => o.y === id)?.op}) differs from solvewasm by ${r}`,
        );
      worst[variant] = Math.max(worst[variant], r);
    }
  }
  net.dispose();
  P.dispose();
  return worst;
}

export async function run({ samples = 7, minSeconds = 0.05 } = {}) {
  const tfjs = await startTfjs();
  const timing = { samples, minSeconds };
  const check = checkTranslations();
  emit({ bench: "learned-setup", tfjs, solvewasm_build: solvewasm.build, translation_check: check });
  const common = { tfjs_simd: tfjs.simd, tfjs_threads: tfjs.threads, solvewasm_build: solvewasm.build, samples, minSeconds };
  const dispose = (f) => () => tf.dispose(f());

  // 1. One 3×3 conv with bias, C → C, 64 × 64.
  const n = 64;
  for (const C of [8, 16, 24]) {
    const g = learned.graph();
    const x = g.input(n, n, C);
    const y = g.conv(x, "w", { out: C, kernel: 3, stride: 1, pad: 1, padding: "zeros", bias: "b" });
    const P = learned.parameters(g.params.values());
    const bound = 1 / Math.sqrt(9 * C); // PyTorch's default initialisation's scale
    const W = f32(C * C * 9, 100 + C, bound),
      B = f32(C, 200 + C, bound);
    P.set("w", W);
    P.set("b", B);
    const net = learned.network(g, x, y, P);
    const input = f32(C * n * n, 300 + C);
    net.write(x, input);
    const filter = convFilter(W, C, C, 3),
      bias = tf.tensor1d(B),
      xt = tf.tensor4d(toHwc(input, C, n, n), [1, n, n, C]);
    const tensors = tf.memory().numTensors;
    const fused = () => tf.fused.conv2d({ x: xt, filter, strides: 1, pad: "same", bias });
    const unfused = () => tf.tidy(() => tf.add(tf.conv2d(xt, filter, 1, "same"), bias));
    net.forward();
    const ours = toHwc(net.read(y), C, n, n);
    const exact = toHwc(conv3x3Reference(input, W, B, C, n), C, n, n);
    const diffs = { solvewasm: relDiff(ours, exact) };
    if (!(diffs.solvewasm <= TOLERANCE)) throw new Error(`conv3x3 C = ${C}: solvewasm is ${diffs.solvewasm} from the float64 reference`);
    for (const [name, f] of [
      ["tfjs fused.conv2d", fused],
      ["tfjs conv2d + add", unfused],
    ]) {
      const t = f();
      diffs[name] = relDiff(ours, t.dataSync());
      t.dispose();
      if (!(diffs[name] <= TOLERANCE)) throw new Error(`conv3x3 C = ${C}: solvewasm and ${name} differ by ${diffs[name]}`);
    }
    const t = timeCandidates(
      {
        solvewasm: () => net.forward(),
        "tfjs fused.conv2d": dispose(fused),
        "tfjs conv2d + add": dispose(unfused),
        "tfjs fused.conv2d + dataSync": () => {
          const r = fused();
          r.dataSync();
          r.dispose();
        },
      },
      timing,
    );
    if (tf.memory().numTensors !== tensors) throw new Error(`conv3x3: tfjs tensors leaked (${tf.memory().numTensors - tensors})`);
    const macs = n * n * 9 * C * C;
    const base = { bench: "conv3x3", C, n, macs, ...common };
    const gm = (s) => +(macs / s / 1e9).toFixed(3);
    const baseline = t["tfjs fused.conv2d"] <= t["tfjs conv2d + add"] ? "tfjs fused.conv2d" : "tfjs conv2d + add";
    emit({
      ...base,
      impl: "solvewasm",
      includes: "net.forward(): bias fill + conv; input resident, output left in wasm memory",
      seconds: +t.solvewasm.toExponential(4),
      gmacs: gm(t.solvewasm),
      ratio: +(t.solvewasm / t[baseline]).toFixed(3),
      baseline,
      maxRelDiffFloat64: +diffs.solvewasm.toExponential(3),
    });
    for (const [impl, includes] of [
      ["tfjs fused.conv2d", "tf.fused.conv2d(pad 'same', bias), result disposed; input resident, output not read"],
      ["tfjs conv2d + add", "tf.tidy(conv2d 'same' + add bias), result disposed; input resident, output not read"],
      ["tfjs fused.conv2d + dataSync", "as tfjs fused.conv2d, plus dataSync() of the NHWC output"],
    ]) {
      emit({
        ...base,
        impl,
        includes,
        seconds: +t[impl].toExponential(4),
        gmacs: gm(t[impl]),
        ratio: +(t.solvewasm / t[impl]).toFixed(3),
        maxRelDiff: +(diffs[impl] ?? diffs["tfjs fused.conv2d"]).toExponential(3),
      });
    }
    tf.dispose([filter, bias, xt]);
    net.dispose();
    P.dispose();
  }

  // 2. The MgNO forward pass (channels 12, 4 layers, 6 levels, vertex grid) on 63 × 63.
  {
    const N = 63;
    const model = learned.newMgno({ channels: 12, layers: 4 }, 1);
    const net = model.network([N, N]);
    const { ops, shapes } = net;
    const input = f32(N * N, 400);
    net.write(net.input, input);
    net.forward();
    const ours = toHwc(net.read(net.output), shapes[net.output].c, N, N);
    const xt = tf.tensor4d(toHwc(input, 1, N, N), [1, N, N, 1]);
    const variants = {};
    const diffs = {};
    for (const variant of ["phase-split", "conv2dTranspose"]) {
      const tg = tfjsGraph(ops, shapes, net.input, (name) => model.params.get(name), variant);
      variants[variant] = tg;
      const r = tf.tidy(() => tg.run(xt)[net.output]);
      diffs[variant] = relDiff(ours, r.dataSync());
      r.dispose();
      if (!(diffs[variant] <= TOLERANCE)) throw new Error(`mgno: solvewasm and tfjs (${variant}) differ by ${diffs[variant]}`);
    }
    const forward = (variant) => () => tf.tidy(() => variants[variant].run(xt)[net.output]);
    const tensors = tf.memory().numTensors;
    const t = timeCandidates(
      {
        solvewasm: () => net.forward(),
        "tfjs phase-split": dispose(forward("phase-split")),
        "tfjs conv2dTranspose": dispose(forward("conv2dTranspose")),
        "tfjs phase-split + dataSync": () => {
          const r = forward("phase-split")();
          r.dataSync();
          r.dispose();
        },
      },
      timing,
    );
    if (tf.memory().numTensors !== tensors) throw new Error(`mgno: tfjs tensors leaked (${tf.memory().numTensors - tensors})`);
    const macs = graphMacs(ops, shapes);
    const base = { bench: "mgno", C: 12, layers: 4, levels: model.config.levels.length, n: N, ops: ops.length, macs, ...common };
    const gm = (s) => +(macs / s / 1e9).toFixed(3);
    const baseline = t["tfjs phase-split"] <= t["tfjs conv2dTranspose"] ? "tfjs phase-split" : "tfjs conv2dTranspose";
    emit({
      ...base,
      impl: "solvewasm",
      includes: "net.forward() of the raw network; input resident, output left in wasm memory",
      seconds: +t.solvewasm.toExponential(4),
      gmacs: gm(t.solvewasm),
      ratio: +(t.solvewasm / t[baseline]).toFixed(3),
      baseline,
    });
    for (const [impl, includes, variant] of [
      ["tfjs phase-split", "tf.tidy(all ops; transposed convs as conv2d + depthToSpace + slice), result disposed", "phase-split"],
      ["tfjs conv2dTranspose", "tf.tidy(all ops; transposed convs by tf.conv2dTranspose), result disposed", "conv2dTranspose"],
      ["tfjs phase-split + dataSync", "as tfjs phase-split, plus dataSync() of the output", "phase-split"],
    ]) {
      emit({
        ...base,
        impl,
        includes,
        seconds: +t[impl].toExponential(4),
        gmacs: gm(t[impl]),
        ratio: +(t.solvewasm / t[impl]).toFixed(3),
        maxRelDiff: +diffs[variant].toExponential(3),
      });
    }
    for (const tg of Object.values(variants)) tg.dispose();
    xt.dispose();
    model.dispose();
  }

  // 3. Solves: DCDM (shipped weights) and a learned V-cycle (multigridVcycle trained with the
  // DCDM loss for `vcycleSteps` steps) as fcd(k = 2)'s M, against CG and GMG-PCG, rtol 1e-4
  // and 1e-8, random b; wall time of the whole solve, medians over samples.
  await solveCases({ samples, minSeconds });
}

async function solveCases({ samples, minSeconds }) {
  const { cg, fcd, gallery, multigrid, precond } = solvewasm;
  const dcdm = learned.dcdm();
  const vcycleSteps = 300;
  const vcycle = learned.multigridVcycle({ levels: 6, pre: 1, post: 1, omega: 0.8 });
  await learned.trainDcdm({ model: vcycle, grid: 63, steps: vcycleSteps, batch: 16, lr: 1e-3, lrFinal: 1e-5, seed: 1 });
  for (const n of [64, 128]) {
    const A = gallery.poisson([n, n]);
    const b = Float64Array.from(randomVector(n * n, 5));
    const Mdcdm = precond.dcdm(A, { model: dcdm });
    // GMG and the V-cycle need 2^L − 1 points per axis: 63², 127².
    const Av = gallery.poisson([n - 1, n - 1]);
    const bv = Float64Array.from(randomVector((n - 1) ** 2, 5));
    const gmg = multigrid(Av);
    const Mgmg = gmg.asPreconditioner();
    const Mv = precond.learned(Av, { model: vcycle });
    for (const rtol of [1e-4, 1e-8]) {
      const cases = {
        cg: () => cg(A, b, { rtol }),
        "dcdm fcd(k=2)": () => fcd(A, b, { k: 2, M: Mdcdm, rtol, maxiter: 500 }),
        "gmg-pcg": () => cg(Av, bv, { rtol, M: Mgmg }),
        "learned v-cycle fcd(k=2)": () => fcd(Av, bv, { k: 2, M: Mv, rtol, maxiter: 500 }),
      };
      const iterations = Object.fromEntries(Object.entries(cases).map(([k, f]) => [k, f().iterations]));
      const t = timeCandidates(cases, { samples, minSeconds });
      const mac = { cg: 0, "dcdm fcd(k=2)": dcdm.macPerUnknown, "gmg-pcg": undefined, "learned v-cycle fcd(k=2)": vcycle.macsOn([n - 1, n - 1]) };
      for (const [impl, seconds] of Object.entries(t)) {
        emit({
          bench: "learned-solve",
          impl,
          n: impl.startsWith("dcdm") || impl === "cg" ? n : n - 1,
          rtol,
          iterations: iterations[impl],
          seconds,
          macPerUnknownPerApplication: mac[impl],
          ratioToGmgPcg: seconds / t["gmg-pcg"],
        });
      }
    }
    Mdcdm.dispose();
    gmg.dispose();
    A.dispose();
    Av.dispose();
  }
  dcdm.dispose();
  vcycle.dispose();
}
