"""Read CIFAR's python batches with a restricted unpickler: plain data and NumPy arrays, and nothing that runs.

The official ``cifar-10-batches-py`` and ``cifar-100-python`` files are pickles of a dict holding bytes, lists of
ints and one uint8 array. Loading a pickle may call any importable function the file names, so
:class:`RestrictedUnpickler` resolves only the few names that describe an array (``numpy.dtype``,
``numpy.ndarray``, ``_reconstruct``, ``scalar``, ``_frombuffer``, ``_codecs.encode``), and each resolves to a
stand-in of ours: NumPy's own unpickling code never sees the file's data. The stand-ins accept only simple dtypes
(booleans, numbers, fixed-size bytes and text; no objects) and rebuild arrays with ``np.frombuffer`` after checking
their size. :func:`load_pickle` then checks that the result holds only the expected types.

The work is bounded by the file's size (:mod:`tensorlet.datasets.pickle_bounds`): the opcodes are checked before
unpickling, the bytes the stand-ins materialize are budgeted, and the result may not reach one container twice.
"""
from __future__ import annotations

import functools
import io
import math
import os
import pickle
import re
from typing import Any

import numpy as np

from tensorlet.datasets.pickle_bounds import Budget, UnsafePickleError, check_opcodes

_SIMPLE_DTYPE = re.compile(r"[biufcSU]\d+")
_MAX_DEPTH = 8


class _ArrayType:
    """Stands for ``numpy.ndarray`` inside a pickle; it cannot be called."""


class _DtypeStandIn:
    """``numpy.dtype(obj, align, copy)`` followed by its ``__setstate__``: validated, then a real dtype."""

    def __init__(self, obj: Any, align: Any = False, copy: Any = False) -> None:
        text = obj.decode("ascii") if isinstance(obj, bytes) else obj
        if not isinstance(text, str) or not _SIMPLE_DTYPE.fullmatch(text):
            raise UnsafePickleError(f"refusing dtype {obj!r}: only booleans, numbers, bytes and text are allowed")
        self.dtype = np.dtype(text)

    def __setstate__(self, state: Any) -> None:
        if not isinstance(state, tuple) or len(state) < 8 or any(s is not None for s in state[2:5]):
            raise UnsafePickleError("refusing a structured or sub-array dtype")
        endian = state[1].decode("ascii") if isinstance(state[1], bytes) else state[1]
        if endian == "<":
            self.dtype = self.dtype.newbyteorder("<")
        elif endian == ">":
            self.dtype = self.dtype.newbyteorder(">")


def _real_dtype(dtype: Any) -> np.dtype:
    if not isinstance(dtype, _DtypeStandIn):
        raise UnsafePickleError(f"expected a dtype, got {type(dtype).__name__}")
    return dtype.dtype


def _shape(shape: Any) -> tuple[int, ...]:
    if not isinstance(shape, tuple) or not all(isinstance(n, int) and n >= 0 for n in shape):
        raise pickle.UnpicklingError(f"malformed array shape {shape!r}")
    return shape


def _from_bytes(raw: Any, dtype: np.dtype, shape: tuple[int, ...], fortran: bool, budget: Budget) -> np.ndarray:
    if not isinstance(raw, (bytes, bytearray)):
        raise UnsafePickleError(f"refusing array data of type {type(raw).__name__} (object arrays are not allowed)")
    budget.spend(len(raw), f"an array of shape {shape}")
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise pickle.UnpicklingError(f"array data has {len(raw)} bytes, its shape {shape} and dtype {dtype} need "
                                     f"{math.prod(shape) * dtype.itemsize}")
    flat = np.frombuffer(raw, dtype=dtype)
    return flat.reshape(shape, order="F" if fortran else "C").copy(order="K")  # copy: writable, like np.load


class _ArrayStandIn:
    """``_reconstruct(ndarray, shape, dtype)`` followed by ``ndarray.__setstate__``, done with ``frombuffer``."""

    def __init__(self, subtype: Any, *_: Any, budget: Budget) -> None:
        if subtype is not _ArrayType:
            raise UnsafePickleError("refusing to reconstruct anything but a plain numpy.ndarray")
        self.array: np.ndarray | None = None
        self.budget = budget

    def __setstate__(self, state: Any) -> None:
        if self.array is not None:
            raise UnsafePickleError("refusing to set an array's state twice")
        if not isinstance(state, tuple) or len(state) not in (4, 5):
            raise pickle.UnpicklingError("malformed array state")
        shape, dtype, fortran, raw = state[-4:]
        self.array = _from_bytes(raw, _real_dtype(dtype), _shape(shape), bool(fortran), self.budget)


def _scalar(dtype: Any, raw: Any = b"", *, budget: Budget) -> Any:
    return _from_bytes(raw, _real_dtype(dtype), (1,), False, budget)[0]


def _frombuffer(buffer: Any, dtype: Any, shape: Any, order: Any = "C", *, budget: Budget) -> np.ndarray:
    if not isinstance(buffer, (bytes, bytearray)):
        raise UnsafePickleError(f"refusing array data of type {type(buffer).__name__}")
    return _from_bytes(bytes(buffer), _real_dtype(dtype), _shape(shape), order in ("F", b"F"), budget)


def _encode(text: Any, encoding: Any = "utf-8", *, budget: Budget) -> bytes:
    """``_codecs.encode``, as protocol-2 pickles use it for bytes: str to bytes, nothing else."""
    if not isinstance(text, str) or not isinstance(encoding, str):
        raise UnsafePickleError("refusing _codecs.encode on anything but text")
    try:
        out = text.encode(encoding)
    except LookupError:
        raise UnsafePickleError(f"refusing unknown text encoding {encoding[:40]!r}") from None
    budget.spend(len(out), "an encoded string")
    return out


_STAND_INS: dict[tuple[str, str], Any] = {("numpy", "ndarray"): _ArrayType, ("numpy", "dtype"): _DtypeStandIn,
                                          ("_codecs", "encode"): _encode}
for _core in ("numpy.core", "numpy._core"):  # NumPy 1 and 2 spell their private modules differently
    _STAND_INS[(f"{_core}.multiarray", "_reconstruct")] = _ArrayStandIn
    _STAND_INS[(f"{_core}.multiarray", "scalar")] = _scalar
    _STAND_INS[(f"{_core}.numeric", "_frombuffer")] = _frombuffer


_BUDGETED = (_ArrayStandIn, _scalar, _frombuffer, _encode)
# What a malformed pickle makes the unpickler raise; each becomes one UnpicklingError naming the file.
PICKLE_ERRORS = (EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError, OverflowError,
                 RecursionError, MemoryError)


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only array-describing names, each to a checking stand-in; anything else
    (``os.system``, ``builtins.eval``, any class) raises :class:`UnsafePickleError` before it is called.

    ``budget`` bounds the bytes the stand-ins materialize (see :class:`~tensorlet.datasets.pickle_bounds.Budget`).
    """

    def __init__(self, file: Any, *, budget: Budget, **kwargs: Any) -> None:
        super().__init__(file, **kwargs)
        self.budget = budget

    def stand_in(self, module: str, name: str) -> Any:
        try:
            return _STAND_INS[(module, name)]
        except KeyError:
            raise UnsafePickleError(f"refusing to load {module}.{name}: a dataset file holds only plain data and "
                                    "NumPy arrays (the file may be corrupted or malicious)") from None

    def find_class(self, module: str, name: str) -> Any:
        found = self.stand_in(module, name)
        if found in _BUDGETED or (isinstance(found, type) and issubclass(found, _ArrayStandIn)):
            return functools.partial(found, budget=self.budget)
        return found


class _Walk:
    """The state of one :func:`_finish` walk: the containers met so far, and how many elements are left."""

    def __init__(self, max_elements: int) -> None:
        self.seen: set[int] = set()
        self.left = max_elements

    def visit(self, container: Any) -> None:
        self.left -= len(container)
        if self.left < 0:
            raise UnsafePickleError("the data holds more elements than a file of this size can describe")
        if len(container) and id(container) in self.seen:
            raise UnsafePickleError(f"refusing a {type(container).__name__} referenced more than once (shared "
                                    "references are how a small pickle describes exponentially large data)")
        self.seen.add(id(container))


def _finish(value: Any, depth: int = 0, walk: _Walk | None = None) -> Any:
    """Swap array stand-ins for their arrays, and refuse any type a dataset file should not hold, any container
    reached twice, and more elements than ``walk`` allows."""
    if walk is None:
        walk = _Walk(1 << 62)
    if depth > _MAX_DEPTH:
        raise UnsafePickleError("refusing data nested deeper than a dataset file needs")
    if isinstance(value, _ArrayStandIn):
        if value.array is None:
            raise pickle.UnpicklingError("an array was declared but its data is missing")
        return value.array
    if isinstance(value, dict):
        walk.visit(value)
        if not all(isinstance(k, (str, bytes)) for k in value):
            raise UnsafePickleError("refusing a dict whose keys are not text or bytes")
        return {k: _finish(v, depth + 1, walk) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        walk.visit(value)
        return type(value)(_finish(v, depth + 1, walk) for v in value)
    if value is None or isinstance(value, (bool, int, float, str, bytes, np.ndarray, np.generic)):
        return value
    raise UnsafePickleError(f"refusing a value of type {type(value).__name__}")


def read_limited(fpath: str, max_bytes: int) -> bytes:
    """The bytes of ``fpath``, refusing a file larger than ``max_bytes``."""
    with open(fpath, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > max_bytes:
            raise ValueError(f"{fpath}: {size} bytes, more than the {max_bytes} a dataset file of this kind holds")
        data = f.read(size + 1)
    if len(data) > size:
        raise ValueError(f"{fpath}: the file grew while it was read")
    return data


def unpickle_bytes(data: bytes, where: str, unpickler: type[RestrictedUnpickler] = RestrictedUnpickler,
                   start: int = 0) -> Any:
    """The plain data pickled in ``data[start:]``, checked and bounded (see the module docstring)."""
    try:
        check_opcodes(data, start)
        stream = io.BytesIO(data)
        stream.seek(start)
        size = len(data) - start
        loaded = unpickler(stream, encoding="bytes", budget=Budget(size)).load()
        return _finish(loaded, walk=_Walk(size))
    except pickle.UnpicklingError as e:
        raise type(e)(f"{where}: {e}") from None
    except PICKLE_ERRORS as e:
        raise pickle.UnpicklingError(f"{where}: not a valid dataset pickle ({type(e).__name__}: {e})") from None


def load_pickle(fpath: str, max_bytes: int = 1 << 30) -> Any:
    """Load a pickle of plain data and NumPy arrays (Python 2 strings come back as bytes), with time and memory
    bounded by the file's size.

    Raises:
        UnsafePickleError: the file names a function or class, holds an unexpected type, or asks for more work
            than its size allows (shared references, huge memo indices). Nothing it names is ever called.
        pickle.UnpicklingError: the file is not a valid pickle of that kind.
        ValueError: the file is larger than ``max_bytes``.
    """
    return unpickle_bytes(read_limited(fpath, max_bytes), fpath)


def load_batch(fpath: str, label_key: str = "labels") -> tuple[np.ndarray, list[int]]:
    """One CIFAR batch: ``(data, labels)`` with data uint8 of shape (n, 3, 32, 32), as Keras' ``load_batch``."""
    batch = load_pickle(fpath)
    if not isinstance(batch, dict):
        raise pickle.UnpicklingError(f"{fpath}: a CIFAR batch is a dict, got {type(batch).__name__}")
    batch = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in batch.items()}
    data, labels = batch.get("data"), batch.get(label_key)
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        raise ValueError(f"{fpath}: 'data' should be a uint8 array of shape (n, 3072)")
    if not isinstance(labels, list) or len(labels) != len(data) or not all(isinstance(v, int) for v in labels):
        raise ValueError(f"{fpath}: {label_key!r} should be a list of {len(data)} integers")
    return data.reshape(-1, 3, 32, 32), labels


def label_array(labels: list[int], n_classes: int, where: str) -> np.ndarray:
    """The labels as int64, checked to lie in ``0..n_classes - 1``."""
    y = np.asarray(labels, dtype=np.int64)
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{where}: labels outside 0..{n_classes - 1}")
    return y


def to_image_data_format(x: np.ndarray) -> np.ndarray:
    """(n, 3, 32, 32) images in the layout ``tensorlet.config.image_data_format()`` asks for (channels last by
    default, as Keras returns them)."""
    from tensorlet.config import image_data_format

    if image_data_format() == "channels_last":
        return np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    return x
