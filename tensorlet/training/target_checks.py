"""Checks of the targets against the loss, once per fit on the whole array (never per step)."""
from __future__ import annotations

from typing import Any

import numpy as np


def _loss_name(fn: Any) -> str:
    return str(getattr(fn, "name", None) or getattr(getattr(fn, "fn", None), "__name__", None)
               or getattr(fn, "__name__", ""))


def check_targets(container: Any, ys: list[Any], out_shapes: list[tuple[Any, ...]] | None) -> None:
    for i, (fn, y) in enumerate(zip(container.losses, ys)):
        if fn is None or y is None or out_shapes is None or i >= len(out_shapes):
            continue
        name = _loss_name(fn)
        out = out_shapes[i]
        n_classes = out[-1] if out else None
        y = np.asarray(y)
        if "sparse_categorical" in name and n_classes:
            if y.ndim == len(out) and y.shape[-1] == n_classes and n_classes > 1:
                raise ValueError(
                    f"The targets look one-hot encoded (shape {y.shape}) but the loss is {name}, which expects "
                    "integer class labels. Use loss='categorical_crossentropy' with one-hot targets, or pass the "
                    "integer labels (e.g. np.argmax(y, axis=-1)).")
            if y.size and y.dtype.kind in "iuf":
                hi, lo = y.max(), y.min()
                if hi >= n_classes or lo < 0:
                    bad = hi if hi >= n_classes else lo
                    raise ValueError(
                        f"Received a label value of {bad:g} (largest label {hi:g}) for a model output with "
                        f"{n_classes} classes: sparse labels must be in [0, {n_classes}). Check the labels, or give "
                        f"the last layer as many units as there are classes.")
        elif name in ("categorical_crossentropy", "CategoricalCrossentropy") and n_classes and n_classes > 1:
            if y.ndim < len(out) or (y.ndim == len(out) and y.shape[-1] == 1):
                raise ValueError(
                    f"The targets have shape {y.shape} (integer class labels?) but the loss is "
                    f"categorical_crossentropy, which expects one-hot targets of shape (n, {n_classes}). Use "
                    "loss='sparse_categorical_crossentropy', or one-hot encode with keras.utils.to_categorical.")
