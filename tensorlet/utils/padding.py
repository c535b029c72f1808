"""``pad_sequences``: a list of variable-length sequences as one padded array (Keras' rules)."""
from __future__ import annotations

from typing import Any

import numpy as np


def pad_sequences(sequences: Any, maxlen: int | None = None, dtype: Any = "int32", padding: str = "pre",
                  truncating: str = "pre", value: Any = 0.0) -> np.ndarray:
    """Pad (or truncate) each sequence to ``maxlen`` entries.

    Args:
        sequences: a list (or array) of sequences; each entry may itself have a shape (e.g. vectors).
        maxlen: the output length; None uses the longest sequence.
        dtype: the output dtype.
        padding: 'pre' puts the padding before each sequence, 'post' after.
        truncating: 'pre' drops entries at the start of sequences longer than ``maxlen``, 'post' at the end.
        value: the padding value.

    Returns:
        An array of shape ``(len(sequences), maxlen) + entry_shape``.
    """
    if padding not in ("pre", "post"):
        raise ValueError(f'`padding` must be "pre" or "post", got {padding!r}')
    if truncating not in ("pre", "post"):
        raise ValueError(f'`truncating` must be "pre" or "post", got {truncating!r}')
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable with a length (a list of sequences)")
    lengths, entry_shape = [], None
    for i, s in enumerate(sequences):
        if not hasattr(s, "__len__"):
            raise ValueError(f"`sequences` must be a list of iterables; found a non-iterable entry at {i}: {s!r}")
        lengths.append(len(s))
        if entry_shape is None and len(s):
            entry_shape = np.asarray(s).shape[1:]
    entry_shape = entry_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text = np.issubdtype(np.dtype(dtype), np.str_) or np.issubdtype(np.dtype(dtype), np.object_)
    if isinstance(value, str) and not is_text:
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type {type(value)}; use dtype=object "
                         "for text padding")
    out = np.full((len(lengths), maxlen) + tuple(entry_shape), value, dtype=dtype)
    for i, s in enumerate(sequences):
        if not len(s) or maxlen == 0:
            continue
        kept = np.asarray(s, dtype=dtype)
        kept = kept[-maxlen:] if truncating == "pre" else kept[:maxlen]
        if kept.shape[1:] != tuple(entry_shape):
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {i} is different from the "
                             f"expected shape {tuple(entry_shape)}")
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, maxlen - len(kept):] = kept
    return out
