"""Elementwise string transforms: ``lower``, ``upper``, ``strip``, ``length`` and ``substr``.

As in TF, ``lower``/``upper`` change ASCII letters only unless ``encoding="utf-8"`` is given, ``strip`` removes
ASCII whitespace, and ``unit="UTF8_CHAR"`` counts characters instead of bytes.
"""
from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap, constant
from tensorlet.errors import InvalidArgumentError
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.string_input import as_string_tensor, host, map_strings

_UNITS = ("BYTE", "UTF8_CHAR")


def _encoding(encoding: str, op: str) -> bool:
    """True for UTF-8 (Unicode case rules), False for '' (ASCII only)."""
    if encoding in ("", None):
        return False
    if str(encoding).lower().replace("-", "") == "utf8":
        return True
    raise ValueError(f"tf.strings.{op}: encoding must be '' or 'utf-8', got {encoding!r}")


def _unit(unit: str, op: str) -> str:
    if unit not in _UNITS:
        raise ValueError(f"tf.strings.{op}: unit must be one of {_UNITS}, got {unit!r}")
    return unit


def lower(input: Any, encoding: str = "", name: Any = None) -> Tensor | RaggedTensor:
    """Lowercase: ASCII letters only, or all of Unicode with ``encoding="utf-8"``.

    Example:
        >>> lower("CamelCase string and ALL CAPS").numpy()
        b'camelcase string and all caps'
    """
    if _encoding(encoding, "lower"):
        return map_strings(input, lambda s: s.decode("utf-8", "surrogateescape").lower().encode("utf-8",
                                                                                              "surrogateescape"),
                           "lower")
    return map_strings(input, bytes.lower, "lower")


def upper(input: Any, encoding: str = "", name: Any = None) -> Tensor | RaggedTensor:
    """Uppercase: ASCII letters only, or all of Unicode with ``encoding="utf-8"``."""
    if _encoding(encoding, "upper"):
        return map_strings(input, lambda s: s.decode("utf-8", "surrogateescape").upper().encode("utf-8",
                                                                                              "surrogateescape"),
                           "upper")
    return map_strings(input, bytes.upper, "upper")


def strip(input: Any, name: Any = None) -> Tensor | RaggedTensor:
    """Remove leading and trailing ASCII whitespace.

    Example:
        >>> strip([b"\\nTensorFlow", b"     The python library    "]).numpy().tolist()
        [b'TensorFlow', b'The python library']
    """
    return map_strings(input, bytes.strip, "strip")


def length(input: Any, unit: str = "BYTE", name: Any = None) -> Tensor | RaggedTensor:
    """int32 length of each string, in bytes or (``unit="UTF8_CHAR"``) in characters.

    Example:
        >>> length(["Hello", "TensorFlow", "\\U0001F642"], unit="UTF8_CHAR").numpy().tolist()
        [5, 10, 1]
    """
    if _unit(unit, "length") == "BYTE":
        return map_strings(input, len, "length", out_dtype=np.int32)
    return map_strings(input, lambda s: len(s.decode("utf-8", "replace")), "length", out_dtype=np.int32)


def _chars(s: bytes) -> list[bytes]:
    return [c.encode("utf-8", "surrogateescape") for c in s.decode("utf-8", "surrogateescape")]


def substr(input: Any, pos: Any, len: Any, unit: str = "BYTE", name: Any = None) -> Tensor | RaggedTensor:
    """The substring of ``len`` units from ``pos`` (negative counts from the end); ``pos``/``len`` broadcast.

    A ``pos`` past the end is an InvalidArgumentError, as in TF; a ``len`` past the end is cut short.

    Example:
        >>> substr(["Hello", "World"], 1, 3).numpy().tolist()
        [b'ell', b'orl']
    """
    _unit(unit, "substr")
    x = as_string_tensor(input, "substr")
    if isinstance(x, RaggedTensor):
        flat = substr(x.flat_values, pos, len, unit=unit)
        return x.with_flat_values(flat)
    values = host(x)
    positions = np.asarray(host(pos if isinstance(pos, Tensor) else constant(pos)))
    lengths = np.asarray(host(len if isinstance(len, Tensor) else constant(len)))
    try:
        strings, positions, lengths = np.broadcast_arrays(values, positions, lengths)
    except ValueError:
        raise ValueError(f"tf.strings.substr: pos of shape {positions.shape} and len of shape {lengths.shape} do "
                         f"not broadcast with input of shape {values.shape}") from None
    out = np.empty(strings.shape, dtype=object)
    for idx in np.ndindex(strings.shape):
        s = strings[idx]
        units: Any = s if unit == "BYTE" else _chars(s)
        p, n = int(positions[idx]), int(lengths[idx])
        size = builtins.len(units)  # `len` is an argument here, as in TF
        if p < -size or p > size:
            raise InvalidArgumentError(f"tf.strings.substr: pos {p} out of range for string {s!r} at index "
                                       f"{idx}")
        p = p + size if p < 0 else p
        piece = units[p:p + max(n, 0)]
        out[idx] = piece if unit == "BYTE" else b"".join(piece)
    return _wrap(out)

