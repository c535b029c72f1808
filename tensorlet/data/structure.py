"""Dataset elements: nested structures whose leaves are components, and the specs that describe them.

An element is a nested structure (tuples, namedtuples, dicts; ``tensorlet.tree``'s rules, so a dict's components
come in sorted key order) whose leaves are **components**. Inside ``tensorlet.data`` a component is held as:

- a NumPy array (a dense tensor; a string tensor is an object array of ``bytes``), described by a ``TensorSpec``;
- a ``RaggedTensor``, described by a ``RaggedTensorSpec`` (a ``SparseTensor``, by a ``SparseTensorSpec``);
- a ``Dataset`` (the windows of ``window``), described by a ``DatasetSpec``.

Users see dense components as Tensors; they are wrapped only when an element leaves the pipeline.

As in ``tf.data`` (and unlike ``tf.nest``), a Python **list is a value, not a structure**: ``[1, 2]`` is one
int32 vector, and a list returned by a ``map`` function becomes a tuple (TensorFlow's rule, since such lists
usually come from ``tf.py_function`` and need not stack).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor, TensorShape, Variable, _to_array
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.ragged.ragged_tensor_spec import RaggedTensorSpec
from tensorlet.sparse.sparse_tensor import SparseTensor, SparseTensorSpec
from tensorlet.tensor_spec import TensorSpec


class DatasetSpec:
    """The spec of a component that is itself a Dataset (each element of ``window``).

    Example:
        >>> import tensorlet as tf
        >>> tf.data.Dataset.range(5).window(2).element_spec
        DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))
    """

    def __init__(self, element_spec: Any, dataset_shape: Any = ()) -> None:
        self.element_spec = element_spec
        self.shape = TensorShape(dataset_shape)

    @property
    def value_type(self) -> type:
        from tensorlet.data.dataset import Dataset

        return Dataset

    def is_compatible_with(self, other: Any) -> bool:
        spec = other.element_spec if hasattr(other, "_chunks") else getattr(other, "element_spec", None)
        return spec is not None and compatible(self.element_spec, spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DatasetSpec) and other.element_spec == self.element_spec

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        return f"DatasetSpec({self.element_spec!r}, {self.shape!r})"


Spec = Any  # TensorSpec | RaggedTensorSpec | DatasetSpec


# -- components --------------------------------------------------------------------------------------------
def is_dataset(x: Any) -> bool:
    return hasattr(x, "_chunks") and hasattr(x, "element_spec")


def to_component(value: Any, what: str = "element") -> Any:
    """One leaf of a user's element as a component (TensorFlow's ``tf.constant`` rules for Python values)."""
    if isinstance(value, Variable):
        return np.array(value._value, copy=True)  # the value now, as TensorFlow reads it
    if isinstance(value, Tensor):
        value = value._value  # an array, or a NumPy scalar for some rank-0 results
        return value if type(value) is np.ndarray else np.asarray(value)
    if isinstance(value, np.ndarray):
        return _dtypes.string_array(value) if value.dtype.kind in "US" else value
    if isinstance(value, (RaggedTensor, SparseTensor)) or is_dataset(value):
        return value
    if value is None:
        raise TypeError(f"{what}: None is not a valid component of a tf.data element (use a tensor, or leave "
                        "the entry out of the structure)")
    if callable(value) and not isinstance(value, (list, tuple)):
        raise TypeError(f"{what}: a component must be a tensor or a value convertible to one, got "
                        f"{type(value).__name__} {value!r}")
    try:
        return _to_array(value)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{what}: could not convert {type(value).__name__} {_short(value)} to a tensor ({e})") from e


def _short(x: Any, limit: int = 120) -> str:
    text = repr(x)
    return text if len(text) <= limit else text[:limit] + "..."


def _normalize_leaf(what: str) -> Callable[[Any], Any]:
    def visit(x: Any) -> Any:
        if isinstance(x, tuple) or isinstance(x, dict) or _is_mapping(x):
            return None  # a structure: walk into it
        return to_component(x, what)
    return visit


def _is_mapping(x: Any) -> bool:
    from collections.abc import Mapping

    return isinstance(x, Mapping)


def normalize(value: Any, what: str = "element") -> Any:
    """``value`` with every leaf a component; lists are values (one tensor each), tuples and dicts structures."""
    return tree.traverse(_normalize_leaf(what), value)


def spec_of(component: Any) -> Spec:
    if isinstance(component, np.ndarray):
        return TensorSpec(component.shape, _dtypes.as_dtype(component.dtype))
    if isinstance(component, RaggedTensor):
        return RaggedTensorSpec.from_value(component)
    if isinstance(component, SparseTensor):
        return SparseTensorSpec.from_value(component)
    if is_dataset(component):
        return DatasetSpec(component.element_spec)
    raise TypeError(f"not a dataset component: {type(component).__name__}")


def spec_of_element(element: Any) -> Any:
    return tree.map_structure(spec_of, element)


def public(component: Any) -> Any:
    """A component as users see it: a Tensor for a dense array (holding a NumPy scalar for a rank-0 number, as
    tensorlet's ops give them, so that ``.numpy()`` returns ``np.int64(3)`` as in TensorFlow)."""
    if type(component) is np.ndarray:
        t = Tensor.__new__(Tensor)
        t._value = component[()] if component.ndim == 0 and component.dtype != object else component
        t._logits = None
        return t
    return component


def packer(spec: Any) -> Callable[[list[Any]], Any]:
    """A function rebuilding an element of ``spec``'s structure from its flat components (fast for the usual
    single component and flat tuple)."""
    if not tree.is_nested(spec):
        return lambda flat: flat[0]
    if type(spec) is tuple and not any(tree.is_nested(s) for s in spec):
        return tuple
    return lambda flat: tree.pack_sequence_as(spec, list(flat))


def call_with_element(fn: Callable[..., Any], element: Any, spec: Any) -> Any:
    """Call a user function on an element as ``tf.data`` does: a tuple element is passed as positional
    arguments, anything else (a namedtuple or dict too) as one argument."""
    return fn(*element) if type(spec) is tuple else fn(element)


def as_tensors(value: Any, what: str) -> Any:
    """A function's result with every leaf a Tensor (Python values and arrays converted as ``tf.constant`` does),
    RaggedTensor or Dataset; tuples and dicts kept as structures, lists converted as values."""
    def visit(x: Any) -> Any:
        if isinstance(x, tuple) or isinstance(x, dict) or _is_mapping(x):
            return None
        if isinstance(x, (Tensor, RaggedTensor, SparseTensor)) or is_dataset(x):
            return x
        return public(to_component(x, what))
    return tree.traverse(visit, value)


# -- specs -------------------------------------------------------------------------------------------------
def dims_text(spec: Spec) -> str:
    return "<unknown>" if getattr(spec, "_unknown_rank", False) else str(spec.shape)


def fully_defined(spec: Spec) -> bool:
    return isinstance(spec, TensorSpec) and not spec._unknown_rank and spec.shape.is_fully_defined()


def with_shape(spec: Spec, shape: Any) -> Spec:
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(shape, spec.dtype, spec.ragged_rank + (0 if shape is None else len(shape)
                                                                       - len(spec.shape)), spec.row_splits_dtype)
    return TensorSpec(shape, spec.dtype)


def batched(spec: Any, batch_size: int | None) -> Any:
    """The spec of a batch of elements of ``spec`` (``batch_size`` None: a batch dimension of unknown size)."""
    def one(s: Spec) -> Spec:
        if isinstance(s, DatasetSpec):
            raise TypeError("batch: a dataset whose elements are datasets (from window) cannot be batched; "
                            "flat_map each window to a tensor dataset first")
        if isinstance(s, RaggedTensorSpec):
            if s._unknown_rank:
                return s
            return RaggedTensorSpec((batch_size,) + tuple(s.shape), s.dtype, s.ragged_rank + 1, s.row_splits_dtype)
        if isinstance(s, SparseTensorSpec):
            return s if s._unknown_rank else SparseTensorSpec((batch_size,) + tuple(s.shape), s.dtype)
        if s._unknown_rank:
            return TensorSpec(None, s.dtype)
        return TensorSpec((batch_size,) + tuple(s.shape), s.dtype)
    return tree.map_structure(one, spec)


def unbatched(spec: Any, what: str = "unbatch") -> Any:
    def one(s: Spec) -> Spec:
        if isinstance(s, DatasetSpec):
            raise TypeError(f"{what}: cannot unbatch elements that are datasets")
        if s._unknown_rank:
            return s
        if len(s.shape) == 0:
            raise ValueError(f"{what}: Unbatching a dataset is only supported for rank >= 1, but an element has "
                             f"spec {s!r}")
        if isinstance(s, SparseTensorSpec):
            return SparseTensorSpec(tuple(s.shape)[1:], s.dtype)
        if isinstance(s, RaggedTensorSpec):
            if s.ragged_rank <= 1:
                return TensorSpec(tuple(s.shape)[1:], s.dtype)
            return RaggedTensorSpec(tuple(s.shape)[1:], s.dtype, s.ragged_rank - 1, s.row_splits_dtype)
        return TensorSpec(tuple(s.shape)[1:], s.dtype)
    return tree.map_structure(one, spec)


def _merge_shapes(a: Spec, b: Spec) -> Any:
    if a._unknown_rank or b._unknown_rank or len(a.shape) != len(b.shape):
        return None
    return tuple(x if x == y else None for x, y in zip(a.shape, b.shape))


def most_specific_compatible(a: Any, b: Any, what: str) -> Any:
    """One spec covering elements of both ``a`` and ``b`` (dimensions that differ become None); a TypeError
    naming both when their structures or dtypes differ."""
    try:
        tree.assert_same_structure(a, b, check_types=False)
    except (TypeError, ValueError):
        raise TypeError(f"{what}: incompatible dataset elements: {a!r} and {b!r} (their structures differ)") from None

    def one(x: Spec, y: Spec) -> Spec:
        if type(x) is not type(y) or getattr(x, "dtype", None) != getattr(y, "dtype", None):
            raise TypeError(f"{what}: incompatible dataset elements: {a!r} and {b!r} (component {x!r} against "
                            f"{y!r})")
        if isinstance(x, DatasetSpec):
            return DatasetSpec(most_specific_compatible(x.element_spec, y.element_spec, what))
        if isinstance(x, SparseTensorSpec):
            return SparseTensorSpec(_merge_shapes(x, y), x.dtype)
        if isinstance(x, RaggedTensorSpec):
            if x.ragged_rank != y.ragged_rank:
                raise TypeError(f"{what}: incompatible ragged ranks in {a!r} and {b!r}")
            return RaggedTensorSpec(_merge_shapes(x, y), x.dtype, x.ragged_rank, x.row_splits_dtype)
        return TensorSpec(_merge_shapes(x, y), x.dtype)
    return tree.map_structure(one, a, b, check_types=False)


def compatible(a: Any, b: Any) -> bool:
    try:
        most_specific_compatible(a, b, "")
    except TypeError:
        return False
    return all(x.is_compatible_with(y) if not isinstance(x, DatasetSpec) else True
               for x, y in zip(tree.flatten(a), tree.flatten(b)))


def check_component(component: Any, spec: Spec, what: str) -> Any:
    """``component`` converted to ``spec``'s dtype and checked against its shape (``from_generator``)."""
    if isinstance(spec, DatasetSpec):
        if not is_dataset(component):
            raise TypeError(f"{what}: expected a Dataset for {spec!r}, got {type(component).__name__}")
        return component
    if isinstance(spec, SparseTensorSpec):
        if not isinstance(component, SparseTensor) or not spec.is_compatible_with(component):
            raise TypeError(f"{what}: yielded {_short(component)} where a SparseTensor of {spec!r} was "
                            "expected")
        return component
    if isinstance(spec, RaggedTensorSpec):
        if not isinstance(component, RaggedTensor):
            from tensorlet.ragged.ragged_factory import constant as ragged_constant

            component = ragged_constant(component, dtype=spec.dtype, ragged_rank=spec.ragged_rank)
        if not spec.is_compatible_with(component):
            raise TypeError(f"{what}: yielded a ragged tensor {RaggedTensorSpec.from_value(component)!r} that does "
                            f"not match {spec!r}")
        return component
    if isinstance(component, RaggedTensor):
        raise TypeError(f"{what}: yielded a RaggedTensor where {spec!r} was expected (declare a "
                        "tf.RaggedTensorSpec in output_signature)")
    arr = component._value if isinstance(component, Tensor) else component
    want = spec.dtype
    if want.name == "string":
        arr = _dtypes.string_array(arr) if not (isinstance(arr, np.ndarray) and arr.dtype == object) else arr
    else:
        try:
            arr = np.asarray(arr, dtype=want.as_numpy_dtype)
        except (TypeError, ValueError) as e:
            raise TypeError(f"{what}: could not convert {_short(arr)} to {want.name} for {spec!r} ({e})") from e
    if not spec.is_compatible_with_shape(arr.shape):
        raise ValueError(f"{what}: yielded an element of shape {TensorShape(arr.shape)} where an element of "
                         f"shape {dims_text(spec)} was expected.")
    return arr


def probe(spec: Spec, unknown: int) -> Any:
    """A component of ``spec`` to trace with: zeros, or empty strings; dimensions of unknown size get
    ``unknown``."""
    if isinstance(spec, TensorSpec):
        shape = tuple(unknown if d is None else d for d in spec.shape)
        if spec.dtype.name == "string":
            out = np.empty(shape, dtype=object)
            out.fill(b"")
            return out
        return np.zeros(shape, dtype=spec.dtype.as_numpy_dtype)
    raise TypeError("no probe for " + repr(spec))


def flatten_up_to(shallow: Any, value: Any) -> list[Any]:
    """The parts of ``value`` at the leaves of ``shallow`` (tuples and dicts must match it; a list is a leaf
    value, as everywhere in ``tf.data``). TypeError or ValueError when ``value`` has another structure."""
    out: list[Any] = []

    def walk(s: Any, v: Any) -> None:
        if isinstance(s, tuple):
            if not isinstance(v, tuple):
                raise TypeError(f"expected a tuple for {s!r}, got {type(v).__name__}")
            if len(v) != len(s):
                raise ValueError(f"expected {len(s)} items, got {len(v)}")
            for a, b in zip(s, v):
                walk(a, b)
        elif _is_mapping(s):
            if not _is_mapping(v):
                raise TypeError(f"expected a dict for {s!r}, got {type(v).__name__}")
            if set(s) != set(v):
                raise ValueError(f"expected keys {sorted(s)}, got {sorted(v)}")
            for k in sorted(s):
                walk(s[k], v[k])
        else:
            out.append(v)
    walk(shallow, value)
    return out
