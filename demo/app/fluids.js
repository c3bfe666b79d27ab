// The offline app's Fluids section: a 2-D smoke plume by Stam's stable fluids (J. Stam,
// "Stable Fluids", SIGGRAPH 1999) in the form of R. Bridson's notes ("Fluid Simulation",
// SIGGRAPH 2007 course notes; "Fluid Simulation for Computer Graphics", 2015): per frame,
// semi-Lagrangian advection of velocity and smoke, body forces (buoyancy, a smoke source,
// optional vorticity confinement after Fedkiw, Stam & Jensen 2001), then the pressure
// projection — a Poisson solve that solvewasm runs in wasm every frame, by GMG-PCG, plain
// CG or DCDM's learned preconditioner in fcd. Everything else is plain JavaScript on typed
// arrays. No DOM and no Node API: it runs in a Web Worker and in Node alike, with the
// solvewasm namespace passed in (any entry: node, browser, compat).
//
// Grid: a MAC (staggered) grid of n × n cells, as Bridson recommends: density and pressure
// at cell centres, u on vertical faces, v on horizontal ones. Chosen over a collocated grid
// because with it the discrete divergence of the discrete gradient is exactly the 5-point
// Laplacian, so the divergence left after projection *is* the solver's residual (no
// checkerboard modes, no wide stencil), which is what makes `divergenceAfter` a check.
//
// Boundary: open on all four sides. The cells outside the box are "air" with p = 0
// (Bridson's free-surface condition, first order): every boundary face is a free unknown the
// projection sets, and the pressure matrix is the unscaled Dirichlet Laplacian on the n × n
// cells (4 on the diagonal, −1 to each neighbour) — SPD, so CG, GMG-PCG and DCDM (trained on
// exactly this operator) all apply. Solid walls would give a Neumann Laplacian (singular; it
// needs a null-space projection) and masked walls slow the Galerkin hierarchy down (18 PCG
// iterations at 128² instead of 5, measured); a plume in open air needs neither.
// The matrix is gallery.poisson([n, n]) when n = 2^L − 1 (solvewasm's geometric multigrid:
// red-black Gauss–Seidel, rediscretised coarse grids) and otherwise the identical matrix as
// gallery.diffusion(1, [n, n]), whose multigrid hierarchy is the Galerkin one (2 × 2 cell
// blocks, smoothed prolongators) — that works for any n, e.g. the 64 and 128 DCDM needs.
// Both take 5–6 warm-started PCG iterations a frame; the geometric one is ≈ 2.7× cheaper
// per solve (127²: 2.2 ms, 128²: 5.9 ms; `npm run bench -- fluids`), so 127 or 255 is the
// fastest choice of n for gmg-pcg, 64 or 128 the one DCDM accepts (multiples of 4).
//
// Coordinates: x = column, y = row in image order (row 0 at the top), lengths in box units
// (the box is 1 × 1, h = 1/n), velocities in box units per second. Buoyancy lifts smoke
// towards row 0; the source sits near the bottom.

const SOLVERS = ["gmg-pcg", "dcdm", "cg"];

/** A small seeded generator (mulberry32): the source's flicker is reproducible. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bilinear sample of a field stored on a w × hgt lattice whose point (i, j) sits at
 * (i + ox, j + oy) in cell units. Outside: clamped to the edge (velocity), or 0 with
 * `zeroOutside` (clean air flows in). Convex weights, so samples of a field ≥ 0 stay ≥ 0. */
function sample(f, w, hgt, ox, oy, x, y, zeroOutside) {
  let fx = x - ox,
    fy = y - oy;
  // The lattice's cells cover [ox − ½, w − ½ + ox] × [oy − ½, hgt − ½ + oy]: the box.
  if (zeroOutside && (fx < -0.5 || fy < -0.5 || fx > w - 0.5 || fy > hgt - 0.5)) return 0;
  fx = Math.min(Math.max(fx, 0), w - 1);
  fy = Math.min(Math.max(fy, 0), hgt - 1);
  const i = Math.min(fx | 0, w - 2),
    j = Math.min(fy | 0, hgt - 2);
  const s = fx - i,
    t = fy - j;
  const p = j * w + i;
  return (1 - t) * ((1 - s) * f[p] + s * f[p + 1]) + t * ((1 - s) * f[p + w] + s * f[p + w + 1]);
}

/**
 * A smoke simulation on an n × n MAC grid whose pressure is solved by solvewasm.
 * @param sw the solvewasm namespace (any entry)
 * @param options n (cells per side, ≥ 4), solver ("gmg-pcg" | "dcdm" | "cg"), rtol (of the
 *   pressure solve, relative to ‖b‖), seed, buoyancy (box units/s² per unit of smoke),
 *   vorticity (confinement strength ε, 0 = off), source (smoke per second at the source's centre)
 * @returns { n, density (Float32Array n·n, row-major, row 0 at the top, ≥ 0; the same array
 *   every frame), hierarchy ("geometric" | "galerkin": what gmg-pcg's multigrid is),
 *   solver (getter), step(dt = 1/60) → { frame, iterations, converged, relativeResidual,
 *   solveMs, stepMs, divergenceBefore, divergenceAfter }, setSolver(name), lastSystem()
 *   → { b, x } copies of the last pressure system, dispose() }
 */
export function createSmoke(sw, { n = 128, solver = "gmg-pcg", rtol = 1e-6, seed = 1, buoyancy = 4, vorticity = 0, source = 8 } = {}) {
  if (!Number.isInteger(n) || n < 4) throw new RangeError(`n must be an integer ≥ 4, got ${n}`);
  const { gallery, multigrid, precond, cg, fcd, allocF64 } = sw;
  const h = 1 / n;
  const N = n * n;
  const nu = n + 1; // u: n rows of n + 1 faces; v: n + 1 rows of n faces
  let u = new Float64Array(n * nu),
    v = new Float64Array(nu * n);
  let u2 = new Float64Array(n * nu),
    v2 = new Float64Array(nu * n);
  const density = new Float32Array(N);
  const dTmp = new Float32Array(N);
  const curl = new Float64Array(N); // vorticity confinement's ω (scratch), then its force:
  const fx = new Float64Array(N),
    fy = new Float64Array(N);
  const random = rng(seed);

  // The pressure system, its hierarchy and preconditioners: built once (lazily per solver),
  // reused every frame. b and φ stay in wasm memory: the solver reads them in place.
  const geometric = Number.isInteger(Math.log2(n + 1));
  const A = geometric ? gallery.poisson([n, n]) : gallery.diffusion(1, [n, n]);
  const b = allocF64(N);
  const phi = allocF64(N); // φ = dt·p/(ρh): u −= φ_right − φ_left; kept as the next x0
  phi.array.fill(0);
  let ml, Mgmg, Mdcdm;
  let current;
  let frame = 0;
  let lastDt = 0;

  function setSolver(name) {
    if (!SOLVERS.includes(name)) throw new RangeError(`solver must be one of ${SOLVERS.join(", ")}, got ${name}`);
    if (name === "gmg-pcg" && !Mgmg) {
      ml = multigrid(A); // symmetric red-black (geometric) or symmetric Gauss–Seidel (Galerkin): CG needs an SPD M
      Mgmg = ml.asPreconditioner();
    }
    if (name === "dcdm" && !Mdcdm) Mdcdm = precond.dcdm(A); // the shipped weights; n must be a multiple of 4
    current = name;
  }
  try {
    setSolver(solver);
  } catch (e) {
    // A refused solver (an unknown name; DCDM on a grid that is not a multiple of 4) must
    // not leak what was built before it.
    for (const o of [Mgmg, ml, b, phi, A]) o?.dispose();
    throw e;
  }

  /** Semi-Lagrangian advection (Stam 1999 §3) with a second-order Runge–Kutta backtrace
   * (Bridson 2015 §3.1): q_new(x) = q_old(x − dt·u(x − dt/2·u(x))), in cell units. The
   * departure point goes to bx, by (no allocation per cell). */
  let bx = 0,
    by = 0;
  function backtrace(x, y, s) {
    const ux = sample(u, nu, n, 0, 0.5, x, y, false),
      vy = sample(v, n, nu, 0.5, 0, x, y, false);
    const mx = x - 0.5 * s * ux,
      my = y - 0.5 * s * vy;
    bx = x - s * sample(u, nu, n, 0, 0.5, mx, my, false);
    by = y - s * sample(v, n, nu, 0.5, 0, mx, my, false);
  }

  function advect(dt) {
    const s = dt * n; // box units/s × s → cells
    for (let j = 0; j < n; j++)
      for (let i = 0; i <= n; i++) {
        backtrace(i, j + 0.5, s);
        u2[j * nu + i] = sample(u, nu, n, 0, 0.5, bx, by, false);
      }
    for (let j = 0; j <= n; j++)
      for (let i = 0; i < n; i++) {
        backtrace(i + 0.5, j, s);
        v2[j * n + i] = sample(v, n, nu, 0.5, 0, bx, by, false);
      }
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        backtrace(i + 0.5, j + 0.5, s);
        dTmp[j * n + i] = sample(density, n, n, 0.5, 0.5, bx, by, true);
      }
    density.set(dTmp);
    [u, u2] = [u2, u];
    [v, v2] = [v2, v];
  }

  /** The source: a disc near the bottom adds smoke at a rate that flickers (seeded) per cell. */
  function addSource(dt) {
    const cx = 0.5 * n,
      cy = 0.88 * n,
      r = 0.06 * n;
    for (let j = Math.max(0, Math.floor(cy - r)); j < Math.min(n, Math.ceil(cy + r)); j++)
      for (let i = Math.max(0, Math.floor(cx - r)); i < Math.min(n, Math.ceil(cx + r)); i++) {
        const d2 = ((i + 0.5 - cx) ** 2 + (j + 0.5 - cy) ** 2) / (r * r);
        if (d2 < 1) density[j * n + i] += dt * source * (1 - d2) * (0.5 + random());
      }
  }

  /** Buoyancy on the v faces from the smoke of the two cells they separate (Fedkiw et al.
   * 2001's f = −α·ρ_smoke·ŷ, without temperature): upwards is −y. */
  function addBuoyancy(dt) {
    for (let j = 0; j <= n; j++)
      for (let i = 0; i < n; i++) {
        const above = j > 0 ? density[(j - 1) * n + i] : 0,
          below = j < n ? density[j * n + i] : 0;
        v[j * n + i] -= dt * buoyancy * 0.5 * (above + below);
      }
  }

  /** Vorticity confinement (Fedkiw, Stam & Jensen 2001): f = ε·h·(N × ω), N = ∇|ω|/|∇|ω||,
   * at cell centres from centred velocities, then averaged onto the faces. */
  function addConfinement(dt) {
    const uc = (i, j) => 0.5 * (u[j * nu + i] + u[j * nu + i + 1]);
    const vc = (i, j) => 0.5 * (v[j * n + i] + v[(j + 1) * n + i]);
    const w = curl;
    for (let j = 1; j < n - 1; j++) for (let i = 1; i < n - 1; i++) w[j * n + i] = (vc(i + 1, j) - vc(i - 1, j) - uc(i, j + 1) + uc(i, j - 1)) / (2 * h);
    fx.fill(0);
    fy.fill(0);
    for (let j = 2; j < n - 2; j++)
      for (let i = 2; i < n - 2; i++) {
        const p = j * n + i;
        const gx = (Math.abs(w[p + 1]) - Math.abs(w[p - 1])) / (2 * h),
          gy = (Math.abs(w[p + n]) - Math.abs(w[p - n])) / (2 * h);
        const len = Math.hypot(gx, gy) + 1e-12;
        fx[p] = vorticity * h * (gy / len) * w[p];
        fy[p] = -vorticity * h * (gx / len) * w[p];
      }
    for (let j = 0; j < n; j++) for (let i = 1; i < n; i++) u[j * nu + i] += dt * 0.5 * (fx[j * n + i - 1] + fx[j * n + i]);
    for (let j = 1; j < n; j++) for (let i = 0; i < n; i++) v[j * n + i] += dt * 0.5 * (fy[(j - 1) * n + i] + fy[j * n + i]);
  }

  /** ‖h·div u‖₂ / h: the L2 norm of the discrete divergence (1/s) over the cells; with
   * `into`, also writes b = −h·div u, the projection's right-hand side. */
  function divergence(into) {
    let s = 0;
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const flux = u[j * nu + i + 1] - u[j * nu + i] + v[(j + 1) * n + i] - v[j * n + i];
        if (into) into[j * n + i] = -flux;
        s += flux * flux;
      }
    return Math.sqrt(s) / h;
  }

  /** The projection (Stam 1999 §3; Bridson 2015 ch. 5): A·φ = −h·div u, then u −= ∇φ
   * face by face. D·G = −A exactly on the MAC grid, so h·div u_new = −(b − A·φ): the
   * divergence left is the solve's residual, ≤ rtol·‖b‖. */
  function project(dt) {
    const bv = b.array;
    const divergenceBefore = divergence(bv);
    let bnorm = 0;
    for (let p = 0; p < N; p++) bnorm += bv[p] * bv[p];
    bnorm = Math.sqrt(bnorm);
    // Warm start: φ scales with dt (φ = dt·p/(ρh)), so last frame's φ is rescaled for this dt.
    if (lastDt > 0 && dt !== lastDt) {
      const pv = phi.array;
      for (let p = 0; p < N; p++) pv[p] *= dt / lastDt;
    }
    lastDt = dt;
    const t0 = performance.now();
    const r =
      current === "dcdm" ? fcd(A, b, { k: 2, M: Mdcdm, x0: phi, rtol }) : cg(A, b, current === "gmg-pcg" ? { M: Mgmg, x0: phi, rtol } : { x0: phi, rtol });
    const solveMs = performance.now() - t0;
    const x = r.x;
    phi.array.set(x);
    for (let j = 0; j < n; j++) for (let i = 0; i <= n; i++) u[j * nu + i] -= (i < n ? x[j * n + i] : 0) - (i > 0 ? x[j * n + i - 1] : 0);
    for (let j = 0; j <= n; j++) for (let i = 0; i < n; i++) v[j * n + i] -= (j < n ? x[j * n + i] : 0) - (j > 0 ? x[(j - 1) * n + i] : 0);
    return {
      iterations: r.iterations,
      converged: r.converged,
      relativeResidual: bnorm > 0 ? r.residualNorm / bnorm : 0,
      solveMs,
      divergenceBefore,
      divergenceAfter: divergence(),
    };
  }

  let disposed = false;
  return {
    n,
    density,
    /** Which multigrid hierarchy "gmg-pcg" uses: "geometric" (n = 2^L − 1) or "galerkin". */
    hierarchy: geometric ? "geometric" : "galerkin",
    get solver() {
      return current;
    },
    /** The last projection's system, copied out (b = −h·div u and φ), for checks. */
    lastSystem() {
      return { b: b.array.slice(), x: phi.array.slice() };
    },
    step(dt = 1 / 60) {
      if (disposed) throw new Error("this smoke simulation was disposed");
      const t0 = performance.now();
      advect(dt);
      addSource(dt);
      addBuoyancy(dt);
      if (vorticity > 0) addConfinement(dt);
      const solve = project(dt);
      frame++;
      return { frame, ...solve, stepMs: performance.now() - t0 };
    },
    setSolver,
    dispose() {
      if (disposed) return;
      disposed = true;
      Mdcdm?.dispose?.();
      Mgmg?.dispose?.();
      ml?.dispose();
      b.dispose();
      phi.dispose();
      A.dispose();
    },
  };
}
