"""``fit``/``evaluate``/``predict`` on a ``tf.data.Dataset``: its elements are the batches, as in Keras.

Each element is ``x``, ``(x,)``, ``(x, y)`` or ``(x, y, sample_weight)``, already batched (a dict ``x`` feeds the
model's inputs by name). Keras' iteration rules hold:

- without ``steps_per_epoch`` each epoch is one full pass (a new iterator: a new shuffle order); an infinite
  dataset (``repeat()``) then is an error;
- with ``steps_per_epoch`` the same iterator continues from epoch to epoch (unless it equals the dataset's
  length); if it runs out, training stops after a warning, as Keras' "Your input ran out of data";
- validation, ``evaluate`` and ``predict`` start a new pass each time (``validation_steps``/``steps`` cut it).

The first batch is checked against the model, so that a wrong element structure is reported with the dataset's
``element_spec`` and what the model expected, instead of failing deep inside a layer.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from tensorlet import tf_logging, tree
from tensorlet.config import floatx
from tensorlet.data.cardinality import INFINITE
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import Iterator as DatasetIterator
from tensorlet.data.structure import packer
from tensorlet.training import argument_checks as checks
from tensorlet.training import data_adapter as da


def is_dataset(x: Any) -> bool:
    return isinstance(x, Dataset)


def reject_arguments(y: Any, sample_weight: Any, validation_split: float = 0.0, x: Any = None) -> None:
    """Keras' errors for arguments that make no sense with a dataset."""
    if y is not None:
        raise ValueError("`y` argument is not supported when using dataset as input.")
    if sample_weight is not None:
        raise ValueError("`sample_weight` argument is not supported when using dataset as input.")
    if validation_split:
        raise ValueError("`validation_split` is only supported for Tensors or NumPy arrays, found following types "
                         f"in the input: [{type(x)}]")


def _to_numpy(value: Any) -> Any:
    return tree.map_structure(lambda a: a if isinstance(a, np.ndarray) else np.asarray(a), value)


class DatasetBatches:
    """The batches of a Dataset, in the trainer's ``(x, y, sample_weight)`` NumPy form."""

    def __init__(self, dataset: Dataset, steps: int | None = None, model: Any = None, kind: str = "fit",
                 class_weight: Any = None, on_exhausted: Callable[[], None] | None = None) -> None:
        self.dataset, self.steps, self.model, self.kind = dataset, steps, model, kind
        self.spec = dataset.element_spec
        self.cardinality = dataset._cardinality()
        if steps is None and self.cardinality == INFINITE:
            raise ValueError("When providing an infinite dataset, you must specify the number of steps to run (if "
                             "you did not intend to create an infinite dataset, make sure to not call `repeat()` on "
                             f"the dataset). The dataset's element_spec is {self.spec!r}.")
        if isinstance(self.spec, tuple) and not 1 <= len(self.spec) <= 3:
            raise ValueError("Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
                             f"found a dataset of {len(self.spec)}-tuples: element_spec={self.spec!r}")
        self.class_weight = class_weight
        self.on_exhausted = on_exhausted
        self.recreate = kind != "fit" or steps is None or self.cardinality == steps
        self.exhausted = False
        self.batch_size = None
        self._pack = packer(self.spec)
        self._floatx = np.dtype(floatx())
        self._iterator: DatasetIterator | None = None
        self._checked = False

    def __len__(self) -> int:
        if self.steps:
            return self.steps
        return self.cardinality if self.cardinality >= 0 else 0

    def _unpack(self, components: list[Any]) -> tuple[Any, Any, Any]:
        element = self._pack(components)
        if isinstance(self.spec, tuple):  # a namedtuple too, as Keras unpacks any tuple
            x, y, sw = (list(element) + [None, None])[:3]
        else:
            x, y, sw = element, None, None
        if type(x) is not np.ndarray or x.dtype != self._floatx:
            x = da.cast_inputs(_to_numpy(x))
        y = None if y is None else _to_numpy(y)
        sw = None if sw is None else _to_numpy(sw)
        if self.class_weight is not None and y is not None:
            cw = checks.class_sample_weights(y, self.class_weight, checks.class_count(self.model))
            sw = cw if sw is None else np.asarray(sw, np.float32) * cw
        return x, y, sw

    def epoch(self, order: Any = None, start: int = 0) -> Iterator[tuple[Any, Any, Any]]:
        """One epoch's batches. A dataset cannot be rewound: a resumed epoch (``start`` > 0) takes its remaining
        steps from where a fresh iterator stands; ``order`` is for shuffled arrays and is ignored here."""
        if self.steps is not None and start:
            self.steps = max(self.steps - start, 0) or self.steps
        if self.recreate or self._iterator is None:
            self._iterator = DatasetIterator(self.dataset)
        it = self._iterator
        count = 0
        while self.steps is None or count < self.steps:
            try:
                components = it._next_components()
            except StopIteration:
                if self.steps is not None and count < self.steps and self.kind == "fit":
                    self._ran_out()
                return
            batch = self._unpack(components)
            if not self._checked:
                check_first_batch(self.model, batch, self.spec, self.kind)
                if self.model is not None:  # weights exist before the first step is traced (arrays do the same)
                    self.model._ensure_built(batch[0])
                self._checked = True
            yield batch
            count += 1

    def _ran_out(self) -> None:
        self.exhausted = True
        tf_logging.warning("Your input ran out of data; interrupting training. Make sure that your dataset or "
                           "generator can generate at least `steps_per_epoch * epochs` batches. You may need to use "
                           "the repeat() function when building your dataset.")
        if self.on_exhausted is not None:
            self.on_exhausted()


def check_first_batch(model: Any, batch: tuple[Any, Any, Any], spec: Any, kind: str) -> None:
    """Errors naming the dataset's element_spec for the mistakes the first batch shows."""
    if model is None:
        return
    x, y, _ = batch
    custom = getattr(model, "_has_custom_step", lambda k: False)("train" if kind == "fit" else "test")
    if kind in ("fit", "evaluate", "validation") and y is None and getattr(model, "loss", None) is not None \
            and not custom:
        raise ValueError(f"Target data is missing. Your model was compiled with loss={model.loss!r}, and therefore "
                         f"expects target data to be provided in `{'fit' if kind == 'fit' else 'evaluate'}()`. The "
                         f"dataset's elements are single tensors (element_spec={spec!r}): make each element an "
                         "(x, y) pair, e.g. tf.data.Dataset.from_tensor_slices((x, y)) or "
                         "tf.data.Dataset.zip((x_dataset, y_dataset)).")
    names = list(getattr(model, "input_names", None) or []) if hasattr(model, "_input_structure") else []
    if isinstance(x, dict) and names:
        structure = getattr(model, "_input_structure", None)
        keys = list(structure) if isinstance(structure, dict) else names
        missing = [k for k in keys if k not in x]
        if missing:
            raise ValueError(f"The dataset's inputs do not match the model's: the model expects inputs named "
                             f"{keys}, but the dataset's x has keys {sorted(x)} (missing {missing}). The dataset's "
                             f"element_spec is {spec!r}.")
    inputs = getattr(model, "inputs", None) if getattr(model, "built", False) else None
    if inputs and not isinstance(x, dict):
        arrays = da.flat(x)
        for arr, t in zip(arrays, inputs):
            want = len(t.shape)
            if arr.ndim == want - 1 and arr.shape == tuple(t.shape)[1:]:
                raise ValueError(f"The dataset's elements look unbatched: an input has shape {arr.shape} but the "
                                 f"model expects batches of shape {tuple(t.shape)}. Call .batch(batch_size) on the "
                                 f"dataset (element_spec={spec!r}).")
