"""The cardinality constants of ``tf.data`` and how transformations combine cardinalities."""
from __future__ import annotations

INFINITE = -1  # tf.data.INFINITE_CARDINALITY
UNKNOWN = -2   # tf.data.UNKNOWN_CARDINALITY
AUTOTUNE = -1  # tf.data.AUTOTUNE: "let the runtime choose" (buffer sizes, parallelism)


def known(n: int) -> bool:
    return n >= 0


def minimum(counts: list[int]) -> int:
    """The length of the shortest of several datasets (``zip``; one of unknown length makes it unknown, as in
    TensorFlow)."""
    if UNKNOWN in counts:
        return UNKNOWN
    finite = [c for c in counts if c >= 0]
    return min(finite) if finite else INFINITE


def add(a: int, b: int) -> int:
    if INFINITE in (a, b):
        return INFINITE
    if UNKNOWN in (a, b):
        return UNKNOWN
    return a + b
