"""``ignore_errors``: drop the elements whose computation raised, instead of ending the iteration.

Transformations below it learn through the pass's context that errors are to be dropped: a ``map`` (or
``filter``) then skips the element whose function raised and goes on. An error raised by a source itself (a
damaged record file, a generator that raises) ends that source: a Python generator cannot resume after raising.
"""
from __future__ import annotations

from typing import Iterator

from tensorlet import tf_logging
from tensorlet.data.chunk import Chunk
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext


class IgnoreErrorsDataset(Dataset):
    _repr_name = "_IgnoreErrorsDataset"

    def __init__(self, input_dataset: Dataset, log_warning: bool) -> None:
        self._input = input_dataset
        self._log = bool(log_warning)
        super().__init__([input_dataset], input_dataset.element_spec)

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        inner = IterContext(ignore_errors=True, log_errors=self._log, threads=ctx.threads)
        try:
            yield from self._input._chunks(inner)
        except Exception as e:  # noqa: BLE001 - the source failed: it cannot continue, so the pass ends here
            if self._log:
                tf_logging.warning(f"Dataset.ignore_errors: ignoring an error that ended the input: {e!r}")
