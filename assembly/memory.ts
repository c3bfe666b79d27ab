// Buffers for numeric data live in the TLSF heap of the `minimal` runtime and are never
// seen by the garbage collector: the TypeScript layer owns them through handles.

/** Allocates `bytes` bytes, 16-byte aligned and uninitialised; returns the byte offset. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Returns a block from `alloc` to the heap. */
export function free(ptr: usize): void {
  heap.free(ptr);
}

/** First byte past the static data: the heap (and its bookkeeping) starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 when this module was compiled with SIMD, 0 for the scalar fallback. */
export function hasSimd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
