"""The host side of the preprocessing layers.

Strings, token tables and hash values live in NumPy arrays on the host, whatever the array backend: a ``HostOp``
(``tensorlet.layers.preprocessing.host_op``) hands its function host arrays and takes its host result back to the
backend. The layers' host functions build their arrays with :func:`xp`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import backend


def xp() -> Any:
    """The array module of host preprocessing: NumPy."""
    return np


def to_host(x: Any) -> Any:
    """A backend array (or host data) as a NumPy array; object arrays (strings) are host data already."""
    if isinstance(x, np.ndarray):
        return x
    if backend.is_array(x):
        return backend.to_numpy(x)
    return np.asarray(x)


def to_backend(x: Any) -> Any:
    """A host result as an array of the active backend; strings (object arrays) stay on the host."""
    if isinstance(x, np.ndarray) and x.dtype == object:
        return x
    return backend.asarray(x)
