"""Helpers of the tf.data tests: elements as plain Python values."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import tree


def plain(x: Any) -> Any:
    """NumPy values (and nested structures of them) as Python lists, numbers and bytes."""
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    if hasattr(x, "to_list"):
        return x.to_list()
    if tree.is_nested(x) and not isinstance(x, (str, bytes)):
        return tree.map_structure(plain, x)
    return x


def values(ds: Any) -> list[Any]:
    """Every element of ``ds`` as Python values."""
    return [plain(e) for e in ds.as_numpy_iterator()]
