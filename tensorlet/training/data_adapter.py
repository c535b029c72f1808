"""Turn what ``fit``/``evaluate``/``predict`` receive into batches of NumPy arrays.

Accepted: NumPy arrays, Tensors, lists and dicts of them (multi-input/output models), Python generators
yielding ``(x, y[, sample_weight])``, and ``keras.utils.Sequence``/``PyDataset`` objects.
"""
from __future__ import annotations

import math
import warnings
from typing import Any, Iterator

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor
from tensorlet.config import floatx


def _node_to_numpy(x: Any) -> Any:
    """One value as a NumPy array (a flat list of numbers is one array); None for a dict, list or tuple to walk
    into."""
    if x is None:
        return tree.MAP_TO_NONE
    if isinstance(x, Tensor):
        return np.asarray(x._value)
    if isinstance(x, dict):
        return None
    if isinstance(x, (list, tuple)):
        if x and all(isinstance(v, (str, bytes)) for v in x):  # a list of texts is one input, not many
            out = np.empty(len(x), dtype=object)
            out[:] = list(x)
            return out
        return np.asarray(x) if _is_list_of_scalars(x) else None
    if hasattr(x, "values") and hasattr(x, "columns"):  # pandas DataFrame
        return np.asarray(x.values)
    if hasattr(x, "to_numpy"):
        return np.asarray(x.to_numpy())
    return np.asarray(x)


def _is_list_of_scalars(x: Any) -> bool:
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    return isinstance(x, (int, float, np.number, bool)) and not isinstance(x, np.ndarray)


def to_numpy(x: Any) -> Any:
    """``x`` with every value a NumPy array, in ``x``'s own structure (None stays None)."""
    return tree.traverse(_node_to_numpy, x)


def _cast_input(x: Any) -> Any:
    if isinstance(x, np.ndarray) and x.dtype.kind in "US":  # fixed-width texts: object arrays, as string tensors
        return x.astype(object)
    if isinstance(x, np.ndarray) and x.dtype.kind in "fiub" and x.dtype != np.dtype(floatx()):
        return x.astype(floatx())
    return x


def cast_inputs(x: Any) -> Any:
    """Float, integer and bool input arrays become floatx (float32), once per fit, not per batch; NumPy's
    fixed-width text arrays become object arrays, as string tensors hold them."""
    return tree.map_structure(_cast_input, x)


def flat(x: Any) -> list[np.ndarray]:
    """The arrays in ``x`` in ``tensorlet.tree`` order (a dict's in sorted key order), None entries left out."""
    if type(x) is np.ndarray:
        return [x]
    return [a for a in tree.flatten(x) if a is not None]


def num_samples(x: Any) -> int:
    arrays = flat(x)
    return int(arrays[0].shape[0]) if arrays else 0


def take(x: Any, idx: Any) -> Any:
    """The samples ``idx`` of every array in ``x``."""
    if type(x) is np.ndarray:
        return x[idx]
    return tree.map_structure(lambda a: None if a is None else a[idx], x)


def check_lengths(x: Any, y: Any, sample_weight: Any) -> None:
    nx = {a.shape[0] for a in flat(x)}
    if len(nx) > 1:
        raise ValueError(f"All input arrays (x) should have the same number of samples. Got array sizes: {sorted(nx)}")
    ny = {a.shape[0] for a in flat(y)}
    if nx and ny and nx != ny:
        raise ValueError(f"Data cardinality is ambiguous: x sizes: {sorted(nx)[0]}, y sizes: {sorted(ny)[0]}. Make "
                         "sure all arrays contain the same number of samples (x and y have different lengths).")
    if sample_weight is not None:
        ns = {a.shape[0] for a in flat(sample_weight)}
        if nx and ns != nx:
            raise ValueError(f"sample_weight has {sorted(ns)[0]} samples but x has {sorted(nx)[0]}")


def check_finite(x: Any, where: str = "x") -> None:
    """Warn once if the inputs hold NaN or inf."""
    for a in flat(x):
        # any NaN/inf makes the sum non-finite (so can an overflow, which the exact count below then clears);
        # summing in the array's own dtype is one vectorised pass, without a float64 copy
        if a.dtype.kind != "f":
            continue
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.add.reduce(a, axis=None)
        bad = 0 if np.isfinite(total) else int((~np.isfinite(a)).sum())
        if bad:
            warnings.warn(f"The input data ({where}) contains {bad} NaN or infinite value(s); the loss will likely "
                          "be NaN.", RuntimeWarning, stacklevel=4)
            return


def split_validation(x: Any, y: Any, sw: Any, validation_split: float) -> tuple[Any, Any, Any, Any, Any, Any]:
    """Keras semantics: the LAST fraction of the samples (before any shuffling) is held out."""
    if not 0 <= validation_split < 1:
        raise ValueError(f"validation_split must be in [0, 1), received: {validation_split}")
    n = num_samples(x)
    split_at = int(math.ceil(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(f"validation_split={validation_split} leaves an empty training or validation set for "
                         f"{n} samples (train {split_at}, validation {n - split_at}); use a different split.")
    a, b = slice(0, split_at), slice(split_at, n)
    return take(x, a), take(y, a), take(sw, a), take(x, b), take(y, b), take(sw, b)


class ArrayBatches:
    """Batches of in-memory arrays; reshuffled at each epoch when asked."""

    def __init__(self, x: Any, y: Any = None, sample_weight: Any = None, batch_size: int = 32,
                 shuffle: Any = False, steps: int | None = None, seed_rng: Any = None) -> None:
        self.x, self.y, self.sw = x, y, sample_weight
        self.n = num_samples(x)
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.steps = steps
        self.rng = seed_rng
        self.order: np.ndarray | None = None  # this epoch's sample order (shuffle=True) or batch order ("batch")

    def __len__(self) -> int:
        full = int(math.ceil(self.n / self.batch_size))
        return min(full, self.steps) if self.steps else full

    def epoch(self, order: Any = None, start: int = 0) -> Iterator[tuple[Any, Any, Any]]:
        """The batches of one epoch, from batch ``start``; ``order`` replays a saved epoch's order (a resumed
        fit) instead of drawing a new one."""
        n, bs = self.n, self.batch_size
        if self.shuffle == "batch":
            self.order = np.asarray(order) if order is not None else self._permutation(len(range(0, n, bs))) * bs
            batches = [np.arange(s, min(s + bs, n)) for s in self.order]
        elif self.shuffle:
            self.order = np.asarray(order) if order is not None else self._permutation(n)
            batches = [self.order[s: s + bs] for s in range(0, n, bs)]
        else:
            self.order = None
            batches = [slice(s, min(s + bs, n)) for s in range(0, n, bs)]  # type: ignore[misc]
        if self.steps:
            batches = batches[: self.steps]
        batches = batches[start:]
        x, y, sw = self.x, self.y, self.sw
        if type(x) is np.ndarray and (y is None or type(y) is np.ndarray) and sw is None:
            for idx in batches:  # the common case (one input, one target array), without take()'s dispatch
                yield x[idx], None if y is None else y[idx], None
            return
        for idx in batches:
            yield take(x, idx), take(y, idx), take(sw, idx)

    def _permutation(self, n: int) -> np.ndarray:
        return (self.rng.permutation(n) if self.rng is not None else np.random.permutation(n))


class GeneratorBatches:
    """Batches from a Python generator/iterator or a Sequence/PyDataset (indexable, with ``len``)."""

    def __init__(self, data: Any, steps: int | None = None, shuffle: bool = False) -> None:
        self.data = data
        self.steps = steps
        self.shuffle = shuffle
        self.indexable = hasattr(data, "__getitem__") and hasattr(data, "__len__")
        self._iter: Any = None if self.indexable else iter(data)
        self.order: list[int] | None = None

    def __len__(self) -> int:
        if self.indexable:
            return min(len(self.data), self.steps) if self.steps else len(self.data)
        if self.steps is None:
            return 0  # unknown
        return self.steps

    def epoch(self, order: Any = None, start: int = 0) -> Iterator[tuple[Any, Any, Any]]:
        """One epoch's batches from batch ``start`` (a resumed fit); ``order`` replays a saved Sequence order.
        An iterator cannot be rewound: a resumed epoch takes its remaining steps from where it stands."""
        if self.indexable:
            if order is not None:
                self.order = [int(i) for i in order]
            else:
                self.order = list(range(len(self.data)))
                if self.shuffle:
                    np.random.shuffle(self.order)
            indices = self.order[: self.steps] if self.steps else self.order
            for i in indices[start:]:
                yield unpack(self.data[i])
            if hasattr(self.data, "on_epoch_end"):
                self.data.on_epoch_end()
            return
        count = start
        while self.steps is None or count < self.steps:
            try:
                item = next(self._iter)
            except StopIteration:
                if self.steps is not None and count == 0:
                    raise ValueError("The data generator is exhausted before any batch of this epoch") from None
                return
            yield unpack(item)
            count += 1


def unpack(item: Any) -> tuple[Any, Any, Any]:
    if isinstance(item, tuple):
        if len(item) == 1:
            return cast_inputs(to_numpy(item[0])), None, None
        if len(item) == 2:
            return cast_inputs(to_numpy(item[0])), to_numpy(item[1]), None
        if len(item) == 3:
            return cast_inputs(to_numpy(item[0])), to_numpy(item[1]), to_numpy(item[2])
    return cast_inputs(to_numpy(item)), None, None


def is_generator_like(x: Any) -> bool:
    if isinstance(x, (np.ndarray, Tensor, list, tuple, dict)) or x is None:
        return False
    return hasattr(x, "__next__") or hasattr(x, "__iter__") or (hasattr(x, "__getitem__") and hasattr(x, "__len__"))
