"""Write tensorlet/data/mnist_sample.npz: a stratified 4,500/1,000 MNIST sample for offline demos.

    python scripts/make_mnist_sample.py path/to/mnist.npz
"""
from __future__ import annotations

import os
import sys

import numpy as np


def main(src: str) -> None:
    rng = np.random.default_rng(0)
    with np.load(src, allow_pickle=False) as f:
        parts = {k: f[k] for k in ("x_train", "y_train", "x_test", "y_test")}

    def pick(y: np.ndarray, per_class: int) -> np.ndarray:
        idx = [rng.choice(np.flatnonzero(y == c), per_class, replace=False) for c in range(10)]
        return np.sort(np.concatenate(idx))

    tr, te = pick(parts["y_train"], 450), pick(parts["y_test"], 100)
    out = os.path.join(os.path.dirname(__file__), "..", "tensorlet", "data", "mnist_sample.npz")
    np.savez_compressed(out, x_train=parts["x_train"][tr], y_train=parts["y_train"][tr],
                        x_test=parts["x_test"][te], y_test=parts["y_test"][te])
    print(out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main(sys.argv[1])
