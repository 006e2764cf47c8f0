#!/usr/bin/env python3
"""Involution fixtures computed independently of inv: PyTorch's unfold (the official RedNet formulation) and
autograd, in float64, for a few geometries (odd sizes, stride 2, dilation 2, explicit and 'valid' padding,
groups > 1 in both channel layouts). packages/core/test/involution_torch_fixtures.test.ts checks inv's float64
reference and every backend's kernels against them.

Inputs are multiples of 1/64 in [-2, 2): exact in float32, so the kernels get the very inputs the fixture was
computed from, and every product and sum is exact in float64 (outputs compare exactly with the reference).

Usage (from the repository root; the second command gives the files the repository's JSON format):
  /usr/bin/python3 tools/peer/involution_fixtures.py [--out packages/core/test/fixtures/involution_torch]
  npx prettier --write packages/core/test/fixtures/involution_torch
"""
import argparse
import json
import os

import torch
import torch.nn.functional as F

# name, x shape (NHWC), options as inv's involution2d takes them.
CASES = [
    ("odd-sizes-k3-g1", (2, 5, 7, 3), {"kernelSize": 3, "groups": 1}),
    ("stride2-k3-g2", (1, 7, 6, 4), {"kernelSize": 3, "stride": 2, "groups": 2}),
    ("dilation2-k3-g2", (1, 5, 6, 4), {"kernelSize": 3, "dilation": 2, "groups": 2}),
    ("interleaved-g3-pad1-k3", (1, 4, 5, 6), {"kernelSize": 3, "padding": 1, "groups": 3, "groupLayout": "interleaved"}),
    ("valid-k5-s2-d1", (1, 9, 8, 2), {"kernelSize": 5, "stride": 2, "padding": "valid", "groups": 1}),
    ("k2-pad1-s2-d2-g2", (1, 6, 7, 4), {"kernelSize": 2, "stride": 2, "dilation": 2, "padding": 1, "groups": 2}),
]


def pad_of(options):
    k, d = options["kernelSize"], options.get("dilation", 1)
    padding = options.get("padding", "same")
    if padding == "same":
        assert k % 2 == 1, "'same' needs an odd kernel size"
        return d * (k - 1) // 2
    return 0 if padding == "valid" else padding


def quantized(generator, shape):
    """Uniform multiples of 1/64 in [-2, 2), float64."""
    return torch.randint(-128, 128, shape, generator=generator, dtype=torch.int64).to(torch.float64) / 64


def channel_order(c, g, layout):
    """The permutation putting each group's channels together (contiguous order: channel c is in group c // (C/G))."""
    if layout == "contiguous":
        return list(range(c))
    # Interleaved: channel c is in group c % G; group-major order lists group 0's channels first.
    return [gi + n * g for gi in range(g) for n in range(c // g)]


def involution(x_nchw, weight, options):
    """x [B,C,H,W], weight [B,G,K*K,Ho,Wo] -> [B,C,Ho,Wo]: unfold, weight per group, sum over the taps."""
    b, c = x_nchw.shape[:2]
    k, s, d, g = options["kernelSize"], options.get("stride", 1), options.get("dilation", 1), options["groups"]
    order = channel_order(c, g, options.get("groupLayout", "contiguous"))
    grouped = x_nchw[:, order]
    patches = F.unfold(grouped, k, dilation=d, padding=pad_of(options), stride=s)
    ho, wo = weight.shape[3], weight.shape[4]
    patches = patches.view(b, g, c // g, k * k, ho, wo)
    out = (weight.unsqueeze(2) * patches).sum(dim=3).view(b, c, ho, wo)
    inverse = [0] * c
    for position, channel in enumerate(order):
        inverse[channel] = position
    return out[:, inverse]


def extent(n, options):
    k, s, d = options["kernelSize"], options.get("stride", 1), options.get("dilation", 1)
    return (n + 2 * pad_of(options) - d * (k - 1) - 1) // s + 1


def as_array(t, permutation):
    t = t.detach().permute(*permutation).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.flatten().tolist()]}


def fixture(name, shape, options, generator):
    b, h, w, c = shape
    k, g = options["kernelSize"], options["groups"]
    ho, wo = extent(h, options), extent(w, options)
    x = quantized(generator, (b, h, w, c))
    kernel = quantized(generator, (b, ho, wo, k * k, g))
    dy = quantized(generator, (b, ho, wo, c))
    x_nchw = x.permute(0, 3, 1, 2).clone().requires_grad_(True)
    weight = kernel.permute(0, 4, 3, 1, 2).clone().requires_grad_(True)  # [B,G,K*K,Ho,Wo]
    out = involution(x_nchw, weight, options)
    out.backward(dy.permute(0, 3, 1, 2))
    return {
        "name": name,
        "generator": "tools/peer/involution_fixtures.py: PyTorch %s unfold + autograd, float64" % torch.__version__,
        "options": options,
        "x": as_array(x, (0, 1, 2, 3)),
        "kernel": as_array(kernel, (0, 1, 2, 3, 4)),
        "dy": as_array(dy, (0, 1, 2, 3)),
        "out": as_array(out, (0, 2, 3, 1)),
        "dx": as_array(x_nchw.grad, (0, 2, 3, 1)),
        "dkernel": as_array(weight.grad, (0, 3, 4, 2, 1)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="packages/core/test/fixtures/involution_torch")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    generator = torch.Generator().manual_seed(20211)
    for name, shape, options in CASES:
        path = os.path.join(args.out, name + ".json")
        with open(path + ".tmp", "w") as f:
            json.dump(fixture(name, shape, options, generator), f, separators=(",", ":"))
            f.write("\n")
        os.replace(path + ".tmp", path)
        print("%s: %d bytes" % (path, os.path.getsize(path)))


if __name__ == "__main__":
    main()
