"""``tf.data.experimental.assert_cardinality``: a declared number of elements, checked while reading."""
from __future__ import annotations

from typing import Any, Iterator

from tensorlet.data.chunk import Chunk
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.errors import FailedPreconditionError


class AssertCardinalityDataset(Dataset):
    _repr_name = "_AssertCardinalityDataset"

    def __init__(self, input_dataset: Dataset, expected: Any) -> None:
        self._input = input_dataset
        self._expected = int(expected.numpy() if hasattr(expected, "numpy") else expected)
        super().__init__([input_dataset], input_dataset.element_spec)

    def _cardinality(self) -> int:
        return self._expected

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        seen = 0
        for chunk in self._input._chunks(ctx):
            seen += chunk.n
            if 0 <= self._expected < seen:
                raise FailedPreconditionError(f"Input dataset was expected to contain {self._expected} elements "
                                              f"but contained at least {seen} elements.")
            yield chunk
        if self._expected >= 0 and seen != self._expected:
            raise FailedPreconditionError(f"Input dataset was expected to contain {self._expected} elements but "
                                          f"contained only {seen} elements.")
