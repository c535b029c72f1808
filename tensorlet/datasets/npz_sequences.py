"""Read ``.npz`` datasets without ``allow_pickle``, in time and memory bounded by the file's size.

Members are read whole, at most their declared size (refused when it exceeds ``max_bytes`` or a ratio no deflate
stream reaches; the inflated size is counted as it streams), and a numeric array is made from those bytes once
its header's shape and dtype account for them exactly. An object array in a ``.npy`` member is a pickle after the
header (Keras' imdb.npz, reuters.npz): it is read with the restricted unpickler of
:mod:`tensorlet.datasets.cifar_pickle`, widened to exactly one more shape of data: a one-dimensional object array
whose items are distinct lists of non-negative Python ints. Nothing the file names is ever called; any other
content is refused with :class:`UnsafePickleError`.
"""
from __future__ import annotations

import io
import math
import pickle
import zipfile
from typing import Any

import numpy as np

from tensorlet.datasets.cifar_pickle import (
    RestrictedUnpickler,
    UnsafePickleError,
    _ArrayStandIn,
    _DtypeStandIn,
    _shape,
    unpickle_bytes,
)
from tensorlet.utils.zip_members import read_member

MAX_BYTES = 1 << 31  # the default cap on the inflated size of the arrays read from one file


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
        if self.array is not None:
            raise UnsafePickleError("refusing to set an array's state twice")
        shape = _shape(shape)
        if len(shape) != 1 or type(items) is not list or len(items) != math.prod(shape):
            raise UnsafePickleError("refusing an object array that is not a flat list of sequences")
        seen: set[int] = set()
        array = np.empty(len(items), dtype=object)
        for i, item in enumerate(items):
            if id(item) in seen and item:  # one list many times: quadratic work from linear input
                raise UnsafePickleError("refusing a sequence referenced more than once")
            seen.add(id(item))
            self.budget.spend(len(item) if type(item) is list else 0, "the sequences")
            array[i] = _sequence(item)
        self.array = array


class SequenceUnpickler(RestrictedUnpickler):
    """:class:`RestrictedUnpickler`, plus one-dimensional object arrays of int lists."""

    def stand_in(self, module: str, name: str) -> Any:
        found = super().stand_in(module, name)
        if found is _DtypeStandIn:
            return _SequenceDtype
        if found is _ArrayStandIn:
            return _SequenceArray
        return found


def _numeric(raw: bytearray, offset: int, shape: tuple[int, ...], fortran: bool, dtype: np.dtype,
             where: str) -> np.ndarray:
    if dtype.hasobject or dtype.kind not in "biufcSU":
        raise UnsafePickleError(f"{where}: refusing dtype {dtype} (datasets hold numbers, bytes and text)")
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise ValueError(f"{where}: malformed shape {shape}")
    need = math.prod(shape) * dtype.itemsize
    if need != len(raw) - offset:
        raise ValueError(f"{where}: the header declares shape {shape} of {dtype} ({need} bytes), the member holds "
                         f"{len(raw) - offset} bytes after it")
    flat = np.frombuffer(raw, dtype=dtype, count=math.prod(shape), offset=offset)  # a bytearray: writable
    return flat.reshape(shape, order="F" if fortran else "C")


def _parse_member(raw: bytearray, where: str) -> np.ndarray:
    f = io.BytesIO(raw)
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
    else:
        raise ValueError(f"{where}: unsupported .npy format version {version}")
    if dtype != np.dtype(object):
        return _numeric(raw, f.tell(), tuple(shape), bool(fortran), dtype, where)
    array = unpickle_bytes(bytes(raw), where, SequenceUnpickler, start=f.tell())
    if not isinstance(array, np.ndarray) or array.shape != tuple(shape):
        raise pickle.UnpicklingError(f"{where}: the pickled array does not match its header (shape {shape})")
    return array


def load_npz(path: str, keys: tuple[str, ...], max_bytes: int = MAX_BYTES) -> dict[str, np.ndarray]:
    """The arrays ``keys`` of the ``.npz`` at ``path``: numeric ones as NumPy reads them, object ones as
    1-D object arrays of int lists. At most ``max_bytes`` are inflated in all.

    Raises:
        KeyError: a key is missing (the message lists the file's arrays).
        UnsafePickleError: an object array holds anything but lists of non-negative ints.
        ValueError: the file is not a valid ``.npz``, or asks for more than ``max_bytes``.
    """
    out = {}
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise ValueError(f"{path} is not a valid .npz file: {e}") from None
    with z:
        names = {n[:-4] for n in z.namelist() if n.endswith(".npy")}
        left = max_bytes
        missing = [key for key in keys if key not in names]
        if missing:
            raise KeyError(f"{path}: no array {missing[0]!r}; the file holds {sorted(names)}")
        for key in keys:
            where = f"{path}[{key}]"
            try:
                info = z.getinfo(key + ".npy")
                if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise ValueError(f"compression method {info.compress_type} is not one NumPy writes")
                raw = read_member(z, key + ".npy", left, where)
                left -= len(raw)
                out[key] = _parse_member(raw, where)
            except UnsafePickleError as e:
                raise UnsafePickleError(e if str(e).startswith(where) else f"{where}: {e}") from None
            except pickle.UnpicklingError:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, TypeError, SyntaxError, KeyError,
                    NotImplementedError, OverflowError, RuntimeError) as e:
                message = str(e)
                raise ValueError(message if message.startswith(where) else f"{where}: {message}") from None
    return out
