// The coarsest level's direct solve: L·Lᵀ·x = b with a dense lower factor L (row-major,
// n × n) that the TypeScript side computed.

/** x ← (L·Lᵀ)⁻¹·b for the n × n factor at pl. */
export function denseCholeskySolve(pl: usize, n: i32, pb: usize, px: usize): void {
  for (let i = 0; i < n; i++) {
    let s = load<f64>(pb + (<usize>i << 3));
    for (let k = 0; k < i; k++) s -= load<f64>(pl + (<usize>(i * n + k) << 3)) * load<f64>(px + (<usize>k << 3));
    store<f64>(px + (<usize>i << 3), s / load<f64>(pl + (<usize>(i * n + i) << 3)));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = load<f64>(px + (<usize>i << 3));
    for (let k = i + 1; k < n; k++) s -= load<f64>(pl + (<usize>(k * n + i) << 3)) * load<f64>(px + (<usize>k << 3));
    store<f64>(px + (<usize>i << 3), s / load<f64>(pl + (<usize>(i * n + i) << 3)));
  }
}
