"""``tf.config.threading``: the inter-op and intra-op thread counts (0 lets the system choose, as in TensorFlow).

tensorlet runs one op at a time (no inter-op pool) and its matrix products use NumPy's BLAS threads, which
``OMP_NUM_THREADS``/``OPENBLAS_NUM_THREADS`` set before start-up; the counts given here are recorded and returned.
"""
from __future__ import annotations

_threads = {"inter": 0, "intra": 0}


def _count(value: int, which: str) -> int:
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"tf.config.threading.set_{which}_op_parallelism_threads: expected a non-negative "
                        f"integer, got {value!r}")
    n = int(value.__index__())
    if n < 0:
        raise ValueError(f"tf.config.threading.set_{which}_op_parallelism_threads: expected a non-negative "
                         f"integer, got {n}")
    return n


def set_inter_op_parallelism_threads(num_threads: int) -> None:
    _threads["inter"] = _count(num_threads, "inter")


def get_inter_op_parallelism_threads() -> int:
    return _threads["inter"]


def set_intra_op_parallelism_threads(num_threads: int) -> None:
    _threads["intra"] = _count(num_threads, "intra")


def get_intra_op_parallelism_threads() -> int:
    return _threads["intra"]
