"""Elementwise operators on RaggedTensor (``rt + 1``, ``rt * rt``, ``rt > 2`` ...): the Tensor operator applied
to the flat values, the row partition kept. The other operand is a scalar or a RaggedTensor with the same row
partition (TF also broadcasts dense tensors against ragged ones; that is not needed by the string ops)."""
from __future__ import annotations

import operator
from typing import Any, Callable

import numpy as np

from tensorlet.autodiff.tensor import Tensor
from tensorlet.errors import InvalidArgumentError
from tensorlet.ragged.ragged_tensor import RaggedTensor


def _host(x: Any) -> np.ndarray:
    return np.asarray(x._value if isinstance(x, Tensor) else x)


def _same_partition(a: RaggedTensor, b: RaggedTensor) -> bool:
    sa, sb = a.nested_row_splits, b.nested_row_splits
    return len(sa) == len(sb) and all(np.array_equal(_host(x), _host(y)) for x, y in zip(sa, sb))


def _elementwise(rt: RaggedTensor, other: Any, fn: Callable[[Any, Any], Any], reflected: bool = False
                 ) -> RaggedTensor:
    mine = rt.flat_values
    if isinstance(other, RaggedTensor):
        if not _same_partition(rt, other):
            raise InvalidArgumentError("RaggedTensor operands must have the same row partitions")
        theirs: Any = other.flat_values
    elif isinstance(other, (int, float, bool, bytes, str)) or np.ndim(_host(other)) == 0:
        theirs = other
    else:
        raise TypeError(f"RaggedTensor supports elementwise operators with a scalar or a RaggedTensor of the "
                        f"same row partition, got {type(other).__name__} of shape {np.shape(_host(other))}")
    return rt.with_flat_values(fn(theirs, mine) if reflected else fn(mine, theirs))


_BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
           "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow}
_COMPARE = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}


def _method(fn: Callable[[Any, Any], Any], reflected: bool = False) -> Callable[[RaggedTensor, Any], RaggedTensor]:
    return lambda rt, other: _elementwise(rt, other, fn, reflected)


def bind() -> None:
    cls: Any = RaggedTensor
    for name, fn in _BINARY.items():
        setattr(cls, f"__{name}__", _method(fn))
        setattr(cls, f"__r{name}__", _method(fn, reflected=True))
    for name, fn in _COMPARE.items():
        setattr(cls, f"__{name}__", _method(fn))
    cls.__neg__ = lambda rt: rt.with_flat_values(-rt.flat_values)
    cls.__abs__ = lambda rt: rt.with_flat_values(abs(rt.flat_values))
