"""Reading primitives for HDF5 files that may be corrupt or hostile: every loader reads through these.

A model file is data, so reading one must not run code, read other files, or cost more time and memory than the
model it describes. HDF5 can do all of these on its own, so each entry point checks first:

- :func:`open_file` scans the raw bytes for global heap collections (``GCOL``) that would make libhdf5 loop
  forever: it walks a collection's objects until the end of the collection, and an object of size 0 (or one whose
  size wraps the pointer around) never advances the walk. A bit flip in a collection's size is enough (a 20 kB
  ``.h5`` whose ``attrs["model_config"]`` never returned). The walk is repeated here, in Python, with the same
  rules, and such a file is refused before libhdf5 sees it.
- :func:`member` follows hard links only: an external link would open another file, a soft link points
  elsewhere in this one; Keras writes neither.
- :func:`check_dataset` refuses external storage (the data lives in another file, e.g. ``/etc/passwd``), virtual
  datasets (built from other files), filters that libhdf5 would look for as plugins, chunks larger than the
  data, and types a weight cannot hold (complex, strings, references, compounds); and compares the declared shape
  with the one the model expects, all before a byte of data is read.
- :func:`read_attr` checks an attribute's declared size before reading it.
"""
from __future__ import annotations

import io
import mmap
import os
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from tensorlet.saving.atomic import require_h5py

_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_WEIGHT_KINDS = "fiub"  # float, signed, unsigned, bool: what a weight may be stored as
# Filters built into libhdf5 or h5py (deflate, shuffle, fletcher32, szip, nbit, scaleoffset, lzf): any other id
# makes libhdf5 search its plugin folders for a shared library to load.
_BUILTIN_FILTERS = {1, 2, 3, 4, 5, 6, 32000}
MIN_CHUNK_BYTES = 1 << 20


class HDF5FileError(ValueError):
    """An HDF5 file that cannot be read safely or is not what the model needs; the message names the file and
    the object."""


def _sizeof_lengths(buf: Any) -> int:
    """The size of a "length" field, from the superblock (at 0, 512, 1024, ...); 8 when none is found."""
    base = 0
    while base + 16 <= len(buf):
        if buf[base:base + 8] == _SIGNATURE:
            version = buf[base + 8]
            size = buf[base + 14] if version < 2 else buf[base + 10]
            return size if size in (2, 4, 8, 16, 32) else 8
        base = 512 if base == 0 else base * 2
    return 8


def check_global_heaps(buf: Any, where: str) -> None:
    """Refuse a global heap collection whose object walk would never end in libhdf5.

    Every ``GCOL`` version 1 that lies within the file is walked as libhdf5 walks it: a 2-byte index, 2-byte
    reference count, 4 reserved bytes and a length-sized object size, then the object's data padded to 8 bytes
    (index 0 is the free space, whose size is not padded). The walk stops at the collection's end, so each step
    must advance; a free-space object smaller than an object header is refused as malformed (libhdf5 writes
    smaller free space without a header), which also bounds the walk at one step per 16 bytes.
    """
    lengths = _sizeof_lengths(buf)
    header = 8 + lengths  # collection header, and also an object header: 2 + 2 + 4 + lengths
    budget = len(buf) // 8 + 1024  # steps over all collections: real ones do not overlap
    pos = buf.find(b"GCOL\x01")
    while pos >= 0:
        size = int.from_bytes(buf[pos + 8:pos + 8 + lengths], "little")
        if header <= size <= len(buf) - pos:  # libhdf5 itself refuses a collection that runs past the file
            p, end = pos + header, pos + size
            while p + header <= end:
                index = int.from_bytes(buf[p:p + 2], "little")
                osize = int.from_bytes(buf[p + 8:p + 8 + lengths], "little")
                need = header + ((osize + 7) & ~7) if index else osize
                if need < header or need >= 1 << 62:
                    raise HDF5FileError(
                        f"{where}: corrupted global heap at byte {pos}: object {index} at byte {p} has size "
                        f"{osize}, which would make the HDF5 library loop forever; refusing the file")
                p += need
                budget -= 1
                if budget < 0:
                    raise HDF5FileError(f"{where}: too many overlapping global heap collections (corrupted file)")
        pos = buf.find(b"GCOL\x01", pos + 1)


@contextmanager
def open_file(source: str | bytes, where: str | None = None) -> Iterator[Any]:
    """An ``h5py.File`` open for reading, once :func:`check_global_heaps` passed on its bytes.

    Args:
        source: a path, or the bytes of a file (a ``.keras`` archive's ``model.weights.h5``).
        where: how errors name the file (defaults to the path).

    Raises:
        HDF5FileError: the file is corrupted in a way that would hang libhdf5, or libhdf5 cannot open it.
    """
    h5py = require_h5py()
    where = where or str(source)
    if isinstance(source, (bytes, bytearray)):
        check_global_heaps(source, where)
        target: Any = io.BytesIO(source)
    else:
        with open(source, "rb") as f:
            if os.fstat(f.fileno()).st_size:
                with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
                    check_global_heaps(buf, where)
        target = source
    try:
        f = h5py.File(target, "r")  # type: ignore[attr-defined]
    except (OSError, ValueError, RuntimeError) as e:
        raise HDF5FileError(f"{where} is not a readable HDF5 file (corrupted or truncated?): {e}") from None
    with f:
        yield f


def _name(obj: Any) -> str:
    return str(getattr(obj, "name", None) or "?")


def member(group: Any, name: str, where: str) -> Any:
    """``group[name]`` when it is there through a hard link; None when absent.

    Raises:
        HDF5FileError: ``name`` is an external link (it would open another file) or a soft link.
    """
    h5py = require_h5py()
    try:
        link = group.get(name, getlink=True)
    except (KeyError, RuntimeError, OSError, ValueError, TypeError) as e:
        raise HDF5FileError(f"{where}: cannot read the link {_name(group)}/{name} ({e})") from None
    if link is None:
        return None
    if isinstance(link, h5py.ExternalLink):  # type: ignore[attr-defined]
        raise HDF5FileError(f"{where}: {_name(group).rstrip('/')}/{name} is an external link to "
                            f"{link.filename}:{link.path}; refusing to read other files")
    if not isinstance(link, h5py.HardLink):  # type: ignore[attr-defined]
        raise HDF5FileError(f"{where}: {_name(group).rstrip('/')}/{name} is a {type(link).__name__}; model files "
                            "hold their groups and datasets directly")
    try:
        return group[name]
    except (KeyError, RuntimeError, OSError, ValueError) as e:
        raise HDF5FileError(f"{where}: cannot open {_name(group).rstrip('/')}/{name} ({e})") from None


def is_group(obj: Any) -> bool:
    return obj is not None and hasattr(obj, "keys") and not hasattr(obj, "dtype")


def is_dataset(obj: Any) -> bool:
    return obj is not None and hasattr(obj, "dtype") and hasattr(obj, "shape")


def names(group: Any, where: str) -> list[str]:
    """The link names in a group, in the file's order."""
    try:
        return list(group.keys())
    except (KeyError, RuntimeError, OSError, ValueError, UnicodeDecodeError) as e:
        raise HDF5FileError(f"{where}: cannot list {_name(group)} ({e})") from None


def check_dataset(ds: Any, where: str, shape: tuple[int, ...] | None = None) -> tuple[tuple[int, ...], np.dtype]:
    """The declared shape and dtype of a weight dataset, checked without reading its data.

    Raises:
        HDF5FileError: external storage, a virtual dataset, a plugin filter, oversized chunks, a type a weight
            cannot hold, or (with ``shape``) a shape other than ``shape``.
    """
    what = f"{where}: dataset {_name(ds)}"
    if not is_dataset(ds):
        raise HDF5FileError(f"{what} is a {type(ds).__name__}, not a dataset")
    try:
        declared, dtype, chunks = ds.shape, ds.dtype, ds.chunks
        external, virtual = ds.external, ds.is_virtual
        plist = ds.id.get_create_plist()
        filters = [plist.get_filter(i)[0] for i in range(plist.get_nfilters())]
    except (KeyError, RuntimeError, OSError, ValueError, TypeError) as e:
        raise HDF5FileError(f"{what} cannot be read ({e})") from None
    if external:
        raise HDF5FileError(f"{what} keeps its data in external file(s) {[str(e[0]) for e in external]}; refusing "
                            "to read other files")
    if virtual:
        raise HDF5FileError(f"{what} is a virtual dataset (built from other files); refusing it")
    unknown = [f for f in filters if f not in _BUILTIN_FILTERS]
    if unknown:
        raise HDF5FileError(f"{what} uses HDF5 filter(s) {unknown}, which are not built in (reading them would "
                            "load a plugin library); refusing it")
    if declared is None:
        raise HDF5FileError(f"{what} has no data (a null dataspace)")
    if dtype.kind not in _WEIGHT_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        kind = "complex numbers" if dtype.kind == "c" else f"type {dtype}"
        raise HDF5FileError(f"{what} holds {kind}; weights are real numbers (refusing to cast them)")
    nbytes = int(np.prod(declared, dtype=np.float64)) * dtype.itemsize
    if chunks is not None and int(np.prod(chunks, dtype=np.float64)) * dtype.itemsize > max(nbytes, MIN_CHUNK_BYTES):
        raise HDF5FileError(f"{what} declares chunks of shape {chunks}, larger than its data {declared}")
    if shape is not None and tuple(declared) != tuple(shape):
        raise HDF5FileError(f"{what} has shape {tuple(declared)}, the model expects {tuple(shape)}")
    return tuple(declared), dtype


def read_dataset(ds: Any, where: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """The data of a weight dataset, after :func:`check_dataset`."""
    check_dataset(ds, where, shape)
    try:
        return np.asarray(ds[()])
    except (KeyError, RuntimeError, OSError, ValueError, TypeError) as e:
        raise HDF5FileError(f"{where}: the data of {_name(ds)} cannot be read (corrupted?): {e}") from None


def read_attr(obj: Any, name: str, where: str, max_bytes: int) -> Any:
    """Attribute ``name`` of ``obj`` (None when absent), refused when it declares more than ``max_bytes``."""
    try:
        if name not in obj.attrs:
            return None
        attr_id = obj.attrs.get_id(name)
        declared = int(np.prod(attr_id.shape or (), dtype=np.float64)) * attr_id.dtype.itemsize
        if declared > max_bytes or (declared and attr_id.get_storage_size() > max_bytes):
            raise HDF5FileError(f"{where}: attribute {name!r} of {_name(obj)} declares {declared} bytes, more than "
                                f"the {max_bytes} allowed")
        return obj.attrs[name]
    except HDF5FileError:
        raise
    except (KeyError, RuntimeError, OSError, ValueError, TypeError) as e:
        raise HDF5FileError(f"{where}: attribute {name!r} of {_name(obj)} cannot be read ({e})") from None


def read_text(obj: Any, name: str, where: str, max_bytes: int) -> str | None:
    """A text attribute (str or bytes in the file) as str."""
    value = read_attr(obj, name, where, max_bytes)
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, bytes):
        try:
            return value.decode("utf8")
        except UnicodeDecodeError as e:
            raise HDF5FileError(f"{where}: attribute {name!r} is not UTF-8 text ({e})") from None
    if not isinstance(value, str):
        raise HDF5FileError(f"{where}: attribute {name!r} should be text, got {type(value).__name__}")
    return value


def read_names(obj: Any, name: str, where: str, max_bytes: int) -> list[str]:
    """A list-of-names attribute (Keras 2's ``layer_names``, ``weight_names``); [] when absent."""
    value = read_attr(obj, name, where, max_bytes)
    if value is None:
        return []
    items = np.asarray(value).reshape(-1).tolist()
    out = []
    for item in items:
        if isinstance(item, bytes):
            try:
                item = item.decode("utf8")
            except UnicodeDecodeError as e:
                raise HDF5FileError(f"{where}: attribute {name!r} holds a name that is not UTF-8 ({e})") from None
        if not isinstance(item, str):
            raise HDF5FileError(f"{where}: attribute {name!r} should list names, found {type(item).__name__}")
        out.append(item)
    return out
