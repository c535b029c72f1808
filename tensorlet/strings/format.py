"""``tf.strings.format``: fill a template's placeholders with tensors printed as ``tf.print`` prints them.

The printing rules are TensorFlow's summaries: elements separated by spaces, nested brackets with NumPy-like
line breaks, ``...`` for the middle of an axis longer than ``2 * summarize``, strings in double quotes with C
escapes, bools as 1/0, and floats in the shortest of 6/9 (float32) or 15/17 (float64) significant digits that
reads back as the same number.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap, constant
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.string_input import object_array

_ESCAPES = {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x22: '\\"', 0x27: "\\'", 0x5C: "\\\\"}


def _c_escape(s: bytes) -> str:
    """C escapes for quotes, backslashes and control characters; other bytes (UTF-8 included) pass through."""
    out = []
    for ch in s.decode("utf-8", "surrogateescape"):
        code = ord(ch)
        if code in _ESCAPES:
            out.append(_ESCAPES[code])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\{code:03o}")
        else:
            out.append(ch)
    return "".join(out)


def _float_text(v: Any, double: bool) -> str:
    short, full = (15, 17) if double else (6, 9)
    value = float(v)
    text = "%.*g" % (short, value)
    back = float(text) if double else float(np.float32(text))
    if back != value and value == value:
        text = "%.*g" % (full, value)
    return text


def _element(v: Any, kind: str, double: bool) -> str:
    if kind == "O":
        return '"' + _c_escape(v) + '"'
    if kind == "b":
        return "1" if v else "0"
    if kind == "f":
        return _float_text(v, double)
    if kind == "c":
        return "?"  # TF's summaries do not print complex numbers either
    return str(int(v))


def _axis_items(n: int, summarize: int) -> list[int | None]:
    """Indices shown along an axis of length ``n``; None marks the elided middle."""
    if summarize < 0 or n <= 2 * summarize:
        return list(range(n))
    return list(range(summarize)) + [None] + list(range(n - summarize, n))


def summarize_array(arr: np.ndarray, summarize: int = 3) -> str:
    """A tensor's value as ``tf.print``/``tf.strings.format`` write it."""
    kind, double = arr.dtype.kind, arr.dtype == np.float64
    if arr.ndim == 0:
        return _element(arr.item() if kind != "O" else arr[()], kind, double)
    if arr.size == 0:
        return "[]"

    def block(a: np.ndarray, depth: int) -> str:
        items = _axis_items(a.shape[0], summarize)
        if a.ndim == 1:
            return "[" + " ".join("..." if i is None else _element(a[i], kind, double) for i in items) + "]"
        sep = "\n" * (a.ndim - 1) + " " * (depth + 1)
        return "[" + sep.join("..." if i is None else block(a[i], depth + 1) for i in items) + "]"

    return block(arr, 0)


def format(template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3, name: Any = None) -> Tensor:
    """Replace each ``placeholder`` in ``template`` by the printed value of the matching input.

    Example:
        >>> format("The tensor is: {}", constant([1, 2, 3])).numpy()
        b'The tensor is: [1 2 3]'
    """
    if isinstance(inputs, (Tensor, RaggedTensor)) or not isinstance(inputs, (list, tuple)):
        inputs = [inputs]
    pieces = str(template).split(placeholder)
    if len(pieces) - 1 != len(inputs):
        raise ValueError(f"tf.strings.format: the template expects {len(pieces) - 1} tensors, but the inputs has "
                         f"{len(inputs)}. Please ensure the number of placeholders in template matches inputs length.")
    texts = []
    for value in inputs:
        if isinstance(value, RaggedTensor):
            texts.append(str(value.to_list()))
        else:
            tensor = value if isinstance(value, Tensor) else constant(value)
            texts.append(summarize_array(np.asarray(tensor._value), int(summarize)))
    out = pieces[0] + "".join(t + p for t, p in zip(texts, pieces[1:]))
    return _wrap(object_array([out.encode("utf-8", "surrogateescape")], ()))
