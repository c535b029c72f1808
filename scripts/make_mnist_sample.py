"""Write tensorlet/datasets/bundled/mnist_sample.npz: a 5,000/1,000 sample of MNIST, stratified by class, for offline demos.

    python scripts/make_mnist_sample.py [path/to/mnist.npz]

The source defaults to the shared datasets folder next to the repository. The sample keeps each digit in its
proportion of the full split (largest-remainder rounding), draws rows with a fixed seed, keeps them in their original
order, and also stores the row indices (``train_indices``, ``test_indices``) so anyone can check it against MNIST.
The file is byte-for-byte reproducible: fixed zip timestamps and compression level.
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT / ".." / "shared" / "datasets" / "mnist.npz"
OUT = ROOT / "tensorlet" / "datasets" / "bundled" / "mnist_sample.npz"
N_TRAIN, N_TEST, SEED = 5000, 1000, 0


def stratified_indices(y: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` row indices, sorted, with each class in its proportion of ``y``."""
    counts = np.bincount(y)
    quota = counts * n / counts.sum()
    take = np.floor(quota).astype(int)
    take[np.argsort(take - quota, kind="stable")[: n - take.sum()]] += 1  # largest remainders get the rest
    picked = [rng.choice(np.flatnonzero(y == c), k, replace=False) for c, k in enumerate(take)]
    return np.sort(np.concatenate(picked))


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like ``np.savez_compressed``, with a fixed timestamp and the strongest deflate level."""
    with zipfile.ZipFile(path, "w") as z:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, buffer.getvalue(), compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def main(source: Path = DEFAULT_SOURCE, out: Path = OUT) -> Path:
    rng = np.random.default_rng(SEED)
    with np.load(source, allow_pickle=False) as f:
        x_train, y_train, x_test, y_test = (f[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    train, test = stratified_indices(y_train, N_TRAIN, rng), stratified_indices(y_test, N_TEST, rng)
    write_npz(out, {"x_train": x_train[train], "y_train": y_train[train], "x_test": x_test[test],
                    "y_test": y_test[test], "train_indices": train.astype(np.int32),
                    "test_indices": test.astype(np.int32)})
    return out


if __name__ == "__main__":
    written = main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
    print(f"{written}: {written.stat().st_size:,} bytes")
