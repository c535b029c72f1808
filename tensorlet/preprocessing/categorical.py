"""Category indices to dense encodings: "one_hot", "multi_hot", "count" and "tf_idf" (host data), as
Keras' CategoryEncoding, Hashing and the lookup layers output them."""
from __future__ import annotations

from typing import Any

import numpy as np

MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def encode(indices: np.ndarray, mode: str, depth: int, weights: np.ndarray | None = None,
           count_weights: np.ndarray | None = None, dtype: Any = np.float32, layer: str = "layer") -> np.ndarray:
    """Encode integer ``indices`` in ``[0, depth)`` (values outside are dropped, as the mask value of the lookup
    layers is):

    - "one_hot": a vector per index, (..., depth) (a last axis of size 1 is replaced);
    - "multi_hot" / "count": one vector per sample, the last axis holding the sample's values (a 0-D or 1-D
      input is one sample, (depth,), as in Keras);
    - "tf_idf": counts times ``weights`` (the IDF of each index).
    ``count_weights`` (same shape as ``indices``) weight each value in "count" mode.
    """
    idx = np.asarray(indices)
    if mode == "int":
        return idx
    if idx.ndim == 0:
        idx = idx.reshape(1)
    if mode == "one_hot":
        if idx.ndim > 1 and idx.shape[-1] == 1:
            idx = idx[..., 0]
        out = np.zeros(idx.shape + (depth,), dtype=dtype)
        valid = (idx >= 0) & (idx < depth)
        np.put_along_axis(out, np.where(valid, idx, 0)[..., None], valid[..., None].astype(dtype), axis=-1)
        return out
    samples = idx.reshape(1, -1) if idx.ndim == 1 else idx.reshape(-1, idx.shape[-1])
    lead = idx.shape[:-1]  # a 1-D input is one sample (Keras 2 and 3)
    rows = np.repeat(np.arange(samples.shape[0]), samples.shape[1])
    cols = samples.reshape(-1)
    valid = (cols >= 0) & (cols < depth)
    out = np.zeros((samples.shape[0], depth), dtype=np.float64)
    if count_weights is not None and mode == "count":
        w = np.asarray(count_weights, dtype=np.float64).reshape(-1)[valid]
    else:
        w = np.ones(int(valid.sum()), dtype=np.float64)
    np.add.at(out, (rows[valid], cols[valid]), w)
    if mode == "multi_hot":
        out = (out > 0).astype(np.float64)
    elif mode == "tf_idf":
        out = out * np.asarray(weights, dtype=np.float64)[:depth]
    return out.astype(dtype, copy=False).reshape(lead + (depth,))


def check_mode(mode: Any, layer: str, allowed: tuple[str, ...] = MODES) -> str:
    aliases = {"binary": "multi_hot", "tf-idf": "tf_idf"}
    mode = aliases.get(mode, mode)
    if mode not in allowed:
        raise ValueError(f"{layer}: unknown `output_mode` {mode!r}; expected one of {list(allowed)}")
    return mode
