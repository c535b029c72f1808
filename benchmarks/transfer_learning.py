"""Training a new head on a frozen MobileNetV2 (issue 22): one epoch on 2,000 images of 160x160, tensorlet
against tf.keras.

The TensorFlow transfer-learning tutorial's recipe: ``MobileNetV2(input_shape=(160, 160, 3), include_top=False)``
with ``trainable = False``, then ``GlobalAveragePooling2D`` and ``Dense(1)``, compiled with Adam and binary
cross-entropy from logits, fitted in batches of 32. The base keeps random weights (``weights=None``): the time
does not depend on their values, and the machine has no download. Each system runs in a fresh process per repeat
(imports, model, one warm-up epoch on 64 images, then the timed epoch), back to back; the ratio column is the
median of per-repeat ratios, and the load average is printed with the table.

    python benchmarks/transfer_learning.py [--repeats 3] [--samples 2000]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

SIZE, BATCH = 160, 32


def worker(system: str, samples: int) -> float:
    import numpy as np

    if system == "tensorlet":
        import tensorlet as tf
    else:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
    keras = tf.keras
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (samples, SIZE, SIZE, 3)).astype("float32")
    y = rng.integers(0, 2, samples).astype("float32")
    base = keras.applications.MobileNetV2(input_shape=(SIZE, SIZE, 3), include_top=False, weights=None)
    base.trainable = False
    inputs = keras.Input((SIZE, SIZE, 3))
    features = keras.layers.GlobalAveragePooling2D()(base(inputs, training=False))
    model = keras.Model(inputs, keras.layers.Dense(1)(features))
    model.compile(optimizer=keras.optimizers.Adam(1e-4),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(x[:64], y[:64], batch_size=BATCH, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    return time.perf_counter() - start


def run(system: str, samples: int) -> float:
    env = dict(os.environ)
    if system == "tensorlet":
        env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, __file__, "--worker", system, "--samples", str(samples)],
                         capture_output=True, text=True, env=env, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps({"seconds": worker(args.worker, args.samples)}))
        return
    loads = [os.getloadavg()[0]]
    ours, theirs, ratios = [], [], []
    for _ in range(args.repeats):
        a, b = run("tensorlet", args.samples), run("tf.keras", args.samples)
        ours.append(a)
        theirs.append(b)
        ratios.append(a / b)
        loads.append(os.getloadavg()[0])
    print("| workload | tensorlet (s) | tf.keras (s) | tensorlet/tf.keras |")
    print("|---|---|---|---|")
    print(f"| MobileNetV2 160x160 frozen base + Dense(1) head, one epoch on {args.samples} images, batch {BATCH} "
          f"| {statistics.median(ours):.2f} | {statistics.median(theirs):.2f} | {statistics.median(ratios):.2f}x |")
    print(f"\nload average (1 min) during the run: {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
