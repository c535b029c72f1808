"""``unique``: each distinct element once, in order of first appearance (int or string scalars)."""
from __future__ import annotations

from typing import Iterator

import numpy as np

from tensorlet.data import cardinality as _card
from tensorlet.data.chunk import Chunk, take
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.tensor_spec import TensorSpec

_KINDS = ("int32", "int64", "string")


class UniqueDataset(Dataset):
    _repr_name = "_UniqueDataset"

    def __init__(self, input_dataset: Dataset) -> None:
        spec = input_dataset.element_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype.name in _KINDS and
                (spec._unknown_rank or len(spec.shape) == 0)):
            raise TypeError("Dataset.unique() currently only supports datasets with scalar elements of type "
                            f"tf.int32, tf.int64, or tf.string; got {spec!r}")
        self._input = input_dataset
        super().__init__([input_dataset], spec)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        return n if n in (0, _card.INFINITE) else _card.UNKNOWN

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        seen: set[object] = set()
        for chunk in self._input._chunks(ctx):
            values = np.asarray(chunk.columns[0]).reshape(-1).tolist()
            keep = []
            for i, v in enumerate(values):
                if v not in seen:
                    seen.add(v)
                    keep.append(i)
            if keep:
                yield take(chunk, np.asarray(keep, dtype=np.int64))
