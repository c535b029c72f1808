"""Before/after: the suite's tensorlet workloads from two checkouts, alternated in fresh processes, in one run.

Each round runs every workload once per checkout, back to back (A, B, A, B ...), each in its own process with that
checkout first on ``PYTHONPATH``; a process does one warm-up epoch (traces, allocations) and then times ``--epochs``
epochs. The ratio column is the median of the per-round ratios B/A, which a drift of the machine's speed between
rounds moves less than a ratio of medians (see README).

    python benchmarks/versions.py --a /path/to/old/checkout --b . [--rounds 5] [--only W1,W3]

``--instructions`` counts instructions instead of timing (valgrind's callgrind, one BLAS thread): a count does not
move with the machine's load, so it compares two checkouts' per-batch Python overhead on a busy machine, where
timings of a small workload (W3) differ by more than the change being measured. The count of one epoch is that of
a process running warm-up + N epochs minus one running the warm-up alone. It leaves out what instructions do not
show (cache misses, waiting for threads), so quote it beside timings, not instead of them; it takes minutes for
the large workloads (a GEMM runs about 50x slower under callgrind).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

WORKLOADS = {  # name -> code run in the child, which defines `epoch()` (suite.py's data and model builders)
    "W1": "m = tl_mlp([784, 256, 256, 128, 10], 'softmax', 'sgd', 0.001)\n"
          "epoch = lambda: m.fit(x, y, batch_size=64, epochs=1, verbose=0, validation_data=(xv, yv))",
    "W1-Adam": "m = tl_mlp([784, 256, 256, 128, 10], 'softmax', 'adam', 0.001)\n"
               "epoch = lambda: m.fit(x, y, batch_size=64, epochs=1, verbose=0, validation_data=(xv, yv))",
    "W2": "x2 = np.tile(x[:, :768], (1, 4))[:, :3072].copy(); xv2 = np.tile(xv[:, :768], (1, 4))[:, :3072].copy()\n"
          "m = tl_mlp([3072, 256, 256, 128, 10], 'softmax', 'sgd', 0.001)\n"
          "epoch = lambda: m.fit(x2, y, batch_size=64, epochs=1, verbose=0, validation_data=(xv2, yv))",
    "W3": "r = np.random.default_rng(0); xr = r.standard_normal((15480, 8)).astype('float32')\n"
          "yr = (xr @ r.standard_normal(8)).astype('float32')\n"
          "m = tl_mlp([8, 10, 1], 'linear', 'sgd', 0.01)\n"
          "epoch = lambda: m.fit(xr[:11610], yr[:11610], batch_size=32, epochs=1, verbose=0, "
          "validation_data=(xr[11610:], yr[11610:]))",
    "W4": "m = tl_mlp([784, 256, 256, 128, 10], 'softmax', 'sgd', 0.001)\n"
          "epoch = lambda: m.predict(x[:10000], batch_size=32, verbose=0)",
    "CNN": "import tensorlet as tf\nfrom tensorlet.keras import layers, models\n"
           "xi = x[:6000].reshape(-1, 28, 28, 1)\n"
           "m = models.Sequential([layers.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3, activation='relu'), "
           "layers.MaxPooling2D(), layers.Conv2D(64, 3, activation='relu'), layers.MaxPooling2D(), layers.Flatten(), "
           "layers.Dense(128, activation='relu'), layers.Dense(10, activation='softmax')])\n"
           "m.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss='sparse_categorical_crossentropy')\n"
           "epoch = lambda: m.fit(xi, y[:6000], batch_size=64, epochs=1, verbose=0)",
}

CHILD = """
import json, sys, time
import numpy as np
sys.path.insert(0, {here!r})
from suite import fashion, tl_mlp
import tensorlet
assert tensorlet.__file__.startswith({checkout!r}), tensorlet.__file__
xa, ya = fashion()
x, y, xv, yv = xa[:45000], ya[:45000], xa[45000:], ya[45000:]
{setup}
epoch()
times = []
for _ in range({epochs}):
    t0 = time.perf_counter(); epoch(); times.append(time.perf_counter() - t0)
print(json.dumps(times))
"""


def run(checkout: str, workload: str, epochs: int) -> float:
    code = CHILD.format(here=HERE, checkout=os.path.abspath(checkout), setup=WORKLOADS[workload], epochs=epochs)
    env = dict(os.environ, PYTHONPATH=os.path.abspath(checkout))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=os.path.abspath(checkout), capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{workload} on {checkout} failed:\n{out.stderr[-2000:]}")
    return statistics.median(json.loads(out.stdout.strip().splitlines()[-1]))


def instructions(checkout: str, workload: str, epochs: int) -> float:
    """Instructions per epoch of ``workload`` from ``checkout`` (callgrind; see the module docstring)."""
    counts = []
    for n in (0, epochs):
        code = CHILD.format(here=HERE, checkout=os.path.abspath(checkout), setup=WORKLOADS[workload], epochs=n)
        env = dict(os.environ, PYTHONPATH=os.path.abspath(checkout), OPENBLAS_NUM_THREADS="1")
        out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c",
                              code], env=env, cwd=os.path.abspath(checkout), capture_output=True, text=True,
                             check=False)
        found = [line for line in out.stderr.splitlines() if "Collected :" in line]
        if out.returncode != 0 or not found:
            raise RuntimeError(f"{workload} on {checkout} under callgrind failed:\n{out.stderr[-2000:]}")
        counts.append(int(found[-1].split(":")[-1]))
    return (counts[1] - counts[0]) / epochs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--a", required=True, help="the 'before' checkout")
    parser.add_argument("--b", default=".", help="the 'after' checkout")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per process (after one warm-up)")
    parser.add_argument("--only", default=",".join(WORKLOADS))
    parser.add_argument("--instructions", action="store_true", help="count instructions (callgrind) instead of timing")
    args = parser.parse_args()
    if args.instructions:
        print("| workload | before (instructions/epoch) | after | after/before |")
        print("|---|---|---|---|", flush=True)
        for name in args.only.split(","):
            a, b = instructions(args.a, name, args.epochs), instructions(args.b, name, args.epochs)
            print(f"| {name} | {a / 1e6:.1f}M | {b / 1e6:.1f}M | {b / a:.3f}x |", flush=True)
        return
    print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
    print("| workload | before (s) | after (s) | after/before |")
    print("|---|---|---|---|", flush=True)
    for name in args.only.split(","):
        a, b, ratios = [], [], []
        for _ in range(args.rounds):
            ta, tb = run(args.a, name, args.epochs), run(args.b, name, args.epochs)
            a.append(ta)
            b.append(tb)
            ratios.append(tb / ta)
        print(f"| {name} | {statistics.median(a):.3f} | {statistics.median(b):.3f} | "
              f"{statistics.median(ratios):.2f}x |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
