#!/usr/bin/env python3
"""inv on WebGPU against PyTorch CUDA and the official involution CUDA kernel's algorithm, as one table.

Run from the bundle on the GPU machine (python3 with CUDA PyTorch and CuPy where they exist; each missing peer
is a row saying so):

    python3 compare/compare.py [--out compare-results] [--data-dir CIFAR_DIR] [--epochs 20] [--no-run] [--quick]

1. inv's op and train suites on webgpu (`inv-bench`), the shapes the targets are stated at;
2. the same shapes in PyTorch CUDA (tools/peer/involution_torch.py, train_torch.py with --device cuda);
3. the involution op as the official CuPy kernels compute it (tools/peer/involution_cupy.py);
4. `inv compare` (seed-inv and seed-conv, 20 epochs) on webgpu, timed; on CIFAR-10 from --data-dir, else on
   random images in CIFAR-10's layout (time only: every step does the same work whatever the pixels).
The reports of each step stay in --out (JSON, the log, compare.md with the table: a handful of files); the
`inv compare` run folders and the random images go to a temporary folder, removed at the end. --quick is a
smoke run (the bench's --quick, `inv compare` on 512 images): it shows the pieces work, not the numbers.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUNDLE = Path(__file__).resolve().parent.parent
PEERS = BUNDLE / "tools" / "peer"
SHAPE = re.compile(r"B(\d+) (\d+)×(\d+) C(\d+) K(\d+) G(\d+)")
# Targets on an H100/H200 (issue 13).
TRAIN_WITHIN = 2.0
COMPARE_SECONDS = 300


def run(command, log, **kwargs):
    """Runs `command`, its output appended to `log`; returns its stdout, or None where it failed."""
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    with open(log, "a") as f:
        f.write(f"$ {' '.join(map(str, command))}  # exit {result.returncode}, {time.monotonic() - started:.1f} s\n")
        f.write(result.stdout + result.stderr + "\n")
    return result.stdout if result.returncode == 0 else None


def median(samples):
    ordered = sorted(samples)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def inv_suite(suite, out, log, extra=()):
    """inv-bench's rows of `suite` on webgpu as {(case, impl, mode): row}, or {} where it failed."""
    report = out / f"inv-{suite}.json"
    command = [BUNDLE / "inv-bench", "--suite", suite, "--backend", "webgpu", "--no-peer", "--json", report, *extra]
    if run(command, log) is None or not report.exists():
        return {}, {}
    data = json.loads(report.read_text())
    rows = {(r["case"], r["impl"], r["mode"]): r for r in data["results"] if r.get("status") == "ok"}
    return rows, data["environment"]


def peer(script, args, out, log, name):
    """A peer script's medians as {(case, mode): ms} and its environment, or ({}, reason) where it could not run."""
    stdout = run([sys.executable, PEERS / script, *args], log, cwd=PEERS)
    if stdout is None:
        return {}, f"did not run (see {log.name})"
    (out / f"{name}.json").write_text(stdout)
    data = json.loads(stdout)
    return {(r["case"], r["mode"]): median(r["samplesMs"]) for r in data["results"]}, data["environment"]


def synthetic_cifar(folder):
    """Random images in CIFAR-10's binary layout: 5 train files and the test file of 10,000 records each."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        records = bytearray(os.urandom(10_000 * 3073))
        for r in range(10_000):
            records[r * 3073] = r % 10
        (folder / name).write_bytes(records)
    names = "airplane automobile bird cat deer dog frog horse ship truck".split()
    (folder / "batches.meta.txt").write_text("\n".join(names) + "\n")


def timed_compare(args, work, log):
    """Wall seconds of `inv compare` on webgpu and what it ran on, or (None, reason)."""
    data_dir = args.data_dir
    source = "CIFAR-10"
    if data_dir is None:
        data_dir = work / "synthetic-cifar"
        synthetic_cifar(data_dir)
        source = "random images in CIFAR-10's layout"
    started = time.monotonic()
    command = [BUNDLE / "inv", "compare", "--data-dir", data_dir, "--epochs", str(args.epochs),
               "--backend", "webgpu", "--out", work / "compare-run", *(["--limit", "512"] if args.quick else [])]
    if run(command, log) is None:
        return None, f"failed (see {log.name})"
    return time.monotonic() - started, source


OP_IMPLS = {"fused": "", "fused-float16": ", float16 kernels"}


def ms(value):
    return "—" if value is None else f"{value:.3g}" if value < 10 else f"{value:.0f}"


def table(op, torch_op, cupy_op, train, torch_train, compare, notes):
    lines = [
        "| what | shape | inv webgpu ms | PyTorch CUDA ms | CuPy (official kernel's algorithm) ms | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    # The float32 op, and beside it the same op with float16 kernel storage (inv-bench's `fused-float16`).
    for (case, impl, mode), row in sorted(op.items()):
        if impl not in OP_IMPLS:
            continue
        ours = row["timing"]["medianMs"]
        theirs, cupy = torch_op.get((case, mode)), cupy_op.get((case, mode))
        target, met = "", ""
        if impl == "fused" and case == "rednet" and mode == "forward+backward":
            target = "≤ CuPy"
            met = "—" if cupy is None else "yes" if ours <= cupy else "no"
        lines.append(f"| op {mode}{OP_IMPLS[impl]} | {case}: {row['shape']} | {ms(ours)} | {ms(theirs)} | {ms(cupy)} | {target} | {met} |")
    for (case, _, mode), row in sorted(train.items()):
        ours = row["timing"]["medianMs"]
        theirs = torch_train.get((case, mode))
        target, met = "", ""
        if case == "seed-conv" and mode == "train-step":
            target = f"≤ {TRAIN_WITHIN:g}× PyTorch"
            met = "—" if theirs is None else "yes" if ours <= TRAIN_WITHIN * theirs else "no"
        what = "train step" if mode == "train-step" else mode
        lines.append(f"| {what} | {case}: {row['shape']} | {ms(ours)} | {ms(theirs)} | | {target} | {met} |")
    seconds, source = compare
    if seconds is not None or source is not None:
        met = "—" if seconds is None else "yes" if seconds < COMPARE_SECONDS else "no"
        wall = "—" if seconds is None else f"{seconds:.0f} s"
        lines.append(f"| `inv compare` seed-inv + seed-conv | {source} | {wall} | | | < {COMPARE_SECONDS} s | {met} |")
    return "\n".join(lines + [""] + [f"- {note}" for note in notes]) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("compare-results"))
    parser.add_argument("--data-dir", type=Path, help="CIFAR-10's cifar-10-batches-bin for `inv compare`")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--no-run", action="store_true", help="skip the timed `inv compare`")
    parser.add_argument("--quick", action="store_true", help="a smoke run: small batches, 512 images")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    log = out / "compare.log"

    quick = ["--quick"] if args.quick else []
    op, environment = inv_suite("op", out, log, quick)
    train, _ = inv_suite("train", out, log, ["--filter", "seed", *quick])
    notes = []
    if environment:
        notes.append(f"inv: {environment.get('date', '')}, backends {environment.get('backends')}, Node {environment.get('node')}")
    else:
        notes.append(f"inv-bench on webgpu failed (see {log.name})")

    cases = []
    for (case, impl, mode), row in op.items():
        found = SHAPE.search(row["shape"])
        if impl == "fused" and mode == "forward" and found:
            b, h, w, c, k, g = found.groups()
            cases += ["--case", f"{case},{b},{h},{w},{c},{k},{g}"]
    batches = {found.group(1) for row in train.values() if (found := re.match(r"B(\d+)", row["shape"]))}
    torch_op, torch_train, cupy_op = {}, {}, {}
    if cases:
        torch_op, about = peer("involution_torch.py", [*cases, "--device", "cuda"], out, log, "torch-op")
        notes.append(f"PyTorch op: {about}")
        cupy_op, about = peer("involution_cupy.py", cases, out, log, "cupy-op")
        notes.append(f"CuPy op: {about}")
    for batch in sorted(batches):
        found, about = peer("train_torch.py", ["--device", "cuda", "--batch", batch], out, log, f"torch-train-{batch}")
        torch_train.update(found)
        notes.append(f"PyTorch train: {about}")
    work = Path(tempfile.mkdtemp(prefix="inv-compare-"))
    try:
        compare = (None, None) if args.no_run else timed_compare(args, work, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    text = table(op, torch_op, cupy_op, train, torch_train, compare, notes)
    (out / "compare.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
