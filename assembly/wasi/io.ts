// The command's contact with the outside: memory for its large arrays, files through WASI
// preopened directories, stdin, buffered output, and the one way out on bad input.
import {
  fd_close,
  fd_prestat_dir_name,
  fd_prestat_get,
  fd_read,
  fd_write,
  errno,
  iovec,
  lookupflags,
  oflags,
  path_open,
  poll_oneoff,
  prestat,
  proc_exit,
  rights,
} from "bindings/wasi_snapshot_preview1";
import { dtoa_buffered, MAX_DOUBLE_LENGTH } from "util/number";

// ---- memory ----
// Large arrays (file bytes, triplets, the matrix, vectors) come from pages this file grows
// itself: a failed memory.grow is then an "out of memory" message and exit 2, where the
// allocator of the runtime would trap. The runtime's heap keeps the small objects (argv,
// messages); it must be set up before the first grow here, or it would take these pages.
let arenaTop: usize = 0;
let arenaEnd: usize = 0;

/** Sets up the runtime's heap before any page is taken for large arrays. */
export function initMemory(): void {
  heap.free(heap.alloc(16));
  arenaTop = arenaEnd = (<usize>memory.size()) << 16;
}

/** Makes [arenaTop, arenaTop + bytes) usable, growing memory; exit 2 if it cannot. */
function ensure(bytes: usize, what: string): void {
  // The heap may have grown memory since: the arena restarts past its pages.
  const end = (<usize>memory.size()) << 16;
  if (end != arenaEnd) arenaTop = arenaEnd = end;
  if (bytes <= arenaEnd - arenaTop) return;
  const pages = <i32>((bytes - (arenaEnd - arenaTop) + 0xffff) >> 16);
  if (pages < 0 || memory.grow(pages) < 0) fail(`out of memory: ${what} needs ${bytes} more bytes`);
  arenaEnd = (<usize>memory.size()) << 16;
}

/** `bytes` bytes, 16-byte aligned and zeroed (fresh pages), never freed: the command runs
 * once. `what` names the array in the out-of-memory message. */
export function bigAlloc(bytes: usize, what: string): usize {
  arenaTop = (arenaTop + 15) & ~(<usize>15);
  // Sizes come from counts checked against the input's length, but their products may
  // still pass 4 GiB: refuse before the arithmetic wraps.
  if (bytes >= 0x8000_0000) fail(`out of memory: ${what} needs ${bytes} bytes`);
  ensure(bytes, what);
  const p = arenaTop;
  arenaTop += bytes;
  return p;
}

/** bigAlloc for `count` f64 or i32 elements (at least one, so pointers stay distinct). */
export function allocF64(count: i32, what: string): usize {
  return bigAlloc(<usize>max(count, 1) << 3, what);
}
export function allocI32(count: i32, what: string): usize {
  return bigAlloc(<usize>max(count, 1) << 2, what);
}

// ---- errors ----
// @ts-ignore: decorator
@lazy const PROGRAM = "solvewasm-wasi";

/** Writes one line to stderr. */
export function errorLine(message: string): void {
  const w = new Writer(2);
  w.str(message);
  w.str("\n");
  w.flush();
}

/** Bad input: one line on stderr, exit 2. Never returns. */
export function fail(message: string): void {
  errorLine(`${PROGRAM}: ${message}`);
  proc_exit(2);
}

/** v as JavaScript prints it where that differs from AssemblyScript: 2, not "2.0". */
export function jsNumber(v: f64): string {
  const s = v.toString();
  return s.endsWith(".0") ? s.substring(0, s.length - 2) : s;
}

function errnoText(err: u16): string {
  switch (err) {
    case errno.NOENT: return "no such file or directory";
    case errno.ACCES: return "permission denied";
    case errno.NOTCAPABLE: return "not permitted by the preopened directory's rights";
    case errno.ISDIR: return "is a directory";
    case errno.NOTDIR: return "a path component is not a directory";
    case errno.BADF: return "bad file descriptor";
    case errno.PIPE: return "the reader closed the pipe";
  }
  return `WASI errno ${err}`;
}

// ---- files ----
// A WASI command reaches files only through the directories its host preopened (wasmtime
// --dir, node:wasi `preopens`), each a file descriptor from 3 on with a name. A path is
// opened relative to the preopen whose name is its longest prefix, as wasi-libc does.
let preopenNames: string[] | null = null;
let preopenFds: u32[] = [];
// @ts-ignore: decorator
@lazy const scratch = memory.data(32);

function preopens(): string[] {
  let names = preopenNames;
  if (names) return names;
  names = [];
  for (let fd: u32 = 3; ; fd++) {
    if (fd_prestat_get(fd, changetype<prestat>(scratch)) != errno.SUCCESS) break;
    if (load<u8>(scratch) != 0) continue; // not a directory
    const len = load<u32>(scratch, 4);
    const buf = heap.alloc(max<usize>(len, 1));
    if (fd_prestat_dir_name(fd, buf, len) != errno.SUCCESS) continue;
    let name = String.UTF8.decodeUnsafe(buf, len);
    heap.free(buf);
    // Some hosts count a trailing NUL; a trailing "/" names the same directory.
    while (name.length > 0 && name.charCodeAt(name.length - 1) == 0) name = name.substring(0, name.length - 1);
    while (name.length > 1 && name.endsWith("/")) name = name.substring(0, name.length - 1);
    if (name == ".") name = "";
    else if (name.startsWith("./")) name = name.substring(2);
    names.push(name);
    preopenFds.push(fd);
  }
  preopenNames = names;
  return names;
}

/** The index of the preopen whose name is the longest prefix of `p` (absolute names for
 * an absolute path, relative ones, "." being "", for a relative path), or −1. */
function longestPrefix(names: string[], p: string): i32 {
  const absolute = p.startsWith("/");
  let best = -1, bestLen = -1;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name.startsWith("/") != absolute) continue;
    const matches = name == "" || name == "/" || p == name || p.startsWith(name + "/");
    if (matches && name.length > bestLen) {
      best = i;
      bestLen = name.length;
    }
  }
  return best;
}

/** The preopen that holds `path` (its fd pushed to `dir`) and the path relative to it, or
 * exit 2. A relative path no relative preopen holds is looked up from "/", as wasi-libc
 * does with its default working directory. */
function resolve(path: string, dir: u32[]): string {
  let p = path;
  while (p.startsWith("./")) p = p.substring(2);
  const names = preopens();
  let at = longestPrefix(names, p);
  if (at < 0 && !p.startsWith("/")) {
    p = "/" + p;
    at = longestPrefix(names, p);
  }
  if (at < 0) fail(`${path}: no preopened directory holds this path (give the command one: wasmtime --dir, node:wasi preopens)`);
  dir.push(preopenFds[at]);
  let rel = p.substring(names[at].length);
  while (rel.startsWith("/")) rel = rel.substring(1);
  return rel.length ? rel : ".";
}

/** Opens `path` for reading or for writing (created or truncated); exit 2 if it cannot. */
export function openFile(path: string, write: bool): u32 {
  const dir: u32[] = [];
  const rel = resolve(path, dir);
  const bytes = String.UTF8.encode(rel);
  const err = path_open(
    dir[0],
    lookupflags.SYMLINK_FOLLOW,
    changetype<usize>(bytes),
    bytes.byteLength,
    write ? oflags.CREAT | oflags.TRUNC : 0,
    write ? rights.FD_WRITE : rights.FD_READ,
    0,
    0,
    scratch,
  );
  if (err != errno.SUCCESS) fail(`${path}: cannot open for ${write ? "writing" : "reading"}: ${errnoText(err)}`);
  return load<u32>(scratch);
}

export function closeFile(fd: u32): void {
  fd_close(fd);
}

// Two subscriptions (48 bytes each in the preview1 ABI), two events (32 bytes), a count.
// @ts-ignore: decorator
@lazy const polls = memory.data(2 * 48 + 2 * 32 + 8, 16);

/** Waits until `fd` may be read (or written), or 10 ms. Node's node:wasi does not block
 * on pipes (Deno's does): an empty stdin pipe or a full stdout one gives
 * AGAIN, not a wait. */
function waitReady(fd: u32, write: bool): void {
  memory.fill(polls, 0, 2 * 48);
  store<u8>(polls, write ? 2 : 1, 8); // FD_WRITE or FD_READ
  store<u32>(polls, fd, 16);
  store<u8>(polls + 48, 0, 8); // CLOCK, relative: a bound if the host ignores FD_READ
  store<u32>(polls + 48, 1, 16); // MONOTONIC
  store<u64>(polls + 48, 10_000_000, 24);
  poll_oneoff(polls, polls + 96, 2, polls + 160);
}

/** The bytes read from `fd` to its end, at the returned pointer (length in `lengthOut[0]`).
 * The buffer grows in place at the end of memory: nothing else allocates while it reads. */
export function readAll(fd: u32, name: string, lengthOut: usize[]): usize {
  arenaTop = (arenaTop + 15) & ~(<usize>15);
  ensure(1 << 16, name);
  const start = arenaTop;
  let have: usize = 0;
  const iov = changetype<iovec>(scratch);
  for (;;) {
    if (arenaEnd - (start + have) < 1 << 16) {
      // A quarter more each time: few grows for a large file, little over-reach.
      const more = max<usize>(1 << 20, have >> 2);
      if (have + more >= 0x8000_0000) fail(`${name}: the file is too large`);
      arenaTop = start + have;
      ensure(more, name);
      arenaTop = start;
    }
    iov.buf = start + have;
    iov.buf_len = arenaEnd - (start + have);
    const err = fd_read(fd, scratch, 1, scratch + 8);
    if (err == errno.AGAIN) {
      waitReady(fd, false);
      continue;
    }
    if (err != errno.SUCCESS) fail(`${name}: cannot read: ${errnoText(err)}`);
    const got = load<u32>(scratch, 8);
    if (got == 0) break;
    have += got;
  }
  arenaTop = start + have;
  lengthOut.push(have);
  return start;
}

// ---- output ----
// @ts-ignore: decorator
@lazy const OUT_BYTES: usize = 1 << 16;

/** Buffered UTF-8 output to a file descriptor. */
export class Writer {
  private buf: usize;
  private pos: usize = 0;
  private digits: usize;

  constructor(public fd: u32) {
    this.buf = heap.alloc(OUT_BYTES);
    this.digits = heap.alloc(MAX_DOUBLE_LENGTH << 1);
  }

  private room(bytes: usize): void {
    if (this.pos + bytes > OUT_BYTES) this.flush();
  }

  /** Writes the buffer out; a failed write (a closed pipe, a full disk) is exit 2. */
  flush(): void {
    let at: usize = 0;
    const iov = changetype<iovec>(scratch);
    while (at < this.pos) {
      iov.buf = this.buf + at;
      iov.buf_len = this.pos - at;
      const err = fd_write(this.fd, scratch, 1, scratch + 8);
      if (err == errno.AGAIN) {
        waitReady(this.fd, true);
        continue;
      }
      if (err != errno.SUCCESS) {
        this.pos = 0;
        if (this.fd == 2) proc_exit(2); // nowhere left to say so
        fail(`cannot write the output: ${errnoText(err)}`);
      }
      at += load<u32>(scratch, 8);
    }
    this.pos = 0;
  }

  str(s: string): void {
    const bytes = <usize>String.UTF8.byteLength(s);
    if (bytes > OUT_BYTES) {
      // Longer than the buffer (no message is): through it in pieces.
      const b = String.UTF8.encode(s);
      for (let at: usize = 0, len = <usize>b.byteLength; at < len; ) {
        const k = min(OUT_BYTES - this.pos, len - at);
        memory.copy(this.buf + this.pos, changetype<usize>(b) + at, k);
        this.pos += k;
        at += k;
        if (this.pos == OUT_BYTES) this.flush();
      }
      return;
    }
    this.room(bytes);
    this.pos += String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, this.buf + this.pos);
  }

  /** A decimal that reads back to the same f64: AssemblyScript's dtoa (Grisu2, at most 17
   * significant digits and nearly always the shortest; 1 prints as "1.0", large and small
   * values with e±, as JavaScript's Number#toString). */
  f64(v: f64): void {
    const len = <usize>dtoa_buffered(this.digits, v);
    this.room(len);
    for (let i: usize = 0; i < len; i++) store<u8>(this.buf + this.pos + i, <u8>load<u16>(this.digits + (i << 1)));
    this.pos += len;
  }

  i32(v: i32): void {
    this.str(v.toString());
  }
}
