"""Approximate quantile summaries for Discretization.adapt (host data).

A summary is a (2, k) array: sorted values and the weight (number of samples) each stands for. A batch is
summarized by keeping about ``1 / epsilon`` of its sorted values, evenly spaced; summaries merge by sorting their
columns together and compressing back to about ``1 / epsilon`` columns, each new value read off the cumulative
weights by linear interpolation. The bin boundaries of ``num_bins`` bins are the compression to ``num_bins``
columns, without the last (the maximum). This is Keras' procedure, so adapted boundaries agree with it.
"""
from __future__ import annotations

import numpy as np


def empty() -> np.ndarray:
    return np.zeros((2, 0), dtype=np.float32)


def summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    v = np.sort(np.asarray(values, dtype=np.float32).reshape(-1))
    step = max(v.size * epsilon, 1.0)  # about 1 / epsilon kept values
    kept = v[int(step) - 1::int(step)]
    return np.stack([kept, np.full(kept.shape, step, dtype=np.float32)])


def compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    if summary.shape[1] * epsilon < 1:
        return summary
    targets = np.arange(0.0, 1.0, epsilon) + epsilon
    cumulative = np.cumsum(summary[1])
    fractions = cumulative / cumulative[-1]
    values = np.interp(targets, fractions, summary[0])
    weights = np.diff(np.interp(targets, fractions, cumulative), prepend=0.0)
    return np.stack([values, weights]).astype(np.float32)


def merge(a: np.ndarray, b: np.ndarray, epsilon: float) -> np.ndarray:
    both = np.concatenate([a, b], axis=1)
    return compress(both[:, np.argsort(both[0], kind="stable")], epsilon)


def bin_boundaries(summary: np.ndarray, num_bins: int) -> list[float]:
    return compress(summary, 1.0 / num_bins)[0, :-1].tolist()
