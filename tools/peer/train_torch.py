#!/usr/bin/env python3
"""The PyTorch peer of @inv/bench's train suite: a training step and inference of the two Keras-seed models.

The models are the seed's, layer for layer, in PyTorch (NCHW):
- seed-conv: 3x3 'same' convs 32-64-64, each + ReLU, max-pools after the first two, Dense 64 + ReLU, Dense 10;
- seed-inv: the official involution module (d-li14/involution, mmcv-free: reduce 1x1 conv without bias + BN +
  ReLU, span 1x1 conv, unfold, multiply, sum) with channels 3, K 3, groups 1, reduction 2, stride 1, three
  times each + ReLU, max-pools after the first two, Dense 64 + ReLU, Dense 10.
A step is what the inv side times: zero the gradients, forward in training mode, mean softmax cross-entropy,
backward, Adam update; inference, the logits of the batch in evaluation mode without autograd. Raw per-run times
are printed as JSON (the bench computes the statistics).

Usage: train_torch.py --models seed-conv,seed-inv [--modes train-step,inference] [--batch 256] [--warmup N]
                      [--min-warmup-ms MS] [--repeats N] [--threads N] [--device cpu|cuda]
"""
import argparse

import torch
from torch import nn

from involution_torch import emit, involution, peak_rss_bytes, synchronizer, time_samples, torch_device

MODES = ("train-step", "inference")


class Involution(nn.Module):
    """The official involution module at stride 1, with the group count and reduction ratio as parameters."""

    def __init__(self, channels, kernel_size, groups, reduction_ratio):
        super().__init__()
        self.kernel_size = kernel_size
        self.groups = groups
        reduced = channels // reduction_ratio
        # The official ConvModule with norm_cfg=BN has no conv bias; act_cfg=ReLU.
        self.reduce = nn.Sequential(nn.Conv2d(channels, reduced, 1, bias=False), nn.BatchNorm2d(reduced), nn.ReLU())
        self.span = nn.Conv2d(reduced, kernel_size * kernel_size * groups, 1)

    def forward(self, x):
        b, _, h, w = x.shape
        weight = self.span(self.reduce(x)).view(b, self.groups, self.kernel_size * self.kernel_size, h, w)
        return involution(x, weight, self.kernel_size, self.groups)


def seed_conv():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 64), nn.ReLU(), nn.Linear(64, 10),
    )


def seed_inv():
    def block():
        return Involution(channels=3, kernel_size=3, groups=1, reduction_ratio=2)
    return nn.Sequential(
        block(), nn.ReLU(), nn.MaxPool2d(2),
        block(), nn.ReLU(), nn.MaxPool2d(2),
        block(), nn.ReLU(),
        nn.Flatten(), nn.Linear(3 * 8 * 8, 64), nn.ReLU(), nn.Linear(64, 10),
    )


MODELS = {"seed-conv": seed_conv, "seed-inv": seed_inv}


def time_model(name, mode, batch, warmup, repeats, device, min_warmup_ms=0.0):
    model = MODELS[name]().to(device)
    x = torch.randn(batch, 3, 32, 32, device=device)
    if mode == "train-step":
        model.train()
        optimizer = torch.optim.Adam(model.parameters())
        loss_fn = nn.CrossEntropyLoss()
        y = torch.randint(0, 10, (batch,), device=device)

        def run():
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            optimizer.step()
    else:
        model.eval()

        def run():
            with torch.no_grad():
                model(x)

    samples = time_samples(run, warmup, repeats, synchronizer(device), min_warmup_ms)
    return {
        "case": name,
        "mode": mode,
        "batch": batch,
        "parameters": sum(p.numel() for p in model.parameters()),
        "samplesMs": samples,
        "peakRssBytes": peak_rss_bytes(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--min-warmup-ms", type=float, default=0.0, help="warm up at least this long too")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    device = torch_device(args.device)
    names = [m for m in args.models.split(",") if m]
    unknown = [m for m in names if m not in MODELS]
    if unknown:
        parser.error(f"--models: unknown {unknown}, expected some of {list(MODELS)}")
    modes = [m for m in args.modes.split(",") if m]
    if not modes or any(m not in MODES for m in modes):
        parser.error(f"--modes: expected some of {list(MODES)}, got {args.modes!r}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = [
        time_model(name, mode, args.batch, args.warmup, args.repeats, device, args.min_warmup_ms)
        for name in names
        for mode in modes
    ]
    emit(results, "Keras-seed models in PyTorch, official involution module, Adam", device)


if __name__ == "__main__":
    main()
