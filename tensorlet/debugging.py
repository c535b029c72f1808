"""``tf.debugging``: eager assertions, as TensorFlow runs them eagerly.

A failed value check raises ``tf.errors.InvalidArgumentError`` with TensorFlow's message layout ("Condition x < y
did not hold."); a failed static check (rank, shape, dtype) raises ``ValueError``/``TypeError``. The asserts
return None, as in eager TensorFlow; ``check_numerics`` returns its input so gradients flow through it.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

from tensorlet.autodiff.tensor import Tensor, convert_to_tensor
from tensorlet.dtypes import as_dtype
from tensorlet.errors import InvalidArgumentError

_settings = {"log_device_placement": False, "check_numerics": False, "traceback_filtering": True}


def _host(x: Any) -> np.ndarray:
    return np.asarray(x._value if isinstance(x, Tensor) else convert_to_tensor(x)._value)


def _describe(x: Any) -> str:
    a = _host(x)
    return f"{'Tensor' if isinstance(x, Tensor) else type(x).__name__} shape={a.shape} dtype={a.dtype}"


def _prefix(message: Any) -> str:
    return f"{message}\n" if message else ""


def _compare(x: Any, y: Any, op: Callable[..., Any], symbol: str, message: Any, summarize: Any) -> None:
    a, b = _host(x), _host(y)
    try:
        ok = np.asarray(op(a, b))
    except ValueError:
        raise InvalidArgumentError(f"{_prefix(message)}Incompatible shapes: {list(a.shape)} vs. "
                                   f"{list(b.shape)}") from None
    if ok.all():
        return
    n = 3 if summarize is None else int(summarize)
    text = f"{_prefix(message)}Condition x {symbol} y did not hold.\n"
    if symbol == "==" and a.shape == b.shape:
        where = np.argwhere(~ok)[:n]
        text += (f"Indices of first {len(where)} different values:\n{where}\n"
                 f"Corresponding x values:\n{a[tuple(where.T)]}\nCorresponding y values:\n{b[tuple(where.T)]}\n")
    text += (f"First {min(n, a.size)} elements of x:\n{a.reshape(-1)[:n]}\n"
             f"First {min(n, b.size)} elements of y:\n{b.reshape(-1)[:n]}")
    raise InvalidArgumentError(text)


def assert_equal(x: Any, y: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    """Raise InvalidArgumentError unless x == y element-wise (broadcasting)."""
    _compare(x, y, np.equal, "==", message, summarize)


def assert_none_equal(x: Any, y: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _compare(x, y, np.not_equal, "!=", message, summarize)


def assert_less(x: Any, y: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _compare(x, y, np.less, "<", message, summarize)


def assert_less_equal(x: Any, y: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _compare(x, y, np.less_equal, "<=", message, summarize)


def assert_greater(x: Any, y: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _compare(x, y, np.greater, ">", message, summarize)


def assert_greater_equal(x: Any, y: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _compare(x, y, np.greater_equal, ">=", message, summarize)


def _sign_check(x: Any, op: Callable[..., Any], condition: str, message: Any, summarize: Any) -> None:
    a = _host(x)
    if np.asarray(op(a, 0)).all():
        return
    n = 3 if summarize is None else int(summarize)
    raise InvalidArgumentError(f"{_prefix(message)}Condition x {condition} did not hold element-wise:\n"
                               f"x (shape={a.shape} dtype={a.dtype}) = {a.reshape(-1)[:n]}")


def assert_positive(x: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _sign_check(x, np.greater, "> 0", message, summarize)


def assert_negative(x: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _sign_check(x, np.less, "< 0", message, summarize)


def assert_non_negative(x: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _sign_check(x, np.greater_equal, ">= 0", message, summarize)


def assert_non_positive(x: Any, message: Any = None, summarize: Any = None, name: Any = None) -> None:
    _sign_check(x, np.less_equal, "<= 0", message, summarize)


def assert_near(x: Any, y: Any, rtol: Any = None, atol: Any = None, message: Any = None, summarize: Any = None,
                name: Any = None) -> None:
    """Raise InvalidArgumentError unless |x - y| <= atol + rtol * |y| everywhere (default tolerances: ten
    machine epsilons of x's dtype, as TensorFlow)."""
    a, b = _host(x), _host(y)
    eps = np.finfo(a.dtype).eps if a.dtype.kind == "f" else 0.0
    rtol = 10 * eps if rtol is None else float(_host(rtol))
    atol = 10 * eps if atol is None else float(_host(atol))
    if np.all(np.abs(a - b) <= atol + rtol * np.abs(b)):
        return
    n = 3 if summarize is None else int(summarize)
    raise InvalidArgumentError(f"{_prefix(message)}x and y not equal to tolerance rtol = {rtol}, atol = {atol}\n"
                               f"x (shape={a.shape} dtype={a.dtype}) = {a.reshape(-1)[:n]}\n"
                               f"y (shape={b.shape} dtype={b.dtype}) = {b.reshape(-1)[:n]}")


def _rank(x: Any) -> int:
    return _host(x).ndim


def assert_rank(x: Any, rank: Any, message: Any = None, name: Any = None) -> None:
    r = int(_host(rank))
    if _rank(x) != r:
        raise ValueError(f"{_prefix(message)}Tensor must have rank {r}. Received rank {_rank(x)}, shape "
                         f"{_host(x).shape}")


def assert_rank_at_least(x: Any, rank: Any, message: Any = None, name: Any = None) -> None:
    r = int(_host(rank))
    if _rank(x) < r:
        raise ValueError(f"{_prefix(message)}Tensor must have rank at least {r}. Received rank {_rank(x)}, shape "
                         f"{_host(x).shape}")


def assert_rank_in(x: Any, ranks: Any, message: Any = None, name: Any = None) -> None:
    allowed = [int(_host(r)) for r in ranks]
    if _rank(x) not in allowed:
        raise ValueError(f"{_prefix(message)}Tensor must have rank in {tuple(allowed)}. Received rank {_rank(x)}, "
                         f"shape {_host(x).shape}")


def assert_scalar(tensor: Any, message: Any = None, name: Any = None) -> None:
    if _rank(tensor) != 0:
        raise ValueError(f"{_prefix(message)}Expected scalar shape, saw shape: {_host(tensor).shape}.")


def assert_type(tensor: Any, tf_type: Any, message: Any = None, name: Any = None) -> None:
    want, got = as_dtype(tf_type), as_dtype(convert_to_tensor(tensor).dtype)
    if want != got:
        raise TypeError(f"{_prefix(message)}tensor must be of type tf.{want.name}; got tf.{got.name}")


def assert_integer(x: Any, message: Any = None, name: Any = None) -> None:
    d = as_dtype(convert_to_tensor(x).dtype)
    if not d.is_integer:
        raise TypeError(f'{_prefix(message)}Expected "x" to be integer type.  Found: tensor of dtype {d!r}')


def assert_same_float_dtype(tensors: Any = None, dtype: Any = None) -> Any:
    """The common floating dtype of ``tensors`` (and ``dtype``); ValueError when they differ or are not float."""
    found = {as_dtype(convert_to_tensor(t).dtype) for t in (tensors or [])}
    if dtype is not None:
        found.add(as_dtype(dtype))
    if len(found) > 1:
        raise ValueError(f"Expected tensors of one floating dtype, got {sorted(d.name for d in found)}")
    d = found.pop() if found else as_dtype("float32")
    if not d.is_floating:
        raise ValueError(f"Expected floating point type, got {d.name}")
    return d


def assert_proper_iterable(values: Any) -> None:
    if isinstance(values, (str, bytes, np.ndarray, Tensor)) or not hasattr(values, "__iter__"):
        raise TypeError(f"Expected argument 'values' to be a \"proper\" iterable, got {type(values).__name__}")


def is_numeric_tensor(tensor: Any) -> bool:
    return isinstance(tensor, Tensor) and tensor.dtype.name != "string" and not tensor.dtype.is_bool


def _shape_spec(spec: Any) -> tuple[bool, list[Any]]:
    spec = list(spec)
    inner = bool(spec) and (spec[0] is Ellipsis or spec[0] == "*")
    return inner, spec[1:] if inner else spec


def assert_shapes(shapes: Any, data: Any = None, summarize: Any = None, message: Any = None,
                  name: Any = None) -> None:
    """Check shapes and symbolic sizes: ``[(x, ('N', 'Q')), (y, ('N', 1))]`` (a dict works too).

    A size is an int, a symbol shared across tensors, or None/'.' for any size; a leading ``...``/'*' lets
    any number of outer dimensions precede the spec. Scalars count as shape (1,).
    """
    pairs = list(shapes.items()) if isinstance(shapes, dict) else list(shapes)
    sizes: dict[Any, tuple[int, str, int]] = {}
    for tensor, spec in pairs:
        shape = _host(tensor).shape
        inner, dims = _shape_spec(spec)
        shape = shape or (1,)
        dims = dims or [1]
        if (inner and len(shape) < len(dims)) or (not inner and len(shape) != len(dims)):
            raise ValueError(f"{_prefix(message)}{_describe(tensor)} must have rank {len(dims)}. Received rank "
                             f"{len(shape)}, shape {shape}")
        actual = shape[len(shape) - len(dims):]
        for axis, (want, got) in enumerate(zip(dims, actual)):
            if want is None or want == ".":
                continue
            if isinstance(want, (int, np.integer)) or (isinstance(want, str) and want.lstrip("-").isdigit()):
                if int(want) != got:
                    raise ValueError(f"{_prefix(message)}{_describe(tensor)} dimension {axis} must have size "
                                     f"{int(want)}. Received size {got}, shape {shape}")
                continue
            if want in sizes and sizes[want][0] != got:
                size, where, ax = sizes[want]
                raise ValueError(f"{_prefix(message)}Specified by {where} dimension {ax}. {_describe(tensor)} "
                                 f"dimension {axis} must have size {size}. Received size {got}, shape {shape}")
            sizes.setdefault(want, (got, _describe(tensor), axis))


def check_numerics(tensor: Any, message: str, name: Any = None) -> Any:
    """Return ``tensor`` unchanged, or raise InvalidArgumentError if it holds NaN or Inf values."""
    t = tensor if isinstance(tensor, Tensor) else convert_to_tensor(tensor)
    a = _host(t)
    if a.dtype.kind in "fc":
        bad = [kind for kind, test in (("NaN", np.isnan), ("Inf", np.isinf)) if test(a).any()]
        if bad:
            raise InvalidArgumentError(f"{message} : Tensor had {' and '.join(bad)} values")
    return t


def assert_all_finite(t: Any, msg: str, name: Any = None, x: Any = None, message: Any = None) -> Any:
    return check_numerics(t if x is None else x, msg if message is None else message)


def Assert(condition: Any, data: Any, summarize: Any = None, name: Any = None) -> None:  # noqa: N802 - TF name
    """Raise InvalidArgumentError showing ``data`` when ``condition`` is false."""
    if not bool(_host(condition).all()):
        shown = "\n".join(str(d.numpy() if isinstance(d, Tensor) else d) for d in data)
        raise InvalidArgumentError(f"Expected '{condition}' to be true. Summarized data: {shown}")


def set_log_device_placement(enabled: bool) -> None:
    """Record the switch (every op runs on the backend's one device; there are no placements to log)."""
    _settings["log_device_placement"] = bool(enabled)


def get_log_device_placement() -> bool:
    return bool(_settings["log_device_placement"])


def enable_check_numerics(stack_height_limit: int = 30, path_length_limit: int = 50) -> None:
    _settings["check_numerics"] = True


def disable_check_numerics() -> None:
    _settings["check_numerics"] = False


def enable_traceback_filtering() -> None:
    _settings["traceback_filtering"] = True


def disable_traceback_filtering() -> None:
    _settings["traceback_filtering"] = False


def is_traceback_filtering_enabled() -> bool:
    return bool(_settings["traceback_filtering"])


def _no_dump(*args: Any, **kwargs: Any) -> None:
    from tensorlet.compat.unsupported import not_provided

    not_provided("tf.debugging.experimental.enable_dump_debug_info", "it writes TensorFlow Debugger V2 graph "
                 "dumps, and tensorlet has no graphs; use tf.debugging.check_numerics on the values instead.")


experimental = SimpleNamespace(enable_dump_debug_info=_no_dump, disable_dump_debug_info=lambda: None)
