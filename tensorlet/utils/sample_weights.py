"""``keras.utils.pack_x_y_sample_weight`` and ``unpack_x_y_sample_weight``: the ``(x, y, sample_weight)`` tuples
of a custom ``train_step``, as Keras packs and unpacks them."""
from __future__ import annotations

from typing import Any


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``, leaving out the trailing Nones (``x`` alone stays a
    1-tuple only when it is itself a tuple or list, as in Keras)."""
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """``(x, y, sample_weight)`` from a batch: a tensor, or a tuple or list of one to three parts.

    Raises:
        ValueError: for a tuple or list of more than three parts.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data[0], data[1], data[2]
    raise ValueError("keras.utils.unpack_x_y_sample_weight: data must be x, (x,), (x, y) or (x, y, sample_weight), "
                     f"got a tuple of {len(data)} parts")
