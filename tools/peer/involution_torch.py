#!/usr/bin/env python3
"""The PyTorch peer of @inv/bench: the official unfold-based involution op, timed like the inv cases.

The op is the one in the official RedNet code (d-li14/involution, the mmcv-free PyTorch version):
unfold x into K*K patches, view them per group, multiply by the per-pixel kernel and sum over the K*K taps.
Only the op is timed (the kernel is an input, not generated), NCHW as PyTorch expects, stride 1, 'same'
padding. Raw per-repeat times are printed as JSON; the bench computes the statistics, so inv and the peer
share one definition of median/min/max.

Usage: involution_torch.py --case NAME,B,H,W,C,K,G [--case ...] [--warmup N] [--min-warmup-ms MS] [--repeats N] [--threads N]
                           [--device cpu|cuda]
"""
import argparse
import json
import platform
import resource
import sys
import time

import torch
import torch.nn.functional as F

MODES = ("forward", "forward+backward")


def involution(x, weight, kernel_size, groups):
    """Official RedNet involution op: x [B,C,H,W], weight [B,G,K*K,H,W] -> [B,C,H,W]."""
    b, c, h, w = x.shape
    pad = (kernel_size - 1) // 2
    patches = F.unfold(x, kernel_size, 1, pad, 1).view(b, groups, c // groups, kernel_size * kernel_size, h, w)
    return (weight.unsqueeze(2) * patches).sum(dim=3).view(b, c, h, w)


def parse_case(text):
    name, *dims = text.split(",")
    if len(dims) != 6:
        raise argparse.ArgumentTypeError(f"--case expects NAME,B,H,W,C,K,G, got {text!r}")
    b, h, w, c, k, g = (int(d) for d in dims)
    return {"name": name, "batch": b, "height": h, "width": w, "channels": c, "kernelSize": k, "groups": g}


def step(case, mode, device):
    """Returns a callable running one repeat of `mode` on fresh inputs of the case's shape."""
    k, g = case["kernelSize"], case["groups"]
    x = torch.randn(case["batch"], case["channels"], case["height"], case["width"], device=device)
    weight = torch.randn(case["batch"], g, k * k, case["height"], case["width"], device=device)
    if mode == "forward":
        def run():
            # Inference: no autograd bookkeeping, as the inv forward case records no tape.
            with torch.no_grad():
                involution(x, weight, k, g)
        return run
    x.requires_grad_(True)
    weight.requires_grad_(True)
    dy = torch.randn(case["batch"], case["channels"], case["height"], case["width"], device=device)

    def run():
        x.grad = None
        weight.grad = None
        involution(x, weight, k, g).backward(dy)
    return run


def synchronizer(device):
    """Waits for the device's queued work (CUDA runs asynchronously; a CPU call has finished on return)."""
    return torch.cuda.synchronize if device.type == "cuda" else (lambda: None)


def time_samples(run, warmup, repeats, sync=lambda: None, min_warmup_ms=0.0):
    """Milliseconds of each of `repeats` calls of `run` (each until `sync` returns), after `warmup` untimed ones
    and at least `min_warmup_ms` of them (inv's bench warms up alike)."""
    start = time.perf_counter()
    done = 0
    while done < warmup or (time.perf_counter() - start) * 1000.0 < min_warmup_ms:
        run()
        sync()
        done += 1
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        sync()
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def torch_device(name):
    """The --device: cpu, or cuda where PyTorch sees a GPU (else a clear error)."""
    if name not in ("cpu", "cuda"):
        raise SystemExit(f"--device: expected cpu or cuda, got {name!r}")
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit(f"--device cuda: this PyTorch ({torch.__version__}) sees no CUDA GPU")
    return torch.device(name)


def peak_rss_bytes():
    # ru_maxrss is KiB on Linux and the process's peak so far: an upper bound for the case just timed.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def emit(results, implementation, device=torch.device("cpu")):
    """The JSON the bench reads: the environment, then one entry per timed case."""
    environment = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "implementation": implementation,
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
    }
    json.dump({"environment": environment, "results": results}, sys.stdout)
    sys.stdout.write("\n")


def time_case(case, mode, warmup, repeats, device, min_warmup_ms=0.0):
    samples = time_samples(step(case, mode, device), warmup, repeats, synchronizer(device), min_warmup_ms)
    return {"case": case["name"], "mode": mode, "shape": case, "samplesMs": samples, "peakRssBytes": peak_rss_bytes()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=parse_case, action="append", required=True)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--min-warmup-ms", type=float, default=0.0, help="warm up at least this long too")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    device = torch_device(args.device)
    modes = [m for m in args.modes.split(",") if m]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"--modes: unknown {unknown}, expected some of {list(MODES)}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = [
        time_case(case, mode, args.warmup, args.repeats, device, args.min_warmup_ms)
        for case in args.case
        for mode in modes
    ]
    emit(results, "unfold-based involution (official RedNet code)", device)


if __name__ == "__main__":
    main()
