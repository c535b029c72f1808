"""``ngrams``: the n-grams of each sequence along the last axis, joined with a separator.

For width ``n`` and pad width ``p`` (``padding_width``, else ``n - 1``, at most ``n - 1``; only with
``pad_values``), a sequence of length ``L`` gives ``max(0, L + 2p - n + 1)`` n-grams. Several widths give their
n-grams one width after another. ``preserve_short_sequences`` turns a non-empty sequence that yields no n-gram at
all into one n-gram of the whole (padded) sequence.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.string_input import as_string_tensor, host, object_array


def _as_bytes(v: Any) -> bytes:
    return v.encode("utf-8") if isinstance(v, str) else bytes(v)


def _row_ngrams(row: list[bytes], widths: list[int], sep: bytes, left: bytes, right: bytes, padded: bool,
                padding_width: int | None, preserve: bool) -> list[bytes]:
    out: list[bytes] = []
    for n in widths:
        pad = 0
        if padded:
            pad = min(n - 1 if padding_width is None else padding_width, n - 1)
        seq = [left] * pad + row + [right] * pad
        out.extend(sep.join(seq[i:i + n]) for i in range(len(seq) - n + 1))
    if preserve and row and not out:
        pad = padding_width if padded and padding_width is not None else 0
        out.append(sep.join([left] * pad + row + [right] * pad))
    return out


def ngrams(data: Any, ngram_width: Any, separator: Any = " ", pad_values: Any = None, padding_width: Any = None,
           preserve_short_sequences: bool = False, name: Any = None) -> Tensor | RaggedTensor:
    """N-grams of strings along the last axis (dense in, dense out when every row yields as many).

    Args:
        data: a string Tensor or RaggedTensor of rank >= 1.
        ngram_width: an int or a sequence of ints, each > 0.
        separator: what joins the items of an n-gram.
        pad_values: a string for both ends or a pair ``(left, right)``; None: no padding.
        padding_width: how many pad values at each end (default ``width - 1``); needs ``pad_values``.
        preserve_short_sequences: see the module docstring.

    Example:
        >>> ngrams(["A", "B", "C", "D"], 2).numpy().tolist()
        [b'A B', b'B C', b'C D']
    """
    widths = [int(ngram_width)] if np.ndim(ngram_width) == 0 else [int(w) for w in ngram_width]
    if any(w < 1 for w in widths):
        raise ValueError(f"tf.strings.ngrams: all ngram_widths must be greater than 0, got {widths}")
    if padding_width is not None:
        if pad_values is None:
            raise ValueError("tf.strings.ngrams: pad_values must be provided if padding_width is set")
        if int(padding_width) < 1:
            raise ValueError(f"tf.strings.ngrams: padding_width must be greater than 0, got {padding_width}")
        padding_width = int(padding_width)
    left = right = b""
    if pad_values is not None:
        if isinstance(pad_values, (tuple, list)):
            if len(pad_values) != 2:
                raise ValueError(f"tf.strings.ngrams: pad_values must be a string or a pair of strings, got "
                                 f"{pad_values!r}")
            left, right = (_as_bytes(v) for v in pad_values)
        else:
            left = right = _as_bytes(pad_values)
    sep = _as_bytes(separator)
    x = as_string_tensor(data, "ngrams", "data")
    if not isinstance(x, RaggedTensor) and x.ndim == 0:
        raise ValueError("tf.strings.ngrams: data must have rank > 0")

    def run(rows: list[list[bytes]]) -> list[list[bytes]]:
        return [_row_ngrams(r, widths, sep, left, right, pad_values is not None, padding_width,
                            preserve_short_sequences) for r in rows]

    if isinstance(x, RaggedTensor):
        return _ragged_ngrams(x, run)
    values = host(x)
    rows = run([list(r) for r in values.reshape(-1, values.shape[-1])])
    counts = {len(r) for r in rows}
    if len(counts) <= 1:  # every row gave as many n-grams: stay dense, as TF does for dense input
        count = counts.pop() if counts else 0
        return _wrap(object_array([g for r in rows for g in r], values.shape[:-1] + (count,)))
    lengths = np.asarray([len(r) for r in rows], dtype=np.int64)
    result: Any = RaggedTensor.from_row_lengths(_wrap(object_array([g for r in rows for g in r])), lengths)
    for size in reversed(values.shape[1:-1]):
        result = RaggedTensor.from_uniform_row_length(result, size)
    return result


def _ragged_ngrams(x: RaggedTensor, run: Any) -> RaggedTensor:
    if isinstance(x.values, RaggedTensor):
        return x.with_values(_ragged_ngrams(x.values, run))
    if x.values.ndim != 1:
        raise ValueError(f"tf.strings.ngrams: the ragged axis must be the last one, got shape {x.shape}")
    values, splits = host(x.values), host(x.row_splits)
    rows = run([list(values[a:b]) for a, b in zip(splits[:-1], splits[1:])])
    lengths = np.asarray([len(r) for r in rows], dtype=np.int64)
    return RaggedTensor._make(_wrap(object_array([g for r in rows for g in r])),
                              np.concatenate([[0], np.cumsum(lengths)]), x.row_splits_dtype)
