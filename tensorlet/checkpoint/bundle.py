"""The files of one checkpoint: ``<prefix>.index`` and ``<prefix>.data-00000-of-00001``.

The names and their layout are TensorFlow's; the content is tensorlet's own (TensorFlow's tensor-bundle format, a
table of protocol buffers, is neither written nor read, and a TensorFlow checkpoint gives a clear error):

- ``<prefix>.data-00000-of-00001``: the values, one after the other, each as the raw little-endian bytes of a
  C-ordered array;
- ``<prefix>.index``: UTF-8 JSON,
  ``{"format": "tensorlet-checkpoint", "version": 1, "data_size": <bytes>, "tensors": {<key>: {"dtype": "float32",
  "shape": [5], "offset": <byte>, "size": <bytes>, "crc32": <checksum>}, ...}, "object_graph": {"nodes": [...]}}``,
  where each node of the object graph (node 0 is the root) has a ``type`` (``variable``, ``list``, ``dict`` or
  ``object``), lists its ``children`` as ``[name, node]`` pairs, has its ``key`` in ``tensors``, ``name`` and
  ``trainable`` flag when it is a variable, and for an optimizer its ``slots`` as
  ``[variable node, slot name, slot node]`` triples (see ``checkpoint.graph``).

Writing is atomic per file (a temporary file, then a rename): the data file first, then the index, which records
the data file's size. An interrupted save leaves no index for a new prefix (so ``latest_checkpoint`` still names
the previous checkpoint), or an index whose data file does not match (an error that says so), never a silently
wrong value. Reading executes nothing: the index is JSON, validated before use, and values are decoded with
``numpy.frombuffer`` after their checksum is checked.
"""
from __future__ import annotations

import json
import os
import zlib
from typing import Any, Sequence

import numpy as np

from tensorlet import dtypes
from tensorlet.errors import DataLossError, NotFoundError
from tensorlet.saving.atomic import atomic_path

FORMAT = "tensorlet-checkpoint"
VERSION = 1
DATA_SUFFIX = ".data-00000-of-00001"
GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"  # listed as TensorFlow lists it; its value is the JSON object graph
MAX_INDEX_BYTES = 1 << 30
_DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16",
                     "float32", "float64", "complex64", "complex128"})


def index_path(prefix: str) -> str:
    return prefix + ".index"


def data_path(prefix: str) -> str:
    return prefix + DATA_SUFFIX


def exists(prefix: str) -> bool:
    return os.path.isfile(index_path(prefix))


def write(prefix: str, values: Sequence[tuple[str, Any]], object_graph: dict[str, Any]) -> None:
    """Write ``(key, array)`` pairs and the object graph under ``prefix`` (see the module docstring)."""
    tensors: dict[str, Any] = {}
    offset = 0
    with atomic_path(data_path(prefix)) as tmp, open(tmp, "wb") as f:
        for key, value in values:
            arr = np.asarray(value, order="C")
            if arr.dtype.name not in _DTYPES:
                raise TypeError(f"Checkpoint: cannot save '{key}' of dtype {arr.dtype}; tensorlet checkpoints hold "
                                f"numeric and boolean values ({', '.join(sorted(_DTYPES))})")
            arr = arr.astype(arr.dtype.newbyteorder("<"), copy=False)
            raw = arr.data.cast("B") if arr.size else b""
            f.write(raw)
            tensors[key] = {"dtype": arr.dtype.name, "shape": list(arr.shape), "offset": offset, "size": len(raw),
                            "crc32": zlib.crc32(raw)}
            offset += len(raw)
    index = {"format": FORMAT, "version": VERSION, "data_size": offset, "tensors": tensors,
             "object_graph": object_graph}
    with atomic_path(index_path(prefix)) as tmp, open(tmp, "w", encoding="utf-8") as f:
        json.dump(index, f)


class BundleReader:
    """Read access to one checkpoint's values and object graph, validated when opened.

    Raises:
        NotFoundError: when ``<prefix>.index`` does not exist.
        DataLossError: when a file is not a tensorlet checkpoint, or is truncated or damaged (the message names
            the file and what is wrong).
    """

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        path = index_path(prefix)
        if not os.path.isfile(path):
            raise NotFoundError(f"Failed to find a checkpoint at '{prefix}': there is no file {path} "
                                "(tf.train.latest_checkpoint(directory) gives the newest checkpoint prefix in a "
                                "directory)")
        size = os.path.getsize(path)
        if size > MAX_INDEX_BYTES:
            raise DataLossError(f"{path}: a checkpoint index of {size} bytes is larger than any tensorlet writes")
        with open(path, "rb") as f:
            raw = f.read()
        if not raw.lstrip()[:1] == b"{":
            raise DataLossError(f"{path} is not a tensorlet checkpoint index (tensorlet writes JSON; TensorFlow's "
                                "tensor-bundle checkpoints are not read by tensorlet)")
        try:
            index = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
            raise DataLossError(f"{path}: the checkpoint index is corrupted ({type(e).__name__}: {e})") from None
        self._check_index(index, path)
        self.tensors: dict[str, dict[str, Any]] = index["tensors"]
        self.nodes: list[dict[str, Any]] = index["object_graph"]["nodes"]
        self.graph_json = json.dumps(index["object_graph"]).encode("utf-8")
        data = data_path(prefix)
        if not os.path.isfile(data):
            raise DataLossError(f"{data} is missing: the checkpoint {prefix} is incomplete")
        if os.path.getsize(data) != index["data_size"]:
            raise DataLossError(f"{data} has {os.path.getsize(data)} bytes, its index {path} expects "
                                f"{index['data_size']}: the file is truncated or belongs to another save (an "
                                "interrupted save over the same prefix?)")

    @staticmethod
    def _check_index(index: Any, path: str) -> None:
        def bad(why: str) -> DataLossError:
            return DataLossError(f"{path}: not a valid tensorlet checkpoint index ({why})")

        if not isinstance(index, dict) or index.get("format") != FORMAT:
            raise bad("no 'format': 'tensorlet-checkpoint' entry")
        version = index.get("version")
        if not isinstance(version, int) or version < 1:
            raise bad(f"version {version!r}")
        if version > VERSION:
            raise DataLossError(f"{path} was written by a newer tensorlet (checkpoint format {version}; this one "
                                f"reads up to {VERSION})")
        data_size = index.get("data_size")
        tensors, graph = index.get("tensors"), index.get("object_graph")
        if not _is_count(data_size) or not isinstance(tensors, dict) or not isinstance(graph, dict):
            raise bad("missing data_size, tensors or object_graph")
        for key, entry in tensors.items():
            if not isinstance(entry, dict):
                raise bad(f"entry {key!r} is not an object")
            dtype, shape, offset, nbytes = entry.get("dtype"), entry.get("shape"), entry.get("offset"), entry.get("size")
            if dtype not in _DTYPES:
                raise bad(f"entry {key!r} has dtype {dtype!r}")
            if not isinstance(shape, list) or not all(_is_count(d) for d in shape) or len(shape) > 64:
                raise bad(f"entry {key!r} has shape {shape!r}")
            if not _is_count(offset) or not _is_count(nbytes) or not isinstance(entry.get("crc32"), int):
                raise bad(f"entry {key!r} has no valid offset, size and crc32")
            count = 1
            for d in shape:
                count *= d
            if count * np.dtype(dtype).itemsize != nbytes or offset + nbytes > data_size:
                raise bad(f"entry {key!r}: shape {shape} and dtype {dtype} do not fit {nbytes} bytes at {offset} "
                          f"in a data file of {data_size}")
        nodes = graph.get("nodes")
        if not isinstance(nodes, list) or not nodes:
            raise bad("the object graph has no nodes")
        n = len(nodes)
        for i, node in enumerate(nodes):
            if not isinstance(node, dict):
                raise bad(f"object graph node {i} is not an object")
            kids = node.get("children", [])
            if not isinstance(kids, list) or not all(
                    isinstance(c, list) and len(c) == 2 and isinstance(c[0], str) and _is_node(c[1], n) for c in kids):
                raise bad(f"object graph node {i} has malformed children")
            key = node.get("key")
            if key is not None and key not in tensors:
                raise bad(f"object graph node {i} names a value {key!r} that the index does not hold")
            slots = node.get("slots", [])
            if not isinstance(slots, list) or not all(
                    isinstance(s, list) and len(s) == 3 and _is_node(s[0], n) and isinstance(s[1], str)
                    and _is_node(s[2], n) for s in slots):
                raise bad(f"object graph node {i} has malformed slots")

    def keys(self) -> list[str]:
        return list(self.tensors)

    def has(self, key: str) -> bool:
        return key in self.tensors

    def shape(self, key: str) -> list[int]:
        return list(self._entry(key)["shape"])

    def dtype(self, key: str) -> Any:
        return dtypes.as_dtype(self._entry(key)["dtype"])

    def _entry(self, key: str) -> dict[str, Any]:
        try:
            return self.tensors[key]
        except KeyError:
            raise NotFoundError(f"Key {key} not found in checkpoint {self.prefix}") from None

    def get(self, key: str) -> np.ndarray:
        """The value stored under ``key`` (a new, writable NumPy array)."""
        entry = self._entry(key)
        path = data_path(self.prefix)
        with open(path, "rb") as f:
            f.seek(entry["offset"])
            raw = f.read(entry["size"])
        if len(raw) != entry["size"] or zlib.crc32(raw) != entry["crc32"]:
            raise DataLossError(f"{path}: the bytes of '{key}' do not match their checksum in {index_path(self.prefix)}"
                                " (the file is damaged, or was overwritten by an interrupted save)")
        dtype = np.dtype(entry["dtype"]).newbyteorder("<")
        return np.frombuffer(raw, dtype=dtype).reshape(entry["shape"]).astype(dtype.newbyteorder("="))


def _is_count(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and x >= 0


def _is_node(x: Any, n: int) -> bool:
    return isinstance(x, int) and not isinstance(x, bool) and 0 <= x < n
