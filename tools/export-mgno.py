#!/usr/bin/env python3
"""Exports a PyTorch MgNO_DC (xlliu2017/MgNO models.py) state_dict as a solvewasm weight file.

    python3 tools/export-mgno.py model.pt mgno.swnn --channels 24 --layers 4 \
        --levels "1,0 1,0 1,0 1,0 1,0 2,0" [--grid cell] [--input-scale S --input-shift T --output-scale U]

`model.pt` is `torch.save(model.state_dict())` (or a whole pickled model) of MgNO_DC with
use_res=False, as the reference's darcy.py trains it. Its tensors keep their state_dict
names and shapes, which are what `learned.mgno` reads (bindings/learned/mgno.ts), and go
into the format of bindings/learned/weights.ts: "SWNN", u32 version 1, u32 header length,
the JSON header, zero padding to 4 bytes, then every tensor as little-endian float32.

The reference pads stride-2 convs by 1 and uses ConvTranspose2d(4, 2, padding=1) without
output_padding, so its grids are cell-centred (sizes divisible by 2^(levels-1)): export with
--grid cell (the default). Its input and output normalisers (utilities3.UnitGaussianNormalizer)
are per pixel; solvewasm takes one affine map, so give their means as --input-scale,
--input-shift and --output-scale, or fold them into the first and last layers yourself.
GELU: solvewasm's is the tanh form (PyTorch's nn.GELU(approximate="tanh")); the reference
uses nn.GELU(), the erf form, which differs by up to 4.7e-4 per activation, so train with
approximate="tanh" to reproduce a model exactly. Not needed by the tests, which load a JSON
fixture of the same names (test/fixtures/).
"""
import argparse
import json
import struct
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("state_dict")
    p.add_argument("out")
    p.add_argument("--channels", type=int, required=True)
    p.add_argument("--in-channels", type=int, default=1)
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--levels", required=True, help='[pre,post] per level, finest first: "1,0 1,0 2,0"')
    p.add_argument("--grid", choices=["cell", "vertex"], default="cell")
    p.add_argument("--padding", default="zeros")
    p.add_argument("--input-scale", type=float, default=1.0)
    p.add_argument("--input-shift", type=float, default=0.0)
    p.add_argument("--output-scale", type=float, default=1.0)
    a = p.parse_args()

    import torch  # Debian: python3-torch

    # weights_only=False: a whole pickled model needs it since torch 2.6 (trust the file).
    sd = torch.load(a.state_dict, map_location="cpu", weights_only=False)
    if hasattr(sd, "state_dict"):
        sd = sd.state_dict()
    tensors = [(k, v.detach().to(torch.float32).contiguous()) for k, v in sd.items() if v.dtype.is_floating_point]
    config = {
        "channels": a.channels,
        "inChannels": a.in_channels,
        "layers": a.layers,
        "levels": [[int(x) for x in pair.split(",")] for pair in a.levels.split()],
        "grid": a.grid,
        "padding": a.padding,
        "residualRestriction": False,
        "activation": "gelu",
        "parallel": True,
        "inputScale": a.input_scale,
        "inputShift": a.input_shift,
        "outputScale": a.output_scale,
    }
    header = json.dumps(
        {
            "model": "mgno",
            "config": config,
            "tensors": [{"name": k, "shape": list(v.shape)} for k, v in tensors],
            "provenance": {"exporter": "tools/export-mgno.py", "source": a.state_dict},
        }
    ).encode("utf-8")
    with open(a.out, "wb") as f:
        f.write(b"SWNN" + struct.pack("<II", 1, len(header)) + header)
        f.write(b"\0" * ((-(12 + len(header))) % 4))
        for _, v in tensors:
            f.write(v.numpy().astype("<f4").tobytes())
    print(f"wrote {a.out}: {len(tensors)} tensors, {sum(v.numel() for _, v in tensors)} parameters", file=sys.stderr)


if __name__ == "__main__":
    main()
