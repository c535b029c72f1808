"""Strings to hash buckets: ``to_hash_bucket_fast`` (Farmhash Fingerprint64) and ``to_hash_bucket_strong``
(SipHash-2-4 with a key), each giving TensorFlow's bucket numbers (``hash % num_buckets``, int64)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.farmhash import fingerprint64
from tensorlet.strings.siphash import siphash24
from tensorlet.strings.string_input import map_strings


def _buckets(num_buckets: Any, op: str) -> int:
    n = int(num_buckets)
    if n < 1:
        raise ValueError(f"tf.strings.{op}: num_buckets must be >= 1, got {num_buckets}")
    return n


def to_hash_bucket_fast(input: Any, num_buckets: int, name: Any = None) -> Tensor | RaggedTensor:
    """``Fingerprint64(s) % num_buckets`` for each string (stable across runs and platforms).

    Example:
        >>> to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3).numpy().tolist()
        [0, 2, 2]
    """
    n = _buckets(num_buckets, "to_hash_bucket_fast")
    return map_strings(input, lambda s: fingerprint64(s) % n, "to_hash_bucket_fast", out_dtype=np.int64)


def to_hash_bucket_strong(input: Any, num_buckets: int, key: Any, name: Any = None) -> Tensor | RaggedTensor:
    """``SipHash-2-4(key, s) % num_buckets``: the key makes buckets hard to predict without it.

    Args:
        key: two non-negative ints, the 128-bit SipHash key.
    """
    n = _buckets(num_buckets, "to_hash_bucket_strong")
    key = [int(k) for k in key]
    if len(key) != 2:
        raise ValueError(f"tf.strings.to_hash_bucket_strong: key must hold 2 ints, got {len(key)}")
    k0, k1 = key
    return map_strings(input, lambda s: siphash24(k0, k1, s) % n, "to_hash_bucket_strong", out_dtype=np.int64)
