"""``Dataset.save`` / ``Dataset.load``: a dataset's elements in a directory, read back as a dataset.

The directory holds ``element_spec.json`` (the spec: tuples, dicts and tensor/ragged specs; a namedtuple comes
back as a tuple unless ``load`` is given the spec) and ``elements.shard`` (TFRecord-framed chunks, see
``data.serialization``; GZIP-compressed with ``compression="GZIP"``). The format is tensorlet's own: TensorFlow's
snapshot files cannot be read, nor tensorlet's by TensorFlow.
"""
from __future__ import annotations

import gzip
import json
import os
from typing import Any, Iterator

from tensorlet import tree
from tensorlet.data.chunk import Chunk
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.data.serialization import decode_chunk, encode_chunk
from tensorlet.ragged.ragged_tensor_spec import RaggedTensorSpec
from tensorlet.summary.record_framing import frame, read_frames
from tensorlet.tensor_spec import TensorSpec

_SPEC, _DATA = "element_spec.json", "elements.shard"


def _spec_to_json(spec: Any) -> Any:
    if isinstance(spec, dict):
        return {"dict": {str(k): _spec_to_json(v) for k, v in spec.items()}}
    if isinstance(spec, tuple):
        return {"tuple": [_spec_to_json(v) for v in spec]}
    shape = None if spec._unknown_rank else list(spec.shape)
    if isinstance(spec, RaggedTensorSpec):
        return {"ragged": {"shape": shape, "dtype": spec.dtype.name, "ragged_rank": spec.ragged_rank,
                           "row_splits_dtype": spec.row_splits_dtype.name}}
    if isinstance(spec, TensorSpec):
        return {"tensor": {"shape": shape, "dtype": spec.dtype.name}}
    raise TypeError(f"Dataset.save: cannot save elements of spec {spec!r}")


def _spec_from_json(data: Any) -> Any:
    if "dict" in data:
        return {k: _spec_from_json(v) for k, v in data["dict"].items()}
    if "tuple" in data:
        return tuple(_spec_from_json(v) for v in data["tuple"])
    if "ragged" in data:
        r = data["ragged"]
        return RaggedTensorSpec(r["shape"], r["dtype"], r["ragged_rank"], r["row_splits_dtype"])
    t = data["tensor"]
    return TensorSpec(t["shape"], t["dtype"])


def _open(path: str, mode: str, compression: Any) -> Any:
    kind = (compression or "").upper()
    if kind not in ("", "GZIP"):
        raise ValueError(f"Dataset.save/load: compression must be None or 'GZIP', got {compression!r}")
    return gzip.open(path, mode) if kind == "GZIP" else open(path, mode)


def save(dataset: Dataset, path: Any, compression: Any = None) -> None:
    path = os.fspath(path)
    os.makedirs(path, exist_ok=True)
    spec = _spec_to_json(dataset.element_spec)
    with _open(os.path.join(path, _DATA), "wb", compression) as f:
        for chunk in dataset._chunks(IterContext()):
            f.write(frame(encode_chunk(chunk)))
    with open(os.path.join(path, _SPEC), "w") as f:
        json.dump({"format": "tensorlet dataset 1", "compression": compression, "element_spec": spec}, f)


class LoadedDataset(Dataset):
    _repr_name = "_LoadDataset"

    def __init__(self, path: str, element_spec: Any, compression: Any) -> None:
        self._path, self._compression = path, compression
        count = 0
        for chunk in self._read():
            count += chunk.n
        self._count = count
        super().__init__([], element_spec)

    def _read(self) -> Iterator[Chunk]:
        with _open(os.path.join(self._path, _DATA), "rb", self._compression) as f:
            for record in read_frames(f, self._path):
                yield decode_chunk(record)

    def _cardinality(self) -> int:
        return self._count

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        return self._read()


def load(path: Any, element_spec: Any = None, compression: Any = None) -> Dataset:
    path = os.fspath(path)
    meta_path = os.path.join(path, _SPEC)
    if not os.path.exists(meta_path):
        from tensorlet.errors import NotFoundError

        raise NotFoundError(f"Dataset.load: {path} holds no dataset saved by tensorlet (no {_SPEC})")
    with open(meta_path) as f:
        meta = json.load(f)
    saved = _spec_from_json(meta["element_spec"])
    if element_spec is not None:
        tree.assert_same_structure(element_spec, saved, check_types=False)
        saved = element_spec
    return LoadedDataset(path, saved, compression if compression is not None else meta.get("compression"))
