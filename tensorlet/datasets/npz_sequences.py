"""Read ``.npz`` files whose arrays may be object arrays of integer sequences (Keras' imdb.npz, reuters.npz),
without ``allow_pickle``.

An object array in a ``.npy`` member is a pickle after the header. It is read with the restricted unpickler of
:mod:`tensorlet.datasets.cifar_pickle`, widened to exactly one more shape of data: a one-dimensional object array
whose items are lists of non-negative Python ints. Nothing the file names is ever called; any other content is
refused with :class:`UnsafePickleError`. Plain numeric members are read by NumPy with ``allow_pickle=False``.
"""
from __future__ import annotations

import math
import pickle
import zipfile
from typing import IO, Any

import numpy as np

from tensorlet.datasets.cifar_pickle import (
    _STAND_INS,
    RestrictedUnpickler,
    UnsafePickleError,
    _ArrayStandIn,
    _DtypeStandIn,
    _finish,
    _shape,
)


class _SequenceDtype(_DtypeStandIn):
    """A dtype stand-in that also admits the object dtype (``'O8'``)."""

    def __init__(self, obj: Any, align: Any = False, copy: Any = False) -> None:
        text = obj.decode("ascii") if isinstance(obj, bytes) else obj
        if text == "O8":
            self.dtype = np.dtype(object)
            return
        super().__init__(obj, align, copy)

    def __setstate__(self, state: Any) -> None:
        if self.dtype != np.dtype(object):
            super().__setstate__(state)


def _sequence(item: Any) -> list[int]:
    if type(item) is not list or not all(type(v) is int and v >= 0 for v in item):
        raise UnsafePickleError("refusing an object array item that is not a list of non-negative ints")
    return item


class _SequenceArray(_ArrayStandIn):
    """``ndarray.__setstate__`` for an object array of int lists (and, as before, for plain numeric arrays)."""

    def __setstate__(self, state: Any) -> None:
        if not isinstance(state, tuple) or len(state) not in (4, 5):
            raise pickle.UnpicklingError("malformed array state")
        shape, dtype, _fortran, items = state[-4:]
        if not (isinstance(dtype, _DtypeStandIn) and dtype.dtype == np.dtype(object)):
            super().__setstate__(state)
            return
        shape = _shape(shape)
        if len(shape) != 1 or type(items) is not list or len(items) != math.prod(shape):
            raise UnsafePickleError("refusing an object array that is not a flat list of sequences")
        array = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            array[i] = _sequence(item)
        self.array = array


class SequenceUnpickler(RestrictedUnpickler):
    """:class:`RestrictedUnpickler`, plus one-dimensional object arrays of int lists."""

    def find_class(self, module: str, name: str) -> Any:
        found = _STAND_INS.get((module, name))
        if found is _DtypeStandIn:
            return _SequenceDtype
        if found is _ArrayStandIn:
            return _SequenceArray
        return super().find_class(module, name)


def _read_member(f: IO[bytes], where: str) -> np.ndarray | None:
    """The object array in ``f``, or None when the header announces a plain (numeric) array."""
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, _fortran, dtype = np.lib.format.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, _fortran, dtype = np.lib.format.read_array_header_2_0(f)
    else:
        raise ValueError(f"{where}: unsupported .npy format version {version}")
    if dtype != np.dtype(object):
        return None
    try:
        loaded = SequenceUnpickler(f, encoding="bytes").load()
    except (EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError, OverflowError) as e:
        raise pickle.UnpicklingError(f"{where}: not a valid array of sequences ({type(e).__name__}: {e})") from None
    array = _finish(loaded)
    if not isinstance(array, np.ndarray) or array.shape != tuple(shape):
        raise pickle.UnpicklingError(f"{where}: the pickled array does not match its header (shape {shape})")
    return array


def load_npz(path: str, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The arrays ``keys`` of the ``.npz`` at ``path``: numeric ones as NumPy reads them, object ones as
    1-D object arrays of int lists.

    Raises:
        KeyError: a key is missing (the message lists the file's arrays).
        UnsafePickleError: an object array holds anything but lists of non-negative ints.
    """
    out = {}
    with zipfile.ZipFile(path) as z:
        names = {n[:-4] for n in z.namelist() if n.endswith(".npy")}
        for key in keys:
            if key not in names:
                raise KeyError(f"{path}: no array {key!r}; the file holds {sorted(names)}")
            where = f"{path}[{key}]"
            try:
                with z.open(key + ".npy") as f:
                    array = _read_member(f, where)
            except UnsafePickleError as e:
                raise UnsafePickleError(f"{where}: {e}") from None
            if array is None:  # numeric: NumPy reads it, with pickles refused
                with z.open(key + ".npy") as f:
                    array = np.lib.format.read_array(f, allow_pickle=False)
            out[key] = array
    return out
