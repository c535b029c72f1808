"""Tensor (an immutable value over a backend array) and Variable (mutable); TensorShape lives in tensor_shape.

TensorFlow's dtype rules hold: Python ints become int32 and Python floats float32; NumPy arrays keep their
dtype; nothing is promoted silently between tensors. Operators (``+``, ``@``, ``[]`` ...) are attached by
``tensorlet.ops.operators`` so that the maths stays in ``ops/``.
"""
from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet import tree
from tensorlet.autodiff.context import state as _context
from tensorlet.autodiff.tensor_shape import TensorShape  # noqa: F401  (re-exported)
from tensorlet.backend import current as _backend
from tensorlet.name_scopes import scoped as _scoped_name

Array = Any


class Tensor:
    """An immutable n-dimensional value with a TensorFlow dtype.

    Example:
        >>> import tensorlet as tf
        >>> tf.constant([1, 2, 3])
        <tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>
    """

    __slots__ = ("_value", "_logits", "_keras_mask", "_slice_of", "__weakref__")  # _keras_mask: set by layers only (masking)
    __array_priority__ = 100  # ndarray (op) Tensor defers to Tensor's reflected operators

    _value: Array
    _logits: Any
    _slice_of: tuple[Any, Any]  # (variable, key) when this is ``variable[key]``: then it has assign methods
    _keras_mask: Any

    if TYPE_CHECKING:  # bound at import by tensorlet.ops.operators.bind(); declared here for the type checker only
        def __add__(self, other: Any) -> Tensor: ...
        def __radd__(self, other: Any) -> Tensor: ...
        def __sub__(self, other: Any) -> Tensor: ...
        def __rsub__(self, other: Any) -> Tensor: ...
        def __mul__(self, other: Any) -> Tensor: ...
        def __rmul__(self, other: Any) -> Tensor: ...
        def __truediv__(self, other: Any) -> Tensor: ...
        def __rtruediv__(self, other: Any) -> Tensor: ...
        def __floordiv__(self, other: Any) -> Tensor: ...
        def __rfloordiv__(self, other: Any) -> Tensor: ...
        def __mod__(self, other: Any) -> Tensor: ...
        def __rmod__(self, other: Any) -> Tensor: ...
        def __pow__(self, other: Any) -> Tensor: ...
        def __rpow__(self, other: Any) -> Tensor: ...
        def __matmul__(self, other: Any) -> Tensor: ...
        def __rmatmul__(self, other: Any) -> Tensor: ...
        def __lt__(self, other: Any) -> Tensor: ...
        def __le__(self, other: Any) -> Tensor: ...
        def __gt__(self, other: Any) -> Tensor: ...
        def __ge__(self, other: Any) -> Tensor: ...
        def __and__(self, other: Any) -> Tensor: ...
        def __rand__(self, other: Any) -> Tensor: ...
        def __or__(self, other: Any) -> Tensor: ...
        def __ror__(self, other: Any) -> Tensor: ...
        def __xor__(self, other: Any) -> Tensor: ...
        def __neg__(self) -> Tensor: ...
        def __pos__(self) -> Tensor: ...
        def __abs__(self) -> Tensor: ...
        def __invert__(self) -> Tensor: ...
        def __getitem__(self, key: Any) -> Tensor: ...
        def __eq__(self, other: object) -> Any: ...
        def __ne__(self, other: object) -> Any: ...

    def __init__(self, value: Any, dtype: Any = None) -> None:
        self._value = _to_array(value, dtype)
        self._logits = None

    # -- value access --------------------------------------------------------------------------------
    def numpy(self) -> Any:
        """The value as a NumPy array (a NumPy scalar for rank 0)."""
        _note_host_read(self)
        v = _backend().to_numpy(self._value)
        if isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype == object:
            return v[()]  # a scalar string tensor gives its bytes, as in TF
        return v.copy() if isinstance(v, np.ndarray) and self._owns_buffer() else v

    def _owns_buffer(self) -> bool:
        return False

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        _note_host_read(self)
        v = np.asarray(_backend().to_numpy(self._value))
        return v.astype(dtype) if dtype is not None else v

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def dtype(self) -> _dtypes.DType:
        return _dtypes.as_dtype(self._value.dtype)

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def device(self) -> str:
        return _backend().device(self._value)

    def ref(self) -> Reference:
        """A hashable handle on this tensor (tensors themselves are unhashable, as in TF2)."""
        return Reference(self)

    def experimental_ref(self) -> Reference:
        return Reference(self)

    def __getattr__(self, name: str) -> Any:
        # only reached for missing attributes: a slice of a variable (``v[0, 1]``) has TF's ``assign`` and, beyond
        # TF, ``assign_add``/``assign_sub``, which write into the variable (bound by ``ops.scatter``)
        if name in ("assign", "assign_add", "assign_sub"):
            try:
                var, key = object.__getattribute__(self, "_slice_of")
            except AttributeError:
                pass
            else:
                method = getattr(var, f"_{name}_slice")
                return lambda value, use_locking=None, name=None, read_value=True: method(key, value)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    # -- Python protocols ----------------------------------------------------------------------------
    def __len__(self) -> int:
        if self._value.ndim == 0:
            raise TypeError("len() of a scalar (rank-0) tensor is undefined")
        return int(self._value.shape[0])

    def __iter__(self) -> Iterator[Tensor]:
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        for i in range(self._value.shape[0]):
            yield self[i]  # type: ignore[index]

    def __bool__(self) -> bool:
        _note_host_read(self)
        return bool(self._value)

    def __float__(self) -> float:
        _note_host_read(self)
        return float(_one_value(self._value))

    def __int__(self) -> int:
        _note_host_read(self)
        return int(_one_value(self._value))

    def __index__(self) -> int:
        if self.dtype.is_integer and self._value.ndim == 0:
            return int(self._value)
        raise TypeError(f"Only integer scalar tensors can be used as an index, got {self.dtype.name} "
                        f"shape {self.shape}")

    def __complex__(self) -> complex:
        return complex(self._value)

    def __hash__(self) -> int:
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __repr__(self) -> str:
        return (f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, "
                f"numpy={_numpy_repr(self._value)}>")

    def __str__(self) -> str:
        body = str(np.asarray(_backend().to_numpy(self._value)))
        sep = "\n" if "\n" in body else ""
        return f"tf.Tensor({sep}{body}, shape={self.shape}, dtype={self.dtype.name})"

    def __format__(self, spec: str) -> str:
        if self._value.ndim == 0 and spec:
            return format(self._value.item(), spec)
        return str(self) if not spec else format(str(self), spec)

    def __reduce__(self) -> Any:
        return (Tensor, (_backend().to_numpy(self._value),))

    def __copy__(self) -> Tensor:
        return self

    def __deepcopy__(self, memo: Any) -> Tensor:
        return _wrap(self._value.copy())


class Variable(Tensor):
    """A mutable tensor: model weights and optimizer state.

    Reading a variable inside a ``GradientTape`` watches it automatically (when it is trainable).
    """

    __slots__ = ("_name", "trainable", "constraint", "aggregation", "synchronization", "_layer_path")
    _uids = itertools.count()

    def __init__(self, initial_value: Any = None, trainable: bool = True, name: str | None = None,
                 dtype: Any = None, shape: Any = None, constraint: Any = None, validate_shape: bool = True,
                 aggregation: Any = None, synchronization: Any = None, **kwargs: Any) -> None:
        if initial_value is None:
            raise ValueError("Variable needs an initial_value")
        if callable(initial_value):
            initial_value = initial_value()
        if isinstance(initial_value, Tensor):
            initial_value = initial_value._value
        value = _to_array(initial_value, dtype)
        self._value = _backend().xp.array(value, copy=True)
        self._logits = None
        self.trainable = bool(trainable)
        self._name = _scoped_name(name or "Variable")  # under the enclosing tf.name_scope, as in TF 2
        self.constraint = constraint
        self.aggregation = aggregation
        self.synchronization = synchronization
        self._layer_path: str | None = None

    def _owns_buffer(self) -> bool:
        return True

    @property
    def name(self) -> str:
        """TF 2's variable name: the path with the output index, ``'dense/kernel:0'`` or ``'Variable:0'``."""
        base = self._layer_path or self._name
        return base if ":" in base else base + ":0"

    @name.setter
    def name(self, value: str) -> None:
        self._name = value

    @property
    def path(self) -> str:
        """Keras 3's variable path, without the output index: ``'dense/kernel'``."""
        return self._layer_path or self._name

    @property
    def value(self) -> Any:
        return self.read_value

    def read_value(self) -> Tensor:
        """A Tensor holding a snapshot of the current value (differentiable: the op is bound by ``ops.operators``,
        with the Python operators, so that the engine does not import the ops)."""
        raise NotImplementedError("tensorlet.ops binds Variable.read_value on import")

    def assign(self, value: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        """Set the value in place; the shape must match."""
        if _context.tracing:  # a traced function assigns on each of its runs (ops.state)
            return _traced_assign(self, value, "assign")
        v = value._value if isinstance(value, Tensor) else value
        v = _backend().asarray(v)
        if v.shape != self._value.shape:
            raise ValueError(f"Cannot assign a value of shape {v.shape} to variable '{self.name}' "
                             f"of shape {tuple(self._value.shape)}")
        _backend().xp.copyto(self._value, v, casting="unsafe")
        return self

    def assign_add(self, delta: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        if _context.tracing:
            return _traced_assign(self, delta, "add")
        d = delta._value if isinstance(delta, Tensor) else _backend().asarray(delta, dtype=self._value.dtype)
        _backend().xp.add(self._value, d, out=self._value, casting="unsafe")
        return self

    def assign_sub(self, delta: Any, use_locking: Any = None, name: Any = None, read_value: bool = True) -> Any:
        if _context.tracing:
            return _traced_assign(self, delta, "sub")
        d = delta._value if isinstance(delta, Tensor) else _backend().asarray(delta, dtype=self._value.dtype)
        _backend().xp.subtract(self._value, d, out=self._value, casting="unsafe")
        return self

    def __repr__(self) -> str:
        return (f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, "
                f"numpy={_numpy_repr(self._value)}>")

    __str__ = __repr__  # print(variable) shows the variable form, as in TF

    def __hash__(self) -> int:
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    def __reduce__(self) -> Any:
        return (_rebuild_variable, (_backend().to_numpy(self._value), self.trainable, self._name))

    def __deepcopy__(self, memo: Any) -> Variable:
        return Variable(self._value, trainable=self.trainable, name=self._name)  # Variable() copies


def _traced_assign(variable: Variable, value: Any, mode: str) -> Any:
    """Bound by ``tensorlet.ops`` on import (the assignment op lives there)."""
    raise NotImplementedError("tensorlet.ops binds the traced assignment on import")


def _rebuild_variable(value: Any, trainable: bool, name: str) -> Variable:
    return Variable(value, trainable=trainable, name=name)


class Reference:
    """A hashable reference to a tensor or variable (``tensor.ref()``)."""

    __slots__ = ("_obj",)

    def __init__(self, obj: Tensor) -> None:
        self._obj = obj

    def deref(self) -> Tensor:
        return self._obj

    def __hash__(self) -> int:
        return id(self._obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reference) and other._obj is self._obj

    def __repr__(self) -> str:
        return f"<Reference wrapping {self._obj!r}>"


# -- conversion --------------------------------------------------------------------------------------

def _one_value(v: Any) -> Any:
    """A single-element array as a 0-d one: float(tensor) of shape (1, 1) works, as in TF 2 with NumPy 1."""
    return v.reshape(()) if getattr(v, "size", 0) == 1 else v


def _numpy_repr(v: Any) -> str:
    v = np.asarray(_backend().to_numpy(v))
    if v.ndim == 0:
        if v.dtype.kind in "fc":  # the dtype's own shortest digits: float32 27.3, not 27.299999237060547
            return str(v[()])
        return repr(v.item()) if v.dtype.kind != "b" else str(bool(v))
    text = repr(v)
    return "\n" + text if "\n" in text else text  # a multi-line array starts on its own line, as in TF


def _python_dtype(value: Any) -> Any:
    """The TF dtype of nested Python data: int32 for ints, float32 if any float, bool for bools."""
    kind = np.asarray(value).dtype.kind
    if kind == "f":
        return np.float32
    if kind in "iu":
        return np.int32
    if kind == "c":
        return np.complex128
    return None


def _to_array(value: Any, dtype: Any = None) -> Array:
    xp = _backend().xp
    if isinstance(value, Tensor):
        value = value._value
        if dtype is None:
            return value
    if dtype is not None:
        npd = _dtypes.np_dtype(dtype)
        if npd.kind == "O":
            return _dtypes.string_array(value)
        if isinstance(value, float) and npd.kind in "iu" and not float(value).is_integer():
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {_dtypes.as_dtype(dtype).name}")
        return xp.asarray(value, dtype=npd)
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind in "USO":
            return _dtypes.string_array(value)
        return xp.asarray(value)
    if isinstance(value, (bool, np.bool_)):
        return xp.asarray(value, dtype=np.bool_)
    if isinstance(value, int):
        return xp.asarray(value, dtype=np.int32)
    if isinstance(value, float):
        return xp.asarray(value, dtype=np.float32)
    if isinstance(value, (str, bytes)):
        return _dtypes.string_array(value)
    if isinstance(value, (list, tuple)):
        flat = tree.flatten(value)
        if any(isinstance(v, Tensor) for v in flat):
            value = tree.map_structure(lambda v: v._value if isinstance(v, Tensor) else v, value)
            flat = tree.flatten(value)
        if isinstance(_first_leaf(value), (str, bytes)):  # skip NumPy's fixed-width unicode copy of long texts
            return _dtypes.string_array(value)
        arr = np.asarray(value)
        if arr.dtype.kind in "USO":
            return _dtypes.string_array(value)
        pd = _python_dtype(arr) if not any(isinstance(v, (np.ndarray, np.generic)) for v in flat) else None
        return xp.asarray(arr, dtype=pd) if pd is not None else xp.asarray(arr)
    if hasattr(value, "__array__"):
        return xp.asarray(np.asarray(value))
    arr = np.asarray(value)
    if arr.dtype == object:
        raise TypeError(f"Cannot convert {value!r} of type {type(value).__name__} to a Tensor")
    return xp.asarray(arr)


def _first_leaf(value: Any) -> Any:
    while isinstance(value, (list, tuple)) and value:
        value = value[0]
    return value


def _wrap(array: Array) -> Tensor:
    """Wrap a backend array in a Tensor without copying or checking (the ops' fast path)."""
    t = Tensor.__new__(Tensor)
    t._value = array
    t._logits = None
    return t


def constant(value: Any, dtype: Any = None, shape: Any = None, name: str | None = None) -> Tensor:
    """A Tensor from a Python value, a NumPy array or a Tensor, optionally cast and reshaped.

    Example:
        >>> constant([[1, 2], [3, 4]]).dtype
        tf.int32
    """
    arr = _to_array(value, dtype)
    if shape is not None:
        shape = tuple(shape)
        if arr.ndim == 0 or arr.size == 1:
            arr = _backend().xp.full(shape, arr.reshape(()), dtype=arr.dtype)
        elif int(np.prod(shape)) == arr.size:
            arr = arr.reshape(shape)
        else:
            from tensorlet.errors import InvalidArgumentError

            raise InvalidArgumentError(f"Cannot reshape a tensor with {arr.size} elements to shape {shape} "
                                       f"({int(np.prod(shape))} elements)")
    elif isinstance(value, np.ndarray) and arr is value:
        arr = arr.copy()  # constants do not alias the caller's mutable array
    return _wrap(arr)


def convert_to_tensor(value: Any, dtype: Any = None, dtype_hint: Any = None, name: str | None = None) -> Tensor:
    """Return ``value`` as a Tensor; a Tensor of another dtype than ``dtype`` is an error, as in TF."""
    if isinstance(value, Tensor):
        if dtype is not None and _dtypes.as_dtype(dtype) != value.dtype:
            raise ValueError(f"Tensor conversion requested dtype {_dtypes.as_dtype(dtype).name} for Tensor "
                             f"with dtype {value.dtype.name}")
        return value
    if dtype is None and dtype_hint is not None and not isinstance(value, (np.ndarray, np.generic)):
        try:
            return _wrap(_to_array(value, dtype_hint))
        except (TypeError, ValueError):
            pass
    return _wrap(_to_array(value, dtype))


def is_tensor(x: Any) -> bool:
    return isinstance(x, Tensor)


# -- tracing hook: host reads inside a traced step make the trace unusable ------------------------
def _note_host_read(t: Tensor) -> None:
    hooks = _context.host_read_hooks
    if hooks:
        for hook in hooks:
            hook(t)
