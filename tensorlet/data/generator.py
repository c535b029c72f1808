"""``from_generator``: the elements a Python generator yields; and ``from_python``, the same for tensorlet's own
loaders (a generator of already-decoded elements, with a known cardinality).

The generator is called anew at each iteration (with ``args``), and read lazily: an element is pulled only when
the pipeline needs it. Each element is converted to the declared signature (``output_signature``, or the older
``output_types``/``output_shapes``) and checked against it. An exception raised by the generator propagates as it
is, with its traceback.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from tensorlet import tree
from tensorlet.data import cardinality as _card
from tensorlet.data import structure
from tensorlet.data.chunk import Chunk, single
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext
from tensorlet.errors import InvalidArgumentError
from tensorlet.ragged.ragged_tensor_spec import RaggedTensorSpec
from tensorlet.sparse.sparse_tensor import SparseTensorSpec
from tensorlet.tensor_spec import TensorSpec


def _signature(output_types: Any, output_shapes: Any, output_signature: Any) -> Any:
    if output_signature is not None:
        if output_types is not None or output_shapes is not None:
            raise TypeError("from_generator: the `output_types` and `output_shapes` arguments can not be used "
                            "together with the `output_signature` argument.")
        for s in tree.flatten(output_signature):
            if not isinstance(s, (TensorSpec, RaggedTensorSpec, SparseTensorSpec, structure.DatasetSpec)):
                raise TypeError(f"from_generator: the `output_signature` argument must contain instances of "
                                f"`tf.TensorSpec`, `tf.RaggedTensorSpec` or `tf.SparseTensorSpec`, got {s!r}")
        return output_signature
    if output_types is None:
        raise TypeError("from_generator: the `output_signature` argument (or the older `output_types`) must be "
                        "given.")
    types = tree.flatten(output_types)
    if output_shapes is None:
        shapes: list[Any] = [None] * len(types)
    elif not tree.is_nested(output_types):
        shapes = [output_shapes]
    else:
        shapes = structure.flatten_up_to(output_types, output_shapes)
    specs = [TensorSpec(None if s is None else tuple(s), t) for t, s in zip(types, shapes)]
    return tree.pack_sequence_as(output_types, specs)


def _arg(value: Any) -> Any:
    """A generator argument as TensorFlow passes it: a NumPy value (bytes for a string)."""
    arr = structure.to_component(value, "from_generator args")
    return arr[()] if isinstance(arr, np.ndarray) and arr.ndim == 0 else arr


class GeneratorDataset(Dataset):
    _repr_name = "_FlatMapDataset"  # TensorFlow builds from_generator out of a flat_map, and prints it so

    def __init__(self, generator: Callable[..., Any], output_types: Any, output_shapes: Any, args: Any,
                 output_signature: Any, cardinality: int = _card.UNKNOWN) -> None:
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable (a function that returns a new generator at "
                            f"each call), got {type(generator).__name__}")
        spec = _signature(output_types, output_shapes, output_signature)
        self._generator = generator
        self._args = tuple(_arg(a) for a in (args or ()))
        self._count = cardinality
        self._flat_specs = tree.flatten(spec)
        super().__init__([], spec)

    def _cardinality(self) -> int:
        return self._count

    def _components(self, value: Any) -> list[Any]:
        spec = self._spec
        try:
            parts = structure.flatten_up_to(spec, value) if tree.is_nested(spec) else [value]
        except (TypeError, ValueError):
            raise InvalidArgumentError(
                f"`generator` yielded an element that did not match the expected structure. The expected structure "
                f"was {_types(spec)}, but the yielded element was {structure._short(value)}.") from None
        try:
            return [structure.check_component(p, s, "`generator`") for p, s in zip(parts, self._flat_specs)]
        except (TypeError, ValueError) as e:
            raise InvalidArgumentError(str(e)) from None

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        for value in self._generator(*self._args):
            yield single(self._components(value))


def _types(spec: Any) -> Any:
    return tree.map_structure(lambda s: f"tf.{s.dtype.name}", spec)


def from_python(make_iterator: Callable[[], Any], element_spec: Any, cardinality: int = _card.UNKNOWN,
                name: str = "_GeneratorDataset") -> Dataset:
    """A Dataset of the elements ``make_iterator()`` yields, for tensorlet's own loaders.

    Each iteration calls ``make_iterator()`` and reads it lazily. The elements must already have the structure of
    ``element_spec`` (Tensors, NumPy arrays or Python values of its dtypes); ``cardinality`` is what
    ``cardinality()`` and ``len()`` report (the number of elements, or ``tf.data.UNKNOWN_CARDINALITY``). A loader
    that yields batches declares batched specs (a leading dimension of None).

    Example:
        >>> import numpy as np, tensorlet as tf
        >>> from tensorlet.data.generator import from_python
        >>> spec = (tf.TensorSpec((None, 2), tf.float32), tf.TensorSpec((None,), tf.int32))
        >>> def batches():
        ...     for i in range(3):
        ...         yield np.ones((4, 2), np.float32), np.full(4, i, np.int32)
        >>> ds = from_python(batches, spec, cardinality=3)
        >>> len(ds), [int(y[0]) for _, y in ds]
        (3, [0, 1, 2])
    """
    ds = GeneratorDataset(make_iterator, None, None, None, element_spec, cardinality=cardinality)
    ds._repr_name = name
    return ds

