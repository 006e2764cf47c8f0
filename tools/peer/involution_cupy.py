#!/usr/bin/env python3
"""The official involution CUDA kernel's algorithm, in CuPy: the GPU peer of inv's fused op.

d-li14/involution ships CuPy kernels (cuda/involution_cuda.py) that run one thread per output element: the
forward pass a thread per y[n,c,h,w] summing its K*K taps, the input gradient a thread per dx[n,c,h,w] summing
the taps of every output whose window covers it, the kernel gradient a thread per dw[n,g,k,h,w] summing over
the group's channels. These are that algorithm, written here from the paper's definition (stride 1,
dilation 1, 'same' padding, NCHW, float32), not that code. Each kernel's result is checked against the
unfold-based op of involution_torch.py on the same GPU before it is timed.

Timing as involution_torch.py: raw per-repeat milliseconds as JSON, each repeat ended by a device sync;
"forward+backward" is the forward pass and both gradients (the work a training step's op does).

Usage: involution_cupy.py --case NAME,B,H,W,C,K,G [--case ...] [--warmup N] [--repeats N]
"""
import argparse
import json
import platform
import sys

import cupy as cp

from involution_torch import MODES, parse_case, time_samples

THREADS = 256

SOURCE = r"""
// x [B,C,H,W], w [B,G,K*K,H,W], y and dy [B,C,H,W]; channels c belong to group c / (C/G).
extern "C" __global__ void forward(const float* x, const float* w, float* y,
                                   int B, int C, int H, int W, int K, int G) {
  long i = blockIdx.x * (long)blockDim.x + threadIdx.x;
  if (i >= (long)B * C * H * W) return;
  int wo = i % W, ho = (i / W) % H, c = (i / ((long)W * H)) % C, n = i / ((long)W * H * C);
  int g = c / (C / G), pad = (K - 1) / 2;
  const float* xp = x + ((long)n * C + c) * H * W;
  const float* wp = w + ((long)n * G + g) * K * K * H * W + ho * W + wo;
  float sum = 0.f;
  for (int kh = 0; kh < K; kh++) {
    int hi = ho + kh - pad;
    if (hi < 0 || hi >= H) continue;
    for (int kw = 0; kw < K; kw++) {
      int wi = wo + kw - pad;
      if (wi < 0 || wi >= W) continue;
      sum += wp[(long)(kh * K + kw) * H * W] * xp[hi * W + wi];
    }
  }
  y[i] = sum;
}

extern "C" __global__ void input_grad(const float* dy, const float* w, float* dx,
                                      int B, int C, int H, int W, int K, int G) {
  long i = blockIdx.x * (long)blockDim.x + threadIdx.x;
  if (i >= (long)B * C * H * W) return;
  int wi = i % W, hi = (i / W) % H, c = (i / ((long)W * H)) % C, n = i / ((long)W * H * C);
  int g = c / (C / G), pad = (K - 1) / 2;
  const float* dyp = dy + ((long)n * C + c) * H * W;
  const float* wp = w + ((long)n * G + g) * K * K * H * W;
  float sum = 0.f;
  for (int kh = 0; kh < K; kh++) {
    int ho = hi - kh + pad;
    if (ho < 0 || ho >= H) continue;
    for (int kw = 0; kw < K; kw++) {
      int wo = wi - kw + pad;
      if (wo < 0 || wo >= W) continue;
      sum += wp[(long)(kh * K + kw) * H * W + ho * W + wo] * dyp[ho * W + wo];
    }
  }
  dx[i] = sum;
}

extern "C" __global__ void kernel_grad(const float* dy, const float* x, float* dw,
                                       int B, int C, int H, int W, int K, int G) {
  long i = blockIdx.x * (long)blockDim.x + threadIdx.x;
  if (i >= (long)B * G * K * K * H * W) return;
  int wo = i % W, ho = (i / W) % H, k = (i / ((long)W * H)) % (K * K), g = (i / ((long)W * H * K * K)) % G;
  int n = i / ((long)W * H * K * K * G);
  int pad = (K - 1) / 2, hi = ho + k / K - pad, wi = wo + k % K - pad, cpg = C / G;
  float sum = 0.f;
  if (hi >= 0 && hi < H && wi >= 0 && wi < W) {
    for (int c = g * cpg; c < (g + 1) * cpg; c++) {
      long plane = ((long)n * C + c) * H * W;
      sum += dy[plane + ho * W + wo] * x[plane + hi * W + wi];
    }
  }
  dw[i] = sum;
}
"""

MODULE = cp.RawModule(code=SOURCE)
KERNELS = {name: MODULE.get_function(name) for name in ("forward", "input_grad", "kernel_grad")}


def launch(name, outputs, *args):
    blocks = (outputs + THREADS - 1) // THREADS
    KERNELS[name]((blocks,), (THREADS,), args)


def involution_ops(case):
    """The case's inputs on the GPU and the three ops over them (each allocating its output)."""
    b, h, w, c, k, g = (case[key] for key in ("batch", "height", "width", "channels", "kernelSize", "groups"))
    if c % g != 0 or k % 2 == 0:
        raise SystemExit(f"case {case['name']}: channels must divide into groups and K be odd")
    rng = cp.random.default_rng(0)
    x = rng.standard_normal((b, c, h, w), dtype=cp.float32)
    weight = rng.standard_normal((b, g, k * k, h, w), dtype=cp.float32)
    dy = rng.standard_normal((b, c, h, w), dtype=cp.float32)
    dims = tuple(cp.int32(d) for d in (b, c, h, w, k, g))

    def forward():
        y = cp.empty_like(x)
        launch("forward", y.size, x, weight, y, *dims)
        return y

    def input_grad():
        dx = cp.empty_like(x)
        launch("input_grad", dx.size, dy, weight, dx, *dims)
        return dx

    def kernel_grad():
        dw = cp.empty_like(weight)
        launch("kernel_grad", dw.size, dy, x, dw, *dims)
        return dw

    return (x, weight, dy), (forward, input_grad, kernel_grad)


def check(case, inputs, ops):
    """Each kernel against the unfold-based op and autograd on the same GPU (float32 both: a relative bound)."""
    import torch

    from involution_torch import involution

    x, weight, dy = (torch.as_tensor(a, device="cuda").requires_grad_(True) for a in inputs)
    y = involution(x, weight, case["kernelSize"], case["groups"])
    y.backward(dy)
    for name, ours, theirs in zip(("forward", "input gradient", "kernel gradient"), ops, (y, x.grad, weight.grad)):
        got = torch.as_tensor(ours(), device="cuda")
        error = ((got - theirs).abs().max() / theirs.abs().max().clamp_min(1e-30)).item()
        if error > 1e-5:
            raise SystemExit(f"case {case['name']}: the CuPy {name} differs from PyTorch's by {error:.2e} (relative)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=parse_case, action="append", required=True)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--no-check", action="store_true", help="skip the check against PyTorch")
    args = parser.parse_args()
    results = []
    for case in args.case:
        inputs, (forward, input_grad, kernel_grad) = involution_ops(case)
        if not args.no_check:
            check(case, inputs, (forward, input_grad, kernel_grad))
        runs = {"forward": forward, "forward+backward": lambda: (forward(), input_grad(), kernel_grad())}
        for mode in args.modes.split(","):
            samples = time_samples(runs[mode], args.warmup, args.repeats, cp.cuda.Device().synchronize)
            results.append({"case": case["name"], "mode": mode, "shape": case, "samplesMs": samples})
    device = cp.cuda.runtime.getDeviceProperties(cp.cuda.Device().id)["name"].decode()
    environment = {
        "python": platform.python_version(),
        "cupy": cp.__version__,
        "implementation": "one thread per output element (the official CuPy kernels' algorithm)",
        "device": device,
    }
    json.dump({"environment": environment, "results": results}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
