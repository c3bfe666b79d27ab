// Unstructured test matrices for the multigrid bench: the P1 finite-element stiffness matrix
// of −Δ on a tetrahedral mesh of the unit cube, deterministic. The cube is cut into m³ cubes
// of side h = 1/m, each split into the 6 Kuhn (Freudenthal) tetrahedra around its main
// diagonal, which fit across neighbouring cubes; every interior vertex is then moved by a
// seeded pseudo-random offset in [−jitter·h, jitter·h) per coordinate (boundary vertices
// stay, so the cube stays the cube). At 0.25 h that inverts a few dozen tetrahedra and
// flattens a few hundred more, so the offsets of their vertices are halved until every
// tetrahedron keeps at least a tenth of its regular volume (947 of 250 047 vertices at m = 64,
// 108 of 29 791 at m = 32). Dirichlet boundary: boundary vertices are eliminated,
// leaving (m − 1)³ unknowns. After the jitter the diagonal-edge entries, zero on the regular
// mesh (where the matrix is the 7-point Laplacian times h), become small and of either sign:
// the matrix is no M-matrix and has no grid structure a solver could use.
//
// Checked as it is built (assertions): every tetrahedron has positive volume and the
// volumes sum to 1; every row of the full (Neumann) matrix sums to 0 (constants are in the
// kernel, which checks the element gradients); the result is exactly symmetric with a
// positive diagonal.

/** The 6 Kuhn tetrahedra of the unit cube: corner bit masks (x = 1, y = 2, z = 4). */
const KUHN = [
  [1, 2, 4],
  [1, 4, 2],
  [2, 1, 4],
  [2, 4, 1],
  [4, 1, 2],
  [4, 2, 1],
].map(([a, b, c]) => [0, a, a | b, a | b | c]);
/** Orientation of each: +1 for an even permutation of the axes, −1 for an odd one. */
const KUHN_SIGN = KUHN.map(([, a, ab]) => {
  const first = Math.log2(a),
    second = Math.log2(ab ^ a);
  return (second - first + 3) % 3 === 1 ? 1 : -1;
});

/** Neighbour offsets of the Freudenthal triangulation: 0 and ±every nonempty sum of distinct unit vectors. */
const OFFSETS = [];
for (let dz = -1; dz <= 1; dz++)
  for (let dy = -1; dy <= 1; dy++)
    for (let dx = -1; dx <= 1; dx++) {
      const nz = [dx, dy, dz].filter((d) => d !== 0);
      if (nz.every((d) => d === nz[0])) OFFSETS.push([dx, dy, dz]); // 15: self, 6 axes, 6 face and 2 body diagonals
    }
const SLOT = new Int8Array(27).fill(-1);
OFFSETS.forEach(([dx, dy, dz], s) => {
  SLOT[(dz + 1) * 9 + (dy + 1) * 3 + dx + 1] = s;
});

function assert(ok, what) {
  if (!ok) throw new Error(`meshes.js: ${what}`);
}

/**
 * The stiffness matrix of the jittered Kuhn mesh with m cubes per axis, as sorted CSR arrays
 * over the (m − 1)³ interior vertices (x fastest), plus mesh facts.
 * @param {number} m cubes per axis (≥ 2)
 * @param {{ jitter?: number, seed?: number }} [options] jitter as a fraction of h (default 0.25)
 */
export function kuhnLaplacian(m, { jitter = 0.25, seed = 20240611 } = {}) {
  const V = m + 1,
    h = 1 / m;
  const nv = V * V * V;
  const xyz = new Float64Array(3 * nv);
  const base = (v, c) => (c === 0 ? v % V : c === 1 ? Math.floor(v / V) % V : Math.floor(v / (V * V))) * h;
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  for (let k = 0; k < V; k++)
    for (let j = 0; j < V; j++)
      for (let i = 0; i < V; i++) {
        const v = (k * V + j) * V + i;
        const interior = i > 0 && i < m && j > 0 && j < m && k > 0 && k < m;
        xyz[3 * v] = i * h;
        xyz[3 * v + 1] = j * h;
        xyz[3 * v + 2] = k * h;
        if (interior) for (let c = 0; c < 3; c++) xyz[3 * v + c] += (2 * rand() - 1) * jitter * h;
      }

  const corner = (v, mask) => v + (mask & 1) + (mask & 2 ? V : 0) + (mask & 4 ? V * V : 0);
  const vs = new Int32Array(4);
  const e = new Float64Array(9);
  /** Loads tetrahedron t of the cube at v0 into vs and its edge vectors into e; returns det [x1−x0, x2−x0, x3−x0]. */
  const load = (v0, t) => {
    for (let a = 0; a < 4; a++) vs[a] = corner(v0, KUHN[t][a]);
    for (let a = 0; a < 3; a++) for (let c = 0; c < 3; c++) e[3 * a + c] = xyz[3 * vs[a + 1] + c] - xyz[3 * vs[0] + c];
    return e[0] * (e[4] * e[8] - e[5] * e[7]) - e[1] * (e[3] * e[8] - e[5] * e[6]) + e[2] * (e[3] * e[7] - e[4] * e[6]);
  };
  const cubes = (f) => {
    for (let k = 0; k < m; k++) for (let j = 0; j < m; j++) for (let i = 0; i < m; i++) for (let t = 0; t < 6; t++) f((k * V + j) * V + i, t);
  };

  // A jitter of 0.25 h inverts a few tetrahedra (24 of 1.57 M at m = 64) and flattens a few
  // hundred more: halve the offsets of their vertices until every volume is ≥ MIN_QUALITY of
  // the regular h³/6.
  const MIN_QUALITY = 0.1;
  const offsets = new Float64Array(3 * nv);
  for (let v = 0; v < nv; v++) for (let c = 0; c < 3; c++) offsets[3 * v + c] = xyz[3 * v + c] - base(v, c);
  const moved = new Uint8Array(nv);
  let repaired = 0;
  for (let pass = 0; ; pass++) {
    assert(pass < 40, "could not repair the jittered mesh");
    const bad = new Uint8Array(nv);
    let any = false;
    cubes((v0, t) => {
      if ((KUHN_SIGN[t] * load(v0, t)) / 6 < (MIN_QUALITY * h * h * h) / 6) {
        any = true;
        for (let a = 0; a < 4; a++) bad[vs[a]] = 1;
      }
    });
    if (!any) break;
    for (let v = 0; v < nv; v++) {
      if (!bad[v]) continue;
      if (!moved[v]) repaired++;
      moved[v] = 1;
      for (let c = 0; c < 3; c++) {
        offsets[3 * v + c] /= 2;
        xyz[3 * v + c] = base(v, c) + offsets[3 * v + c];
      }
    }
  }

  // Full matrix over all vertices, 15 slots a row (OFFSETS order).
  const K = new Float64Array(15 * nv);
  const g = new Float64Array(12);
  let volume = 0,
    volumeError = 0, // Neumaier's compensation: 1.6 M terms would otherwise lose ~1e-11
    minVolume = Infinity;
  cubes((v0, t) => {
    const det = load(v0, t);
    const vol = (KUHN_SIGN[t] * det) / 6;
    minVolume = Math.min(minVolume, vol);
    const sum = volume + vol;
    volumeError += Math.abs(volume) >= Math.abs(vol) ? volume - sum + vol : vol - sum + volume;
    volume = sum;
    // The gradients of λ1..λ3 are the rows of J⁻¹ = (e2 × e3, e3 × e1, e1 × e2) / det; λ0's is minus their sum.
    for (let a = 0; a < 3; a++) {
      const p = 3 * ((a + 1) % 3),
        q = 3 * ((a + 2) % 3);
      g[3 * (a + 1)] = (e[p + 1] * e[q + 2] - e[p + 2] * e[q + 1]) / det;
      g[3 * (a + 1) + 1] = (e[p + 2] * e[q] - e[p] * e[q + 2]) / det;
      g[3 * (a + 1) + 2] = (e[p] * e[q + 1] - e[p + 1] * e[q]) / det;
    }
    for (let c = 0; c < 3; c++) g[c] = -(g[3 + c] + g[6 + c] + g[9 + c]);
    const tet = KUHN[t];
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) {
        const dot = g[3 * a] * g[3 * b] + g[3 * a + 1] * g[3 * b + 1] + g[3 * a + 2] * g[3 * b + 2];
        const da = tet[a],
          db = tet[b];
        const slot = SLOT[(((db >> 2) & 1) - ((da >> 2) & 1) + 1) * 9 + (((db >> 1) & 1) - ((da >> 1) & 1) + 1) * 3 + (db & 1) - (da & 1) + 1];
        assert(slot >= 0, "an element couples vertices outside the Freudenthal stencil");
        K[15 * vs[a] + slot] += vol * dot;
      }
  });
  assert(minVolume > 0, `a tetrahedron is inverted or flat (volume ${minVolume})`);
  volume += volumeError;
  assert(Math.abs(volume - 1) < 1e-12, `the tetrahedra's volumes sum to ${volume}, not 1`);

  // Keep the interior rows and columns: Dirichlet elimination.
  const mi = m - 1,
    n = mi * mi * mi;
  const index = (i, j, k) => (i > 0 && i < m && j > 0 && j < m && k > 0 && k < m ? ((k - 1) * mi + (j - 1)) * mi + (i - 1) : -1);
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(15 * n);
  const data = new Float64Array(15 * n);
  // OFFSETS is ordered by (dz, dy, dx), which is column order in x-fastest numbering.
  let q = 0;
  for (let k = 1; k < m; k++)
    for (let j = 1; j < m; j++)
      for (let i = 1; i < m; i++) {
        const v = (k * V + j) * V + i;
        let rowSum = 0,
          scale = 0;
        for (let sl = 0; sl < 15; sl++) {
          const [dx, dy, dz] = OFFSETS[sl];
          const val = K[15 * v + sl];
          rowSum += val;
          scale += Math.abs(val);
          const c = index(i + dx, j + dy, k + dz);
          if (c >= 0) {
            indices[q] = c;
            data[q++] = val;
          }
        }
        assert(Math.abs(rowSum) <= 1e-12 * scale, `row ${index(i, j, k)} of the Neumann matrix sums to ${rowSum}, not 0`);
        indptr[index(i, j, k) + 1] = q;
      }
  const A = { rows: n, cols: n, indptr, indices: indices.slice(0, q), data: data.slice(0, q) };
  checkSymmetric(A);
  return { ...A, vertices: nv, tetrahedra: 6 * m * m * m, minQuality: (6 * minVolume) / (h * h * h), repaired };
}

/** Exact symmetry (the element matrices are symmetric and summed in the same order) and a positive diagonal. */
function checkSymmetric({ rows, indptr, indices, data }) {
  const find = (r, c) => {
    let lo = indptr[r],
      hi = indptr[r + 1] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (indices[mid] === c) return data[mid];
      if (indices[mid] < c) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  for (let r = 0; r < rows; r++) {
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      if (p > indptr[r]) assert(indices[p] > indices[p - 1], `row ${r} is not sorted`);
      const c = indices[p];
      if (c === r) assert(data[p] > 0, `diagonal entry ${r} is ${data[p]}`);
      else assert(find(c, r) === data[p], `entry (${r}, ${c}) = ${data[p]} but (${c}, ${r}) = ${find(c, r)}`);
    }
  }
}

/** Matrix Market text (coordinate real symmetric: the lower triangle, 1-based) of sorted CSR arrays;
 * values in JavaScript's shortest round-trip form, so a C strtod reads back the same f64. */
export function toMatrixMarket({ rows, indptr, indices, data }, comment) {
  const out = ["%%MatrixMarket matrix coordinate real symmetric"];
  for (const line of comment.split("\n")) out.push(`% ${line}`);
  let count = 0;
  for (let r = 0; r < rows; r++) for (let p = indptr[r]; p < indptr[r + 1]; p++) if (indices[p] <= r) count++;
  out.push(`${rows} ${rows} ${count}`);
  for (let r = 0; r < rows; r++) for (let p = indptr[r]; p < indptr[r + 1]; p++) if (indices[p] <= r) out.push(`${r + 1} ${indices[p] + 1} ${data[p]}`);
  out.push("");
  return out.join("\n");
}
