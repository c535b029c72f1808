"""Numbers to strings and back: ``to_number`` and ``as_string`` (printf rules, as TF's kernels use)."""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from tensorlet import dtypes as _dtypes
from tensorlet.autodiff.tensor import Tensor, _wrap, constant
from tensorlet.errors import InvalidArgumentError
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.string_input import map_strings

_INT = re.compile(rb"[+-]?[0-9]+")
_FLOAT = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)",
                    re.IGNORECASE)
_HEX = re.compile(rb"[+-]?0x[0-9a-f]*\.?[0-9a-f]*(?:p[+-]?[0-9]+)?", re.IGNORECASE)
_NUMBER_TYPES = ("float32", "float64", "int32", "int64")
_FILL_FLAGS = ("", " ", "0", "+", "-", "#")


def to_number(string_tensor: Any, out_type: Any = "float32", name: Any = None) -> Tensor | RaggedTensor:
    """Parse each string as a number of ``out_type`` (float32, float64, int32 or int64).

    Surrounding whitespace is allowed; anything else that is not a number is an InvalidArgumentError, as in TF.

    Example:
        >>> to_number(["1.5", " -2", "1e3"]).numpy().tolist()
        [1.5, -2.0, 1000.0]
    """
    dtype = _dtypes.as_dtype(out_type)
    if dtype.name not in _NUMBER_TYPES:
        raise TypeError(f"tf.strings.to_number: out_type must be one of {_NUMBER_TYPES}, got {dtype.name}")
    npd = dtype.as_numpy_dtype
    integer = dtype.is_integer
    info = np.iinfo(npd) if integer else None

    def parse(s: bytes) -> Any:
        text = s.strip()
        if integer:
            if _INT.fullmatch(text):
                v = int(text)
                if info is not None and info.min <= v <= info.max:
                    return v
        elif _FLOAT.fullmatch(text):
            return float(text)
        elif _HEX.fullmatch(text):
            return float.fromhex(text.decode("ascii"))
        raise InvalidArgumentError(f"StringToNumberOp could not correctly convert string: "
                                   f"{s.decode('utf-8', 'replace')}")

    return map_strings(string_tensor, parse, "to_number", out_dtype=npd)


def _printf_spec(fill: str, width: int, precision: int, conversion: str) -> str:
    spec = "%" + fill + (str(width) if width > -1 else "")
    return spec + (f".{precision}" if precision > -1 else "") + conversion


def as_string(input: Any, precision: int = -1, scientific: bool = False, shortest: bool = False, width: int = -1,
              fill: str = "", name: Any = None) -> Tensor | RaggedTensor:
    """Format numbers (and bools) as strings with printf's rules.

    Floats use ``%f`` (``%e`` if ``scientific``, ``%g`` if ``shortest``) with ``precision`` digits; ``width``
    pads, with spaces or the one-character ``fill`` (``'0'``, ``'-'`` to align left, ``'+'``, ``' '``, ``'#'``).
    Bools become ``true``/``false``; strings pass through.

    Example:
        >>> as_string([3.14159, 2.0], precision=2).numpy().tolist()
        [b'3.14', b'2.00']
    """
    x = input if isinstance(input, (Tensor, RaggedTensor)) else constant(input)
    flat = x.flat_values if isinstance(x, RaggedTensor) else x
    dtype = flat.dtype
    if len(fill) > 1:
        raise InvalidArgumentError("tf.strings.as_string: Fill string must be one or fewer characters")
    if fill not in _FILL_FLAGS:
        raise InvalidArgumentError(f'tf.strings.as_string: Fill argument not supported: "{fill}"; use one of '
                                   f"{_FILL_FLAGS}")
    if scientific and shortest:
        raise InvalidArgumentError("tf.strings.as_string: Cannot select both scientific and shortest notation")
    if precision > -1 and not (dtype.is_floating or dtype.is_complex):
        raise InvalidArgumentError(f"tf.strings.as_string: precision not supported for datatype {dtype.name}")
    if (scientific or shortest) and not (dtype.is_floating or dtype.is_complex):
        raise InvalidArgumentError(f"tf.strings.as_string: scientific and shortest format not supported for "
                                   f"datatype {dtype.name}")
    values = np.asarray(flat._value)
    if dtype.name == "string":
        return x
    if dtype.is_bool:
        spec = _printf_spec(fill, width, -1, "s")
        strings = [(spec % ("true" if v else "false")).encode() for v in values.reshape(-1)]
    elif dtype.is_integer:
        spec = _printf_spec(fill, width, -1, "d")
        strings = [(spec % int(v)).encode() for v in values.reshape(-1)]
    else:
        spec = _printf_spec(fill, width, precision, "e" if scientific else "g" if shortest else "f")
        if dtype.is_complex:
            strings = [f"({spec % float(v.real)},{spec % float(v.imag)})".encode() for v in values.reshape(-1)]
        else:
            strings = [(spec % float(v)).encode() for v in values.reshape(-1)]
    out = np.empty(len(strings), dtype=object)
    out[:] = strings
    result = _wrap(out.reshape(values.shape))
    return x.with_flat_values(result) if isinstance(x, RaggedTensor) else result
