// Straight-line programs for evolved kernels: SSA nodes op(a, b) over the reduced argument
// r, its square r², earlier nodes and constant slots. Compiled with `new Function` twice:
// in float64 (for fitting the constants) and in float32, with Math.fround after every
// operation — bit-exact to what the f32x4 lanes compute (wasm has no FMA, and fround of one
// + − × ÷ of float32 operands is the float32 result).

export const R = -1; // operand: r
export const R2 = -2; // operand: r² (one multiply, computed once)
export const C = 1000; // operands ≥ C are constant slots C + k

export const OPS = ["+", "-", "*", "/"];
const OP_COST = { "+": 1, "-": 1, "*": 1, "/": 4 }; // f32x4.div is several times an add in V8

/** A program: nodes [{ op, a, b }], the last node is the output; nconst constant slots. */
export function cost(p) {
  let c = p.nodes.reduce((s, n) => s + OP_COST[n.op], 0);
  if (p.nodes.some((n) => n.a === R2 || n.b === R2)) c += 1;
  return c;
}

function operand(x) {
  if (x === R) return "r";
  if (x === R2) return "r2";
  if (x >= C) return `c[${x - C}]`;
  return `t${x}`;
}

/** (r, c) → value, in float64 or (f32 = true) float32 arithmetic. */
export function compile(p, f32) {
  const w = f32 ? (e) => `f(${e})` : (e) => e;
  const lines = [f32 ? "const r2 = f(r * r);" : "const r2 = r * r;"];
  p.nodes.forEach((n, i) => lines.push(`const t${i} = ${w(`${operand(n.a)} ${n.op} ${operand(n.b)}`)};`));
  lines.push(`return t${p.nodes.length - 1};`);
  return new Function("f", `return (r, c) => { ${lines.join(" ")} };`)(Math.fround);
}

/** The program's float32 value at r, interpreted (no code generation, so it also runs where
 * `new Function` is forbidden, as in workerd): the same operations as `compile(p, true)`;
 * with `f64`, float64 operations as `compile(p, false)`. */
export function evaluateF32(p, c, r, f64 = false) {
  const f = f64 ? (v) => v : Math.fround,
    t = [];
  const r2 = f(r * r);
  const v = (x) => (x === R ? r : x === R2 ? r2 : x >= C ? c[x - C] : t[x]);
  for (const n of p.nodes) {
    const a = v(n.a),
      b = v(n.b);
    t.push(f(n.op === "+" ? a + b : n.op === "-" ? a - b : n.op === "*" ? a * b : a / b));
  }
  return t[t.length - 1];
}

/** A canonical text of the program (for deduplication and printing). */
export function show(p, c) {
  const name = (x) => (x === R ? "r" : x === R2 ? "r²" : x >= C ? (c ? fmt(c[x - C]) : `c${x - C}`) : `t${x}`);
  return p.nodes.map((n, i) => `t${i} = ${name(n.a)} ${n.op} ${name(n.b)}`).join("; ");
}

const fmt = (v) => {
  const s = Math.fround(v).toPrecision(9);
  return Number(s) === Math.fround(v) ? s : String(Math.fround(v));
};

/** Horner form of a degree-d polynomial: ((c_d r + c_{d−1}) r + …) r + c_0. */
export function horner(d) {
  const nodes = [{ op: "*", a: C + d, b: R }];
  for (let k = d - 1; k >= 0; k--) {
    nodes.push({ op: "+", a: nodes.length - 1, b: C + k });
    if (k > 0) nodes.push({ op: "*", a: nodes.length - 1, b: R });
  }
  return { nodes, nconst: d + 1 };
}

/** r·P(r) with P of degree d − 1 in Horner form: a polynomial without constant term. */
export function horner0(d) {
  const q = horner(d - 1);
  const nodes = q.nodes.map((n) => ({ ...n }));
  nodes.push({ op: "*", a: nodes.length - 1, b: R });
  return { nodes, nconst: d };
}

/** r + r²·Q(r) with Q of degree d − 2 in Horner form: the seed shape that keeps the large
 * term r exact until the last addition. */
export function rPlusR2Q(d) {
  const q = horner(d - 2);
  const nodes = q.nodes.map((n) => ({ ...n }));
  nodes.push({ op: "*", a: nodes.length - 1, b: R2 });
  nodes.push({ op: "+", a: nodes.length - 1, b: R });
  return { nodes, nconst: d - 1 };
}

/** r²·Q(r) with Q of degree d − 2 in Horner form (the tail of a function whose 1 + r part
 * the wrapper adds exactly). */
export function r2Q(d) {
  const q = horner(d - 2);
  const nodes = q.nodes.map((n) => ({ ...n }));
  nodes.push({ op: "*", a: nodes.length - 1, b: R2 });
  return { nodes, nconst: d - 1 };
}

/** Estrin-like form with r²: (c0 + c1 r) + r²((c2 + c3 r) + r²(c4 + c5 r)) for d = 5, etc. */
export function estrin(d) {
  const nodes = [];
  const pair = (k) => {
    if (k + 1 > d) return C + k;
    nodes.push({ op: "*", a: C + k + 1, b: R });
    nodes.push({ op: "+", a: nodes.length - 1, b: C + k });
    return nodes.length - 1;
  };
  const pairs = [];
  for (let k = 0; k <= d; k += 2) pairs.push(pair(k));
  let acc = pairs[pairs.length - 1];
  for (let i = pairs.length - 2; i >= 0; i--) {
    nodes.push({ op: "*", a: acc, b: R2 });
    nodes.push({ op: "+", a: nodes.length - 1, b: pairs[i] });
    acc = nodes.length - 1;
  }
  return { nodes, nconst: d + 1 };
}

/** Drops nodes the output does not use and constant slots no node uses; returns the program
 * and the map old slot → new slot (so fitted constants can be inherited). */
export function normalize(p) {
  const used = new Set([p.nodes.length - 1]);
  for (let i = p.nodes.length - 1; i >= 0; i--) {
    if (!used.has(i)) continue;
    for (const x of [p.nodes[i].a, p.nodes[i].b]) if (x >= 0 && x < C) used.add(x);
  }
  const remap = new Map();
  const nodes = [];
  p.nodes.forEach((n, i) => {
    if (!used.has(i)) return;
    remap.set(i, nodes.length);
    nodes.push({ ...n });
  });
  const slots = new Map();
  const fix = (x) => {
    if (x >= C) {
      if (!slots.has(x)) slots.set(x, C + slots.size);
      return slots.get(x);
    }
    return x >= 0 ? remap.get(x) : x;
  };
  for (const n of nodes) {
    n.a = fix(n.a);
    n.b = fix(n.b);
  }
  const slotMap = new Map([...slots].map(([o, n]) => [o - C, n - C]));
  return { program: { nodes, nconst: slots.size }, slotMap };
}

/** True when the output depends on r. */
export function usesR(p) {
  const dep = p.nodes.map(() => false);
  p.nodes.forEach((n, i) => {
    dep[i] = [n.a, n.b].some((x) => x === R || x === R2 || (x >= 0 && x < C && dep[x]));
  });
  return dep[dep.length - 1];
}

/** One random mutation (AutoNumerics-Zero's moves): change an op, rewire an operand,
 * insert a node on an edge, or remove a node. Returns a normalised program and slot map. */
export function mutate(p, rand, maxNodes = 16) {
  const q = { nodes: p.nodes.map((n) => ({ ...n })), nconst: p.nconst };
  const randomOperand = (i) => {
    const u = rand();
    if (u < 0.25) return R;
    if (u < 0.35) return R2;
    if (u < 0.7 || i === 0) return C + Math.floor(rand() * (q.nconst + 1)); // existing or new slot
    return Math.floor(rand() * i);
  };
  const kind = rand();
  const i = Math.floor(rand() * q.nodes.length);
  if (kind < 0.2) {
    q.nodes[i].op = OPS[Math.floor(rand() * (rand() < 0.9 ? 3 : 4))];
  } else if (kind < 0.5) {
    if (rand() < 0.5) q.nodes[i].a = randomOperand(i);
    else q.nodes[i].b = randomOperand(i);
  } else if (kind < 0.8 && q.nodes.length < maxNodes) {
    // Insert t = x op y on the edge into node i; later node indices shift by one.
    const side = rand() < 0.5 ? "a" : "b";
    const shift = (x) => (x >= i && x < C ? x + 1 : x);
    q.nodes.forEach((n) => {
      n.a = shift(n.a);
      n.b = shift(n.b);
    });
    const old = q.nodes[i][side];
    const fresh = { op: OPS[Math.floor(rand() * 3)], a: old, b: randomOperand(i) };
    q.nodes.splice(i, 0, fresh);
    q.nodes[i + 1][side] = i;
  } else if (q.nodes.length > 1) {
    // Remove node i: its users take one of its operands instead.
    const keep = rand() < 0.5 ? q.nodes[i].a : q.nodes[i].b;
    const shift = (x) => (x === i ? keep : x > i && x < C ? x - 1 : x);
    q.nodes.splice(i, 1);
    q.nodes.forEach((n) => {
      n.a = shift(n.a);
      n.b = shift(n.b);
    });
  }
  if (q.nconst === 0 || q.nodes.some((n) => n.a >= C + q.nconst || n.b >= C + q.nconst)) q.nconst++;
  return normalize(q);
}

/** AssemblyScript for the program: a lane function (f32x4, or f64x2 for dtype "f64") and a
 * scalar one with the same operations in the same order (so both builds give the same bits). */
export function toAssemblyScript(name, p, c, comment, dtype = "f32") {
  const T = dtype === "f64" ? "f64" : "f32",
    L = dtype === "f64" ? "f64x2" : "f32x4";
  const k = (v) => {
    const f = T === "f64" ? v : Math.fround(v);
    return Object.is(f, -0) ? "-0.0" : `${f}`;
  };
  const vec = [`${comment}`, `// @ts-ignore: decorator`, `@inline export function ${name}(r: v128): v128 {`, `  const r2 = ${L}.mul(r, r);`];
  const sca = [`// @ts-ignore: decorator`, `@inline export function ${name}Scalar(r: ${T}): ${T} {`, `  const r2: ${T} = r * r;`];
  const fn = { "+": "add", "-": "sub", "*": "mul", "/": "div" };
  const opV = (x) => (x === R ? "r" : x === R2 ? "r2" : x >= C ? `${L}.splat(<${T}>${k(c[x - C])})` : `t${x}`);
  const opS = (x) => (x === R ? "r" : x === R2 ? "r2" : x >= C ? `<${T}>${k(c[x - C])}` : `t${x}`);
  p.nodes.forEach((n, i) => {
    vec.push(`  const t${i} = ${L}.${fn[n.op]}(${opV(n.a)}, ${opV(n.b)});`);
    sca.push(`  const t${i}: ${T} = ${opS(n.a)} ${n.op} ${opS(n.b)};`);
  });
  vec.push(`  return t${p.nodes.length - 1};`, "}");
  sca.push(`  return t${p.nodes.length - 1};`, "}");
  return [...vec, "", ...sca].join("\n");
}
