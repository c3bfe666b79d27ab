// Baselines for `npm run bench -- elementary`: AssemblyScript's own scalar Mathf.exp and
// Mathf.log (the musl/ARM table algorithms) over a batch, as a user would call them.

/** y ← Mathf.exp(x) over n f32. */
export function expfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) store<f32>(py + (<usize>i << 2), Mathf.exp(load<f32>(px + (<usize>i << 2))));
}

/** y ← Mathf.log(x) over n f32. */
export function logfMathf(n: i32, px: usize, py: usize): void {
  for (let i = 0; i < n; i++) store<f32>(py + (<usize>i << 2), Mathf.log(load<f32>(px + (<usize>i << 2))));
}
