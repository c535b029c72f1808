"""``tf.math``: elementwise maths, reductions and comparisons."""
from typing import Any

from tensorlet.ops.elementwise import (  # noqa: F401
    abs,
    add,
    add_n,
    ceil,
    cos,
    divide,
    equal,
    exp,
    expm1,
    floor,
    floordiv,
    floormod,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    log1p,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    mod,
    multiply,
    negative,
    not_equal,
    pow,
    reciprocal,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    subtract,
    tan,
    tanh,
    truediv,
)
from tensorlet.ops.nn import softplus  # noqa: F401
from tensorlet.ops.reduction import (  # noqa: F401
    argmax,
    argmin,
    cumsum,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_std,
    reduce_sum,
    reduce_variance,
    top_k,
)
from tensorlet.ops.reduction import reduce_logsumexp as logsumexp  # noqa: F401
from tensorlet.ops.shape import one_hot  # noqa: F401


def squared_difference(x, y, name=None):  # type: ignore[no-untyped-def]
    """(x - y)^2."""
    return square(subtract(x, y))


def divide_no_nan(x, y, name=None):  # type: ignore[no-untyped-def]
    """x / y, with 0 where y == 0."""
    from tensorlet.ops.elementwise import where

    safe = where(equal(y, 0), 1, y) if not isinstance(y, (int, float)) else (y or 1)
    return where(equal(y, 0), 0, divide(x, safe)) if not isinstance(y, (int, float)) else divide(x, safe)


def _predicate(op: str, x: Any) -> Any:
    """An elementwise test as a recorded op, so a traced function computes it from each call's input."""
    from tensorlet.ops.convert import as_tensor
    from tensorlet.ops.nondifferentiable import nondifferentiable

    return nondifferentiable(op, lambda xp, v: getattr(xp, op)(v), as_tensor(x))


def is_nan(x: Any, name: Any = None) -> Any:
    return _predicate("isnan", x)


def is_finite(x: Any, name: Any = None) -> Any:
    return _predicate("isfinite", x)


def is_inf(x: Any, name: Any = None) -> Any:
    return _predicate("isinf", x)


from tensorlet.math_counts import (  # noqa: E402,F401
    bincount,
    confusion_matrix,
    count_nonzero,
    segment_max,
    segment_mean,
    segment_min,
    segment_sum,
    unsorted_segment_max,
    unsorted_segment_mean,
    unsorted_segment_min,
    unsorted_segment_sum,
)
from tensorlet.nn.functions import in_top_k, l2_normalize  # noqa: E402,F401
