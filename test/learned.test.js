// Learned-operator layers (assembly/learned/, bindings/learned/): every layer's forward
// pass against the float64 references in _learned.js within float32 rounding bounds, every
// backward pass against central differences of those references, Adam against its
// formula, and the scalar build against the SIMD one.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { learned, createSolvewasm } from "solvewasm";
import { scalarModule } from "./_fixtures.js";
import { rejects } from "./_helpers.js";
import { randomVector } from "./_random.js";
import { runGraph } from "./_learned.js";
import MGNO_STATE_DICT from "./fixtures/mgno-state-dict.json" with { type: "json" };

const t = suite("learned layers");
const U = 2 ** -24; // float32 unit roundoff

/** Random PyTorch-layout values for every parameter of a graph (seeded). */
function randomParams(graph, seed) {
  const out = {};
  let s = seed;
  for (const spec of graph.params.values()) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    out[spec.name] = Float64Array.from(randomVector(n, s++), (v) => Math.fround(v));
  }
  return out;
}

/** A network of `graph` with `params` set, in the given solvewasm instance. */
function bind(api, graph, input, output, params) {
  const P = api.parameters(graph.params.values());
  for (const [name, v] of Object.entries(params)) P.set(name, v);
  return { P, net: api.network(graph, input, output, P) };
}

/** |got − ref| ≤ (terms + 2)·u·Σ|terms| + tiny, the recursive-summation bound in float32. */
function assertClose(got, ref, abs, terms, what) {
  assert.is(got.length, ref.length, `${what}: length`);
  for (let i = 0; i < ref.length; i++) {
    const bound = (terms + 2) * U * abs[i] + 1e-30;
    if (!(Math.abs(got[i] - ref[i]) <= bound)) assert.unreachable(`${what}[${i}]: got ${got[i]}, want ${ref[i]} (bound ${bound})`);
  }
}

/** Single layers: every convolution shape MgNO and DCDM use, on grids down to 1 × 1. */
const CASES = [];
for (const padding of ["zeros", "replicate", "circular", "reflect"]) {
  for (const [h, w] of [
    [7, 5],
    [8, 8],
    [2, 3],
  ]) {
    for (const [cin, cout] of [
      [1, 8],
      [5, 3],
      [8, 8],
    ]) {
      CASES.push({
        name: `conv3x3 ${padding} ${h}×${w} ${cin}→${cout}`,
        h,
        w,
        cin,
        build: (g, x) => g.conv(x, "w", { out: cout, padding, bias: "b" }),
        terms: 9 * cin + 1,
      });
      CASES.push({
        name: `conv3x3 stride 2 ${padding} ${h}×${w} ${cin}→${cout}`,
        h,
        w,
        cin,
        build: (g, x) => g.conv(x, "w", { out: cout, stride: 2, padding }),
        terms: 9 * cin,
      });
    }
  }
}
for (const [h, w] of [
  [1, 1],
  [3, 3],
  [7, 7],
]) {
  CASES.push({
    name: `conv3x3 stride 2 pad 0 (vertex-centred) ${h}×${w}`,
    h,
    w,
    cin: 3,
    build: (g, x) => g.conv(x, "w", { out: 2, stride: 2, pad: 0 }),
    terms: 27,
    minSize: 3,
  });
  CASES.push({ name: `convTranspose 4×4 stride 2 ${h}×${w}`, h, w, cin: 3, build: (g, x) => g.convTranspose(x, "w", { out: 5 }), terms: 12 });
  CASES.push({
    name: `convTranspose 4×4 stride 2 output padding 1 ${h}×${w}`,
    h,
    w,
    cin: 6,
    build: (g, x) => g.convTranspose(x, "w", { out: 4, outputPadding: 1 }),
    terms: 24,
  });
  CASES.push({ name: `conv1x1 ${h}×${w}`, h, w, cin: 6, build: (g, x) => g.conv(x, "w", { out: 1, kernel: 1, bias: "b" }), terms: 7 });
}
CASES.push({ name: "relu", h: 4, w: 6, cin: 5, build: (g, x) => g.relu(x), terms: 0 });
CASES.push({ name: "gelu", h: 4, w: 6, cin: 5, build: (g, x) => g.gelu(x), terms: 0, gelu: true });
CASES.push({ name: "avg pool 2×", h: 6, w: 4, cin: 5, build: (g, x) => g.pool(x), terms: 4 });
CASES.push({ name: "nearest upsample 2×", h: 3, w: 2, cin: 5, build: (g, x) => g.upsample(x), terms: 0 });
CASES.push({ name: "add (β = −1)", h: 3, w: 5, cin: 6, build: (g, x) => g.add(g.relu(x), x, -1), terms: 1 });

const filtered = CASES.filter((c) => !(c.minSize && c.h < c.minSize));

for (const c of filtered) {
  t(`${c.name}: forward within float32 rounding of the float64 reference, backward = central differences`, () => {
    const g = learned.graph();
    const x = g.input(c.h, c.w, c.cin);
    const y = c.build(g, x);
    const params = randomParams(g, 11);
    const input = Float64Array.from(randomVector(c.h * c.w * c.cin, 5), (v) => Math.fround(2 * v));
    const { P, net } = bind(learned, g, x, y, params);
    net.write(x, input);
    net.forward();
    const got = net.read(y);
    const ref = runGraph(g, input, x, params);
    if (c.gelu) {
      // tanhf is within 1 ULP and the argument within 3 roundings, so ½x(1 + t) is within
      // ≈ 4u·|x| + 4u·|y| (absolute: 1 + t cancels for negative x).
      for (let i = 0; i < got.length; i++) {
        const bound = 4 * U * (Math.abs(input[i]) + Math.abs(ref.values[y][i]));
        assert.ok(Math.abs(got[i] - ref.values[y][i]) <= bound, `gelu(${input[i]}) = ${got[i]}, want ${ref.values[y][i]}`);
      }
    } else assertClose(got, ref.values[y], ref.abs[y], c.terms, "forward");

    // L = Σ g·y with a fixed g: dL/dx and dL/dθ from wasm against central differences of the reference.
    const gy = randomVector(got.length, 9);
    net.backward(() => net.write(y, gy, true));
    const loss = (inp, prm) => {
      const v = runGraph(g, inp, x, prm).values[y];
      let s = 0;
      for (let i = 0; i < v.length; i++) s += gy[i] * v[i];
      return s;
    };
    const h = 1e-6;
    const gx = net.read(x, true);
    const check = (analytic, perturb, what) => {
      for (let i = 0; i < analytic.length; i += Math.max(1, Math.floor(analytic.length / 40))) {
        const fd = (loss(...perturb(i, h)) - loss(...perturb(i, -h))) / (2 * h);
        const scale = Math.max(1, Math.abs(fd));
        assert.ok(Math.abs(analytic[i] - fd) <= 2e-5 * scale, `${what}[${i}]: backward ${analytic[i]}, central difference ${fd}`);
      }
    };
    check(
      gx,
      (i, d) => {
        const inp = Float64Array.from(input);
        inp[i] += d;
        return [inp, params];
      },
      "dL/dx",
    );
    for (const name of Object.keys(params)) {
      check(
        P.get(name, "grad"),
        (i, d) => {
          const prm = { ...params, [name]: Float64Array.from(params[name]) };
          prm[name][i] += d;
          return [input, prm];
        },
        `dL/d${name}`,
      );
    }
    net.dispose();
    P.dispose();
  });
}

t("a small U-Net of every layer: forward within 1e-5 of the float64 interpreter, backward = central differences", () => {
  const g = learned.graph();
  const x = g.input(8, 8, 1);
  const a = g.conv(x, "in", { out: 4, bias: "in.b" });
  const r = g.add(a, g.relu(g.conv(a, "c1", { out: 4, bias: "c1.b", padding: "replicate" })));
  const p = g.pool(r);
  const q = g.gelu(g.conv(p, "c2", { out: 4, stride: 2, padding: "circular" }));
  const u = g.add(g.upsample(g.convTranspose(q, "up", { out: 4 })), r);
  const y = g.conv(u, "head", { out: 1, kernel: 1, bias: "head.b" });
  const params = randomParams(g, 21);
  const input = randomVector(64, 3);
  const { P, net } = bind(learned, g, x, y, params);
  net.write(x, input);
  net.forward();
  const out = net.read(y);
  const ref = runGraph(g, input, x, params).values[y];
  const scale = Math.max(...ref.map(Math.abs));
  for (let i = 0; i < out.length; i++) assert.ok(Math.abs(out[i] - ref[i]) <= 1e-5 * scale, `y[${i}]: ${out[i]} vs ${ref[i]}`);
  const gy = randomVector(out.length, 4);
  net.backward(() => net.write(y, gy, true));
  const loss = (prm) => runGraph(g, input, x, prm).values[y].reduce((s, v, i) => s + gy[i] * v, 0);
  for (const name of ["in", "c1", "c2", "up", "head.b"]) {
    const an = P.get(name, "grad");
    for (const i of new Set([0, 3, an.length - 1].map((i) => Math.min(i, an.length - 1)))) {
      const plus = { ...params, [name]: Float64Array.from(params[name]) },
        minus = { ...params, [name]: Float64Array.from(params[name]) };
      plus[name][i] += 1e-5;
      minus[name][i] -= 1e-5;
      const fd = (loss(plus) - loss(minus)) / 2e-5;
      assert.ok(Math.abs(an[i] - fd) <= 1e-3 * Math.max(1, Math.abs(fd)), `d/d${name}[${i}]: ${an[i]} vs ${fd}`);
    }
  }
  net.dispose();
  P.dispose();
});

t("Adam: one step per the formula (β1 0.9, β2 0.999, ε 1e-8, bias-corrected), in float32", () => {
  const g = learned.graph();
  const x = g.input(3, 3, 2);
  const y = g.conv(x, "w", { out: 2, bias: "b" });
  const params = randomParams(g, 31);
  const { P, net } = bind(learned, g, x, y, params);
  net.write(x, randomVector(18, 8));
  net.forward();
  const gy = randomVector(18, 2);
  const m = {},
    v = {},
    w = {};
  for (const name of ["w", "b"]) {
    m[name] = new Float64Array(params[name].length);
    v[name] = new Float64Array(params[name].length);
    w[name] = Float64Array.from(params[name]);
  }
  for (let step = 1; step <= 3; step++) {
    P.zeroGrad();
    net.backward(() => net.write(y, gy, true));
    const grads = { w: P.get("w", "grad"), b: P.get("b", "grad") };
    P.adam(0.01);
    for (const name of ["w", "b"]) {
      const got = P.get(name);
      for (let i = 0; i < got.length; i++) {
        const gi = grads[name][i];
        m[name][i] = 0.9 * m[name][i] + 0.1 * gi;
        v[name][i] = 0.999 * v[name][i] + 0.001 * gi * gi;
        const mh = m[name][i] / (1 - 0.9 ** step),
          vh = v[name][i] / (1 - 0.999 ** step);
        w[name][i] -= (0.01 * mh) / (Math.sqrt(vh) + 1e-8);
        assert.ok(Math.abs(got[i] - w[name][i]) <= 1e-6, `${name}[${i}] after step ${step}: ${got[i]} vs ${w[name][i]}`);
      }
      w[name] = Float64Array.from(got); // continue from the float32 values
    }
    net.forward();
  }
  net.dispose();
  P.dispose();
});

t("the scalar build gives the SIMD build's outputs and gradients bit for bit (each lane sums in the same order)", async () => {
  const scalar = await createSolvewasm(await scalarModule());
  const make = (api) => {
    const g = api.graph();
    const x = g.input(9, 7, 3);
    const a = g.conv(x, "a", { out: 8, bias: "ab", padding: "reflect" });
    const b = g.relu(g.conv(a, "b", { out: 8, stride: 2, pad: 0 }));
    const c = g.add(g.convTranspose(b, "c", { out: 8, outputPadding: 1 }), a);
    return { g, x, y: g.conv(c, "d", { out: 2, kernel: 1 }) };
  };
  const outs = [];
  for (const api of [learned, scalar.learned]) {
    const { g, x, y } = make(api);
    const { P, net } = bind(api, g, x, y, randomParams(g, 41));
    net.write(x, randomVector(189, 6));
    net.forward();
    net.backward(() => net.write(y, randomVector(126, 7), true));
    outs.push([net.read(y), net.read(x, true), P.get("a", "grad"), P.get("c", "grad")]);
    net.dispose();
    P.dispose();
  }
  for (let k = 0; k < outs[0].length; k++) assert.equal(Array.from(outs[1][k]), Array.from(outs[0][k]), `tensor ${k}`);
});

t("a network keeps its own copy of the graph, refuses foreign or disposed parameters and bad vectors, and a disposed model leaks nothing", async () => {
  const { memoryStats, wasmModule } = await import("solvewasm");
  const g = learned.graph();
  const x = g.input(4, 4, 1);
  const y = g.conv(x, "w", { out: 1, kernel: 1 });
  const P = learned.parameters(g.params.values());
  const net = learned.network(g, x, y, P);
  g.relu(y); // added after binding: not part of net
  assert.is(net.ops.length, 1);
  const other = await createSolvewasm(wasmModule());
  await rejects(() => other.learned.network(g, x, y, P), "INVALID_ARGUMENT", /another solvewasm instance/);
  await rejects(() => net.backwardVector(new Float64Array(200)), "DIMENSION_MISMATCH", /16 entries/);
  await rejects(() => net.read(99), "INVALID_ARGUMENT", /no tensor 99/);
  await rejects(() => net.write(x, new Float32Array(16).fill(Number.NaN)), "NOT_FINITE", /value 0 written to tensor 0 is NaN/);
  await rejects(() => g.conv(x, "v"), "INVALID_ARGUMENT", /out must be an integer/);
  await rejects(() => g.add(x, x, Number.NaN), "INVALID_ARGUMENT", /beta must be a finite number/);
  await rejects(() => learned.parameters(undefined), "INVALID_ARGUMENT", /parameters takes the specs of a graph/);
  // Weights set after training started: the backward pass sees them (dL/dx = w·g for y = w·x).
  const gy = new Float64Array(16).fill(1);
  P.set("w", [2]);
  net.backwardVector(gy);
  assert.ok(net.read(x, true).every((v) => v === 2));
  P.set("w", [3]);
  net.backwardVector(gy);
  assert.ok(
    net.read(x, true).every((v) => v === 3),
    "the transposed copy follows set()",
  );
  await rejects(() => P.adam(Number.NaN), "INVALID_OPTION", /lr must be a positive finite number/);
  net.dispose();
  P.dispose();
  await rejects(() => P.zeroGrad(), "DISPOSED");
  await rejects(() => learned.network(g, x, y, P), "DISPOSED");

  const model = learned.newMgno(
    {
      channels: 2,
      layers: 1,
      levels: [
        [1, 0],
        [1, 0],
      ],
    },
    1,
  );
  model.predict(new Float64Array(9), [3, 3]);
  model.dispose();
  const live = memoryStats().live;
  for (let i = 0; i < 3; i++) await rejects(() => model.predict(new Float64Array(9), [3, 3]), "DISPOSED");
  await rejects(() => model.apply(new Float64Array(9), [3, 3]), "DISPOSED");
  assert.is(memoryStats().live, live, "no network is rebuilt for a disposed model");
  await rejects(() => learned.newMgno({ chanels: 2 }), "INVALID_OPTION", /MgNO config has no field chanels/);
});

t("graphs refuse shapes they cannot run, naming the layer", async () => {
  const g = learned.graph();
  const x = g.input(5, 5, 2);
  await rejects(() => g.pool(x), "INVALID_ARGUMENT", /even grid sizes, got 5 × 5/);
  await rejects(() => g.conv(x, "w", { out: 2, kernel: 5 }), "INVALID_ARGUMENT", /conv w: kernel 1 or 3/);
  await rejects(() => g.add(x, g.conv(x, "v", { out: 3 })), "DIMENSION_MISMATCH", /add: 5 × 5 × 2 and 5 × 5 × 3/);
  g.conv(x, "u", { out: 2 });
  await rejects(() => g.conv(x, "u", { out: 4 }), "INVALID_ARGUMENT", /parameter u is used as conv \[4,2,3,3\] and as conv \[2,2,3,3\]/);
  const P = learned.parameters(g.params.values());
  await rejects(() => P.set("u", new Float32Array(3)), "DIMENSION_MISMATCH", /u has 36 values/);
  await rejects(() => P.set("nope", new Float32Array(3)), "INVALID_ARGUMENT", /no parameter nope/);
  P.dispose();
});

const mg = suite("MgNO");

mg("with GMG's kernels frozen in, an MgNO V-cycle is solvewasm's geometric V-cycle (Jacobi, 63², 6 levels) to float32 accuracy", async () => {
  const { gallery, multigrid } = await import("solvewasm");
  const n = 63,
    omega = 0.8;
  for (const [pre, post] of [
    [1, 1],
    [2, 1],
    [1, 0],
  ]) {
    const model = learned.multigridVcycle({ levels: 6, pre, post, omega });
    assert.equal(model.config.levels, [...Array(5).fill([pre, post]), [1, 0]]);
    const A = gallery.poisson([n, n]);
    const ml = multigrid(A, { smoother: "jacobi", omega, pre, post, maxLevels: 6 });
    assert.is(ml.levels.length, 6);
    const f = randomVector(n * n, 17);
    const want = ml.cycle(f);
    const got = model.predict(f, [n, n]);
    const scale = Math.max(...want.map(Math.abs));
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    assert.ok(worst <= 2e-6 * scale, `V(${pre},${post}): max difference ${worst} against max |x| ${scale}`);
    ml.dispose();
    A.dispose();
    model.dispose();
  }
});

mg("a JSON state_dict of the reference MgNO_DC loads by its tensor names and predicts as the float64 interpreter", async () => {
  const fixture = MGNO_STATE_DICT;
  const model = learned.mgno(fixture);
  assert.is(
    model.params.count,
    Object.values(fixture.tensors).reduce((s, t) => s + t.data.length, 0),
  );
  const n = 15;
  const a = Float64Array.from(randomVector(n * n, 3), (v) => (v > 0 ? 12 : 3));
  const got = model.predict(a, [n, n]);
  const net = model.network([n, n]);
  const { config } = fixture;
  const params = Object.fromEntries(Object.entries(fixture.tensors).map(([k, t]) => [k, Float64Array.from(t.data)]));
  const input = Float64Array.from(a, (v) => Math.fround(config.inputScale * v + config.inputShift));
  const ref = runGraph(net, input, net.input, params).values[net.output].map((v) => config.outputScale * v);
  const scale = Math.max(...ref.map(Math.abs));
  for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(got[i] - ref[i]) <= 1e-5 * scale, `u[${i}]: ${got[i]} vs ${ref[i]}`);
  model.dispose();
});

mg("the shipped MgNO weights predict 100 held-out Darcy samples (seed 4242, not a training seed) at 63² within 2 % mean relative L2", async () => {
  const model = learned.mgno();
  const { provenance } = learned.readWeights(model.toWeights());
  assert.ok(provenance.seed !== 4242 && provenance.heldOut.seed !== 4242, "seed 4242 is not one the weights saw");
  const held = learned.darcyData(63, 100, 4242); // ground truth: multigrid-preconditioned CG to rtol 1e-10
  const { mean, max } = learned.relativeL2(model, held);
  assert.ok(mean <= 0.02, `mean relative L2 ${mean}`);
  assert.ok(max < 0.1, `max relative L2 ${max}`);
  model.dispose();
});

mg("grids the V-cycle cannot coarsen are refused, naming sizes that work", async () => {
  const model = learned.newMgno({ channels: 2, layers: 1 }, 1);
  await rejects(
    () => model.predict(new Float64Array(64 * 64), [64, 64]),
    "INVALID_ARGUMENT",
    /vertex-centred grids coarsens sizes of the form 32·m − 1, m ≥ 2 \(63, 95, 127, 159, …\); got 64 × 64/,
  );
  model.dispose();
  const cell = learned.newMgno(
    {
      channels: 2,
      layers: 1,
      grid: "cell",
      levels: [
        [1, 0],
        [1, 0],
        [1, 0],
      ],
    },
    1,
  );
  await rejects(() => cell.predict(new Float64Array(63 * 63), [63, 63]), "INVALID_ARGUMENT", /divisible by 4 \(4, 8, 12, 16, …\); got 63 × 63/);
  await rejects(() => learned.newMgno({ levels: [[0, 1]] }), "INVALID_ARGUMENT", /finest level needs at least one pre-smoothing step/);
  cell.dispose();
});

mg("a short MgNO training run on Darcy data lowers the relative L2 loss; malformed data are refused", async () => {
  const data = learned.darcyData(15, 12, 5);
  await rejects(() => learned.trainMgno({ data: { n: 15, a: data.a, u: data.u.map((u) => u.subarray(1)) } }), "INVALID_ARGUMENT", /finite n·n Float64Arrays/);
  await rejects(() => learned.trainMgno({ data, config: {}, model: learned.newMgno() }), "INVALID_OPTION", /not both/);
  const { losses, model } = await learned.trainMgno({
    data,
    config: {
      channels: 4,
      layers: 2,
      levels: [
        [1, 0],
        [1, 0],
        [1, 0],
      ],
    },
    steps: 40,
    batch: 4,
    lr: 3e-3,
  });
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(mean(losses.slice(-8)) < 0.7 * mean(losses.slice(0, 8)), `loss ${mean(losses.slice(0, 8))} → ${mean(losses.slice(-8))}`);
  model.dispose();
});

const w = suite("weight files");

w("a weight file round-trips, and every malformed one is refused naming what is wrong", async () => {
  const model = learned.newMgno(
    {
      channels: 2,
      layers: 1,
      levels: [
        [1, 0],
        [1, 0],
      ],
    },
    3,
  );
  const bytes = model.toWeights({ note: "test" });
  const back = learned.readWeights(bytes);
  assert.is(back.model, "mgno");
  assert.equal(back.provenance, { note: "test" });
  for (const s of model.params.specs) assert.equal(Array.from(back.tensors.get(s.name).data), Array.from(model.params.get(s.name)), s.name);
  const again = learned.mgno(bytes);
  assert.equal(Array.from(again.params.get("linear.weight")), Array.from(model.params.get("linear.weight")));
  again.dispose();

  const edit = (fn) => {
    const b = Uint8Array.from(bytes);
    fn(b, new DataView(b.buffer));
    return b;
  };
  await rejects(() => learned.readWeights(edit((b) => (b[0] = 0x58))), "INVALID_ARGUMENT", /not a solvewasm weight file/);
  await rejects(() => learned.readWeights(edit((_, v) => v.setUint32(4, 2, true))), "INVALID_ARGUMENT", /format version 2; this solvewasm reads version 1/);
  await rejects(
    () => learned.readWeights(bytes.subarray(0, bytes.length - 4)),
    "INVALID_ARGUMENT",
    /tensor linear\.weight \[1,2,1,1\] needs 8 bytes .* \(truncated\)/,
  );
  const headerLength = new DataView(bytes.buffer).getUint32(8, true);
  const start = (12 + headerLength + 3) & ~3;
  const first = model.params.specs[0].name;
  const nan = await rejects(() => learned.readWeights(edit((_, v) => v.setFloat32(start + 4, Number.NaN, true))), "INVALID_ARGUMENT", /weights must be finite/);
  assert.ok(nan.message.includes(`tensor ${first}[1] is NaN`), nan.message);
  const json = {
    format: "solvewasm-weights",
    version: 1,
    model: "mgno",
    config: { ...model.config },
    tensors: Object.fromEntries(model.params.specs.map((s) => [s.name, { shape: s.shape, data: Array.from(model.params.get(s.name)) }])),
  };
  const without = structuredClone(json);
  delete without.tensors["linear.weight"];
  await rejects(() => learned.mgno(without), "INVALID_ARGUMENT", /the weights have no tensor linear\.weight \(shape \[1,2,1,1\]\)/);
  const extra = structuredClone(json);
  extra.tensors["linear.bias"] = { shape: [1], data: [0] };
  await rejects(() => learned.mgno(extra), "INVALID_ARGUMENT", /a tensor linear\.bias this model does not use/);
  const reshaped = structuredClone(json);
  reshaped.tensors["linear.weight"] = { shape: [2, 1, 1, 1], data: [0, 0] };
  await rejects(() => learned.mgno(reshaped), "INVALID_ARGUMENT", /tensor linear\.weight has shape \[2,1,1,1\], the model needs \[1,2,1,1\]/);
  await rejects(() => learned.mgno({ ...json, version: 7 }), "INVALID_ARGUMENT", /format version 7/);
  await rejects(() => learned.dcdm(bytes), "INVALID_ARGUMENT", /learned\.dcdm needs DCDM weights; these are for "mgno"/);
  await rejects(() => learned.dcdm("nope"), "INVALID_ARGUMENT", /no shipped weights named nope/);
  model.dispose();
});

t.run();
mg.run();
w.run();

const dc = suite("DCDM");

/** Right-hand sides of the notes' §1.1 table: A·randn, randn and a point source (seeded). */
function rhsSet(A, n, seed) {
  const randn = randomVector(n, seed);
  const point = new Float64Array(n);
  point[(n >> 1) + (Math.sqrt(n) >> 1)] = 1;
  return { A·rand: A.matvec(Float64Array.from(randomVector(n, seed + 1))), rand: randn, point };
}

dc("the shipped weights at 64²: 1e-4 in ≤ 25 and 1e-8 in ≤ 50 fcd(k = 2) iterations, where CG takes over 100", async () => {
  const { fcd, cg, gallery, precond } = await import("solvewasm");
  const A = gallery.poisson([64, 64]);
  const M = precond.dcdm(A);
  assert.is(M.info.parameters, 6513);
  for (const [name, b] of Object.entries(rhsSet(A, A.rows, 31))) {
    const loose = fcd(A, b, { k: 2, M, rtol: 1e-4, maxiter: 200 });
    const tight = fcd(A, b, { k: 2, M, rtol: 1e-8, maxiter: 200 });
    assert.ok(loose.converged && loose.iterations <= 25, `${name}: 1e-4 in ${loose.iterations}`);
    assert.ok(tight.converged && tight.iterations <= 50, `${name}: 1e-8 in ${tight.iterations}`);
    assert.ok(cg(A, b, { rtol: 1e-8 }).iterations > 100, `${name}: CG`);
  }
  M.dispose();
  A.dispose();
});

dc("the same weights at 128²: 1e-8 in ≤ 80 iterations", async () => {
  const { fcd, gallery, precond, learned: L } = await import("solvewasm");
  const model = L.dcdm();
  const A = gallery.poisson([128, 128]);
  const M = precond.dcdm(A, { model });
  const r = fcd(A, randomVector(A.rows, 5), { k: 2, M, rtol: 1e-8, maxiter: 200 });
  assert.ok(r.converged && r.iterations <= 80, `1e-8 in ${r.iterations}`);
  M.dispose();
  assert.ok(model.alive, "a shared model outlives the preconditioner");
  model.dispose();
  A.dispose();
});

dc("cg refuses the learned preconditioner, solve picks fcd, and grids it cannot pool are named", async () => {
  const { cg, solve, gallery, precond } = await import("solvewasm");
  const A = gallery.poisson([16, 16]);
  const M = precond.dcdm(A);
  const b = new Float64Array(A.rows).fill(1);
  await rejects(() => cg(A, b, { M }), "INVALID_OPTION", /cg needs a linear M; this one \(dcdm\) declares linear: false: use fcd or fgmres, or solve/);
  const r = solve(A, b, { M, rtol: 1e-6 });
  assert.is(r.method, "fcd");
  assert.ok(r.converged);
  M.dispose();
  await rejects(() => precond.dcdm(gallery.poisson([63, 64])), "INVALID_ARGUMENT", /multiple of 4 \(e\.g\. 60 or 64 for 63, 64 for 64\); got 63 × 64/);
  await rejects(() => precond.dcdm(gallery.poisson([64])), "INVALID_ARGUMENT", /needs a 2-D grid/);
  await rejects(() => precond.dcdm(A, { wieghts: 1 }), "INVALID_OPTION", /did you mean "weights"/);
  A.dispose();
});

dc("a fluid mask (flow past a solid disk, Dirichlet outer walls): directions stay out of the solid cells and fcd converges", async () => {
  const { fcd, gallery, precond } = await import("solvewasm");
  const n = 32;
  const mask = Array.from({ length: n * n }, (_, p) => ((p % n) - 15.5) ** 2 + (Math.floor(p / n) - 12.5) ** 2 > 6 ** 2);
  const A = gallery.diffusion(1, [n, n], { mask });
  const M = precond.dcdm(A);
  const b = Float64Array.from(randomVector(n * n, 2), (v, p) => (mask[p] ? v : 0));
  const z = M.matvec(b);
  assert.ok(
    z.every((v, p) => mask[p] || v === 0),
    "z is zero on solid cells",
  );
  const r = fcd(A, b, { k: 2, M, rtol: 1e-8, maxiter: 300 });
  assert.ok(r.converged, `${r.reason} after ${r.iterations}`);
  M.dispose();
  A.dispose();
});

dc("a training run of a few seconds lowers the DCDM loss, and the same seed gives the same weights", async () => {
  const run = () => learned.trainDcdm({ grid: 16, steps: 25, batch: 4, seed: 3, lr: 3e-3 });
  const a = await run(),
    b = await run();
  const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
  assert.ok(mean(a.losses.slice(-5)) < 0.8 * mean(a.losses.slice(0, 5)), `loss ${mean(a.losses.slice(0, 5))} → ${mean(a.losses.slice(-5))}`);
  assert.equal(Array.from(b.losses), Array.from(a.losses));
  assert.equal(Array.from(b.model.params.get("head.weight")), Array.from(a.model.params.get("head.weight")));
  const w = learned.readWeights(a.model.toWeights());
  assert.is(w.provenance.steps, 25);
  a.model.dispose();
  b.model.dispose();
  await rejects(() => learned.trainDcdm({ grid: 18 }), "INVALID_ARGUMENT", /multiple of 4/);
  await rejects(() => learned.trainDcdm({ stpes: 3 }), "INVALID_OPTION", /unknown option stpes/);
});

dc("Ritz pairs (Lanczos with full reorthogonalisation, QL on the tridiagonal) are the 8 × 8 Laplacian's eigenpairs", async () => {
  const { gallery } = await import("solvewasm");
  const A = gallery.poisson([8, 8]);
  const { values, vectors } = learned.ritz(A, 64);
  const exact = [];
  for (let j = 1; j <= 8; j++) for (let k = 1; k <= 8; k++) exact.push(4 - 2 * Math.cos((Math.PI * j) / 9) - 2 * Math.cos((Math.PI * k) / 9));
  exact.sort((a, b) => a - b);
  // Every Ritz value is an eigenvalue and every eigenvalue is found; in floating point the
  // run goes on into the repeated ones' eigenspaces (λ_jk = λ_kj), so some appear twice.
  for (let i = 0; i < values.length; i++)
    assert.ok(
      exact.some((e) => Math.abs(values[i] - e) <= 1e-10),
      `Ritz value ${values[i]} is no eigenvalue`,
    );
  for (const e of exact)
    assert.ok(
      values.some((v) => Math.abs(v - e) <= 1e-10),
      `eigenvalue ${e} not found`,
    );
  for (let j = 0; j < values.length; j += 5) {
    const Ay = A.matvec(vectors[j]);
    const res = Math.sqrt(Ay.reduce((s, v, i) => s + (v - values[j] * vectors[j][i]) ** 2, 0));
    assert.ok(res <= 1e-9, `‖A·y − λ·y‖ = ${res} for pair ${j}`);
  }
  A.dispose();
});

dc("trainDcdm on a masked operator trains on its Ritz vectors (DCDM's recipe) and lowers the loss", async () => {
  const { gallery } = await import("solvewasm");
  const n = 16;
  const mask = Array.from({ length: n * n }, (_, p) => ((p % n) - 7.5) ** 2 + (Math.floor(p / n) - 6.5) ** 2 > 3 ** 2);
  const A = gallery.diffusion(1, [n, n], { mask });
  const { model, losses } = await learned.trainDcdm({ operator: A, steps: 30, batch: 4, lanczosSteps: 100, lr: 3e-3, seed: 2 });
  const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
  assert.ok(losses.every(Number.isFinite));
  assert.ok(mean(losses.slice(-5)) < 0.8 * mean(losses.slice(0, 5)), `loss ${mean(losses.slice(0, 5))} → ${mean(losses.slice(-5))}`);
  assert.match(String(model.provenance.data), /Ritz vectors of the given operator \(100 Lanczos steps\), masked/);
  await rejects(() => learned.trainDcdm({ operator: A, grid: 16 }), "INVALID_OPTION", /grid or operator/);
  model.dispose();
  A.dispose();
});

dc.run();
