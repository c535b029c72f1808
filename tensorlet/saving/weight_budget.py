"""A cap on the weights a model config may create while a model is rebuilt from a file.

A file's config says how large each layer is, and the layers allocate their weights as they are built, before any
weight is read from the file. A few bytes of config (``"units": 1000000000``) could thus ask for gigabytes. Every
weight the config creates must also be stored in the file, so the file's size bounds them: loaders open a
:func:`budget` of a few times the weights' stored size, and ``Layer.add_weight`` calls :func:`charge` before it
allocates. Outside a load there is no budget and :func:`charge` does nothing. The state is per thread.
"""
from __future__ import annotations

import math
import threading
from contextlib import contextmanager
from typing import Iterator

_local = threading.local()


class _Budget:
    def __init__(self, max_bytes: int, where: str) -> None:
        self.left, self.max_bytes, self.where = max_bytes, max_bytes, where


@contextmanager
def budget(max_bytes: int, where: str) -> Iterator[None]:
    """While active, the weights created in this thread may add up to ``max_bytes``."""
    previous = getattr(_local, "budget", None)
    _local.budget = _Budget(int(max_bytes), where)
    try:
        yield
    finally:
        _local.budget = previous


def charge(shape: tuple[int, ...], itemsize: int, name: str) -> None:
    """Count a weight about to be created against the active budget.

    Raises:
        ValueError: the weight would take the total past the budget (naming the file, the weight and its shape).
    """
    active = getattr(_local, "budget", None)
    if active is None:
        return
    nbytes = math.prod(shape) * itemsize
    active.left -= nbytes
    if active.left < 0:
        raise ValueError(f"{active.where}: the model config asks for weight {name!r} of shape {tuple(shape)} "
                         f"({nbytes} bytes), which takes the model past the {active.max_bytes} bytes its weights "
                         "could fill; the config is corrupted or does not belong to these weights")


def creation_bound(stored_bytes: int) -> int:
    """The most the weights a config creates may take, for weights stored in ``stored_bytes`` (four times, so
    that float16 weights may load into a float64 model)."""
    return 4 * int(stored_bytes) + (1 << 20)
