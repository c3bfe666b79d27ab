// Reads uvu's closing block ("Total: N", "Passed: N", "Skipped: N") from captured output.
export function stripAnsi(text) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is the character it strips (ANSI colour codes)
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** { total, passed, skipped, failed } from uvu's output, or null if it never finished. */
export function parseUvu(text) {
  const plain = stripAnsi(text);
  const total = /Total:\s+(\d+)/.exec(plain);
  const passed = /Passed:\s+(\d+)/.exec(plain);
  const skipped = /Skipped:\s+(\d+)/.exec(plain);
  if (!total || !passed) return null;
  const t = Number(total[1]),
    p = Number(passed[1]),
    s = Number(skipped?.[1] ?? 0);
  return { total: t, passed: p, skipped: s, failed: t - p - s };
}
