"""Peak memory of the W1 fit (issue 9): peak RSS above the training arrays, in a fresh process each.

W1: MLP 784-256-256-128-10, SGD(0.001) and Adam(1e-3), batch 64, 45k train + 15k validation images of
Fashion-MNIST shape (random float32 data, 188 MB). The baseline is the RSS once tensorlet is imported and the
arrays exist; the figure is the process's peak RSS (ru_maxrss) above it. Target: at most 150 MiB.

    python benchmarks/memory.py [--epochs 2]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys
import numpy as np
import tensorlet as tf
from tensorlet.keras import layers, models

def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20

rng = np.random.default_rng(0)
x = rng.random((60000, 784), dtype=np.float32)
y = rng.integers(0, 10, 60000)
base = rss_mib()
model = models.Sequential([layers.Input((784,)), layers.Dense(256, activation="relu"),
                           layers.Dense(256, activation="relu"), layers.Dense(128, activation="relu"),
                           layers.Dense(10, activation="softmax")])
opt = tf.keras.optimizers.SGD(0.001) if sys.argv[1] == "sgd" else tf.keras.optimizers.Adam(1e-3)
model.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
after_epoch = []
for _ in range(int(sys.argv[2])):
    model.fit(x, y, batch_size=64, epochs=1, validation_split=0.25, verbose=0)
    after_epoch.append(rss_mib() - base)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
print(json.dumps({"base": base, "peak_above": peak, "after_epoch": after_epoch}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    print("| W1 fit | baseline RSS MiB (arrays + import) | peak above baseline MiB | RSS above baseline after each "
          "epoch | target |")
    print("|---|---|---|---|---|")
    for opt in ("sgd", "adam"):
        out = subprocess.run([sys.executable, "-c", CHILD, opt, str(args.epochs)], capture_output=True, text=True,
                             check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        ok = "ok" if r["peak_above"] <= 150 else "MISSED"
        epochs = ", ".join(f"{v:.0f}" for v in r["after_epoch"])
        print(f"| {opt.upper()} | {r['base']:.0f} | {r['peak_above']:.0f} | {epochs} | <= 150: {ok} |")


if __name__ == "__main__":
    main()
