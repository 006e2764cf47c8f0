#!/usr/bin/env python3
"""involution_cupy.py's CUDA kernels compiled as C and run on the CPU: a check that needs no GPU.

Each kernel's body runs once per index i in a plain loop (gcc; `blockIdx`, `blockDim`, `threadIdx` defined so
that the global index is i). The forward pass is compared with the definition in float64 (numpy); the two
gradients through the adjoint identities <y(x, w), dy> = <x, dx(dy, w)> = <w, dw(dy, x)>, exact for an op
linear in each input. Prints one JSON line per shape: the forward's max error and the identities' relative
gaps. Usage: involution_cupy_cpu_check.py [--seed N]
"""
import argparse
import ctypes
import json
import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np

SHAPES = [(2, 4, 5, 6, 3, 2), (1, 6, 4, 4, 7, 3), (2, 3, 5, 5, 3, 1), (1, 8, 3, 9, 5, 4)]
KERNELS = ("forward", "input_grad", "kernel_grad")


def compile_kernels(folder):
    source = Path(__file__).with_name("involution_cupy.py").read_text()
    cuda = re.search(r'SOURCE = r"""(.*?)"""', source, re.S).group(1)
    c = "#define __global__\nstatic long g_i;\nstruct D { long x; };\n"
    c += "#define blockIdx ((struct D){0})\n#define blockDim ((struct D){1})\n#define threadIdx ((struct D){g_i})\n"
    c += cuda.replace('extern "C" __global__ void ', "void kernel_")
    for name in KERNELS:
        c += (
            f"\nvoid run_{name}(const float* a, const float* b, float* out, long n, int B, int C, int H, int W,"
            f" int K, int G) {{ for (g_i = 0; g_i < n; g_i++) kernel_{name}(a, b, out, B, C, H, W, K, G); }}\n"
        )
    (folder / "kernels.c").write_text(c)
    subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-o", folder / "kernels.so", folder / "kernels.c"], check=True)
    return ctypes.CDLL(str(folder / "kernels.so"))


def reference(x, w, k, g):
    b, c, h, wd = x.shape
    pad = (k - 1) // 2
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    y = np.zeros(x.shape)
    for ch in range(c):
        for t in range(k * k):
            y[:, ch] += w[:, ch // (c // g), t].astype(np.float64) * xp[:, ch, t // k : t // k + h, t % k : t % k + wd]
    return y


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        lib = compile_kernels(Path(folder))
        for shape in SHAPES:
            b, c, h, wd, k, g = shape
            x = rng.standard_normal((b, c, h, wd)).astype(np.float32)
            w = rng.standard_normal((b, g, k * k, h, wd)).astype(np.float32)
            dy = rng.standard_normal((b, c, h, wd)).astype(np.float32)

            def run(name, first, second, out):
                pointers = [a.ctypes.data_as(ctypes.c_void_p) for a in (first, second, out)]
                getattr(lib, f"run_{name}")(*pointers, ctypes.c_long(out.size), *(ctypes.c_int(d) for d in shape))
                return out.astype(np.float64)

            y = run("forward", x, w, np.empty_like(x))
            dx = run("input_grad", dy, w, np.empty_like(x))
            dw = run("kernel_grad", dy, x, np.empty_like(w))
            ref = reference(x, w, k, g)
            inner = float((ref * dy).sum())
            print(json.dumps({
                "seed": args.seed,
                "shape": dict(zip(("B", "C", "H", "W", "K", "G"), shape)),
                "forwardMaxError": float(np.abs(y - ref).max()),
                "forwardScale": float(np.abs(ref).max()),
                "inputGradientGap": abs(float((x * dx).sum()) - inner) / abs(inner),
                "kernelGradientGap": abs(float((w * dw).sum()) - inner) / abs(inner),
            }))


if __name__ == "__main__":
    main()
