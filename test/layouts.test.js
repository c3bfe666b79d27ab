// The boundary layouts (scripts/layouts.mjs): every structure's offsets as the schema
// computes them (and the bindings use) against the AssemblyScript compiler's offsetof, and
// every field written by wasm through its class and read back at the schema's offset.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { allocF64, raw } from "solvewasm";
import { enums, layout } from "../scripts/layouts.mjs";

const t = suite("boundary layouts");
const structs = Object.values(layout());

t("every field's offset and every structure's size agree with the compiler's offsetof", () => {
  raw((ex) => {
    structs.forEach((s, i) => {
      s.fields.forEach((f, j) => assert.is(ex.layoutOffset(i, j), f.offset, `${s.name}.${f.name}`));
      assert.ok(ex.layoutOffset(i, -1) >= s.bytes, `${s.name}: size ${ex.layoutOffset(i, -1)} < ${s.bytes}`);
    });
  });
});

t("a probe written by wasm through each class reads back field by field at the schema's offsets", () => {
  for (const [i, s] of structs.entries()) {
    const buf = allocF64(Math.ceil(s.bytes / 8) + 1);
    try {
      buf.array.fill(0);
      raw((ex) => ex.layoutProbe(i, buf.ptr));
      const view = new DataView(buf.array.buffer, buf.ptr, s.bytes);
      s.fields.forEach((f, j) => {
        const read = {
          i8: () => view.getInt8(f.offset),
          i32: () => view.getInt32(f.offset, true),
          ptr: () => view.getUint32(f.offset, true),
          f64: () => view.getFloat64(f.offset, true),
        }[f.type];
        assert.is(read(), j + 1, `${s.name}.${f.name} (${f.type} at ${f.offset})`);
      });
    } finally {
      buf.dispose();
    }
  }
});

t("tags are distinct within each enum", () => {
  for (const [name, values] of Object.entries(enums)) {
    const v = Object.values(values);
    assert.is(new Set(v).size, v.length, name);
  }
});

t.run();
