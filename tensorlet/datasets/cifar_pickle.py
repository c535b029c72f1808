"""Read CIFAR's python batches with a restricted unpickler: plain data and NumPy arrays, and nothing that runs.

The official ``cifar-10-batches-py`` and ``cifar-100-python`` files are pickles of a dict holding bytes, lists of
ints and one uint8 array. Loading a pickle may call any importable function the file names, so
:class:`RestrictedUnpickler` resolves only the few names that describe an array (``numpy.dtype``,
``numpy.ndarray``, ``_reconstruct``, ``scalar``, ``_frombuffer``, ``_codecs.encode``), and each resolves to a
stand-in of ours: NumPy's own unpickling code never sees the file's data. The stand-ins accept only simple dtypes
(booleans, numbers, fixed-size bytes and text; no objects) and rebuild arrays with ``np.frombuffer`` after checking
their size. :func:`load_pickle` then checks that the result holds only the expected types.
"""
from __future__ import annotations

import math
import pickle
import re
from typing import Any

import numpy as np

_SIMPLE_DTYPE = re.compile(r"[biufcSU]\d+")
_MAX_DEPTH = 8


class UnsafePickleError(pickle.UnpicklingError):
    """The file asked for something a dataset never needs (a function, a class, an object array...)."""


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


def _from_bytes(raw: Any, dtype: np.dtype, shape: tuple[int, ...], fortran: bool) -> np.ndarray:
    if not isinstance(raw, (bytes, bytearray)):
        raise UnsafePickleError(f"refusing array data of type {type(raw).__name__} (object arrays are not allowed)")
    if len(raw) != math.prod(shape) * dtype.itemsize:
        raise pickle.UnpicklingError(f"array data has {len(raw)} bytes, its shape {shape} and dtype {dtype} need "
                                     f"{math.prod(shape) * dtype.itemsize}")
    flat = np.frombuffer(raw, dtype=dtype)
    return flat.reshape(shape, order="F" if fortran else "C").copy(order="K")  # copy: writable, like np.load


class _ArrayStandIn:
    """``_reconstruct(ndarray, shape, dtype)`` followed by ``ndarray.__setstate__``, done with ``frombuffer``."""

    def __init__(self, subtype: Any, *_: Any) -> None:
        if subtype is not _ArrayType:
            raise UnsafePickleError("refusing to reconstruct anything but a plain numpy.ndarray")
        self.array: np.ndarray | None = None

    def __setstate__(self, state: Any) -> None:
        if not isinstance(state, tuple) or len(state) not in (4, 5):
            raise pickle.UnpicklingError("malformed array state")
        shape, dtype, fortran, raw = state[-4:]
        self.array = _from_bytes(raw, _real_dtype(dtype), _shape(shape), bool(fortran))


def _scalar(dtype: Any, raw: Any = b"") -> Any:
    return _from_bytes(raw, _real_dtype(dtype), (1,), False)[0]


def _frombuffer(buffer: Any, dtype: Any, shape: Any, order: Any = "C") -> np.ndarray:
    return _from_bytes(bytes(buffer), _real_dtype(dtype), _shape(shape), order in ("F", b"F"))


def _encode(text: Any, encoding: Any = "utf-8") -> bytes:
    """``_codecs.encode``, as protocol-2 pickles use it for bytes: str to bytes, nothing else."""
    if not isinstance(text, str) or not isinstance(encoding, str):
        raise UnsafePickleError("refusing _codecs.encode on anything but text")
    return text.encode(encoding)


_STAND_INS: dict[tuple[str, str], Any] = {("numpy", "ndarray"): _ArrayType, ("numpy", "dtype"): _DtypeStandIn,
                                          ("_codecs", "encode"): _encode}
for _core in ("numpy.core", "numpy._core"):  # NumPy 1 and 2 spell their private modules differently
    _STAND_INS[(f"{_core}.multiarray", "_reconstruct")] = _ArrayStandIn
    _STAND_INS[(f"{_core}.multiarray", "scalar")] = _scalar
    _STAND_INS[(f"{_core}.numeric", "_frombuffer")] = _frombuffer


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only array-describing names, each to a checking stand-in; anything else
    (``os.system``, ``builtins.eval``, any class) raises :class:`UnsafePickleError` before it is called."""

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _STAND_INS[(module, name)]
        except KeyError:
            raise UnsafePickleError(f"refusing to load {module}.{name}: a dataset file holds only plain data and "
                                    "NumPy arrays (the file may be corrupted or malicious)") from None


def _finish(value: Any, depth: int = 0) -> Any:
    """Swap array stand-ins for their arrays, and refuse any type a dataset file should not hold."""
    if depth > _MAX_DEPTH:
        raise UnsafePickleError("refusing data nested deeper than a dataset file needs")
    if isinstance(value, _ArrayStandIn):
        if value.array is None:
            raise pickle.UnpicklingError("an array was declared but its data is missing")
        return value.array
    if isinstance(value, dict):
        if not all(isinstance(k, (str, bytes)) for k in value):
            raise UnsafePickleError("refusing a dict whose keys are not text or bytes")
        return {k: _finish(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_finish(v, depth + 1) for v in value)
    if value is None or isinstance(value, (bool, int, float, str, bytes, np.ndarray, np.generic)):
        return value
    raise UnsafePickleError(f"refusing a value of type {type(value).__name__}")


def load_pickle(fpath: str) -> Any:
    """Load a pickle of plain data and NumPy arrays (Python 2 strings come back as bytes).

    Raises:
        UnsafePickleError: the file names a function or class, or holds an unexpected type. Nothing it names is
            ever called.
        pickle.UnpicklingError: the file is not a valid pickle of that kind.
    """
    with open(fpath, "rb") as f:
        try:
            loaded = RestrictedUnpickler(f, encoding="bytes").load()
        except pickle.UnpicklingError as e:
            raise type(e)(f"{fpath}: {e}") from None
        except (EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError, OverflowError) as e:
            raise pickle.UnpicklingError(f"{fpath}: not a valid dataset pickle ({type(e).__name__}: {e})") from None
    try:
        return _finish(loaded)
    except pickle.UnpicklingError as e:
        raise type(e)(f"{fpath}: {e}") from None


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
