"""Unicode ops: ``unicode_decode`` (code points), ``unicode_split`` (characters), ``unicode_encode``, and
``unicode_decode_with_offsets``.

Malformed input follows ``errors``: ``'replace'`` (default) puts ``replacement_char`` (U+FFFD) for each maximal
ill-formed subsequence, as ICU and Python do; ``'ignore'`` drops it; ``'strict'`` raises InvalidArgumentError.
"""
from __future__ import annotations

import codecs
from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap, constant
from tensorlet.errors import InvalidArgumentError
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.string_input import as_string_tensor, host, object_array, rows_result

_ERRORS = ("strict", "replace", "ignore")


def _codec(encoding: Any, op: str) -> str:
    if isinstance(encoding, bytes):
        encoding = encoding.decode()
    try:
        return codecs.lookup(str(encoding)).name
    except LookupError:
        raise ValueError(f"tf.strings.{op}: unknown encoding {encoding!r} (use e.g. 'UTF-8', 'UTF-16-BE', "
                         "'UTF-32-BE')") from None


def _errors(errors: str, op: str) -> str:
    if errors not in _ERRORS:
        raise ValueError(f"tf.strings.{op}: errors must be one of {_ERRORS}, got {errors!r}")
    return errors


def _decode(s: bytes, codec: str, errors: str, replacement_char: int, replace_control: bool
            ) -> tuple[list[int], list[int]]:
    """Code points of ``s`` and the byte offset where each starts."""
    points: list[int] = []
    offsets: list[int] = []
    pos = 0
    while pos <= len(s):
        rest = s[pos:]
        try:
            good, bad_start, bad_end = rest.decode(codec), len(rest), len(rest)
        except UnicodeDecodeError as e:  # e.start..e.end is one maximal ill-formed subsequence
            good, bad_start, bad_end = rest[:e.start].decode(codec), e.start, e.end
        at = pos
        for ch in good:
            cp = ord(ch)
            points.append(replacement_char if replace_control and cp < 0x20 else cp)
            offsets.append(at)
            at += len(ch.encode(codec, "surrogatepass"))
        if bad_start == len(rest):
            break
        if errors == "strict":
            raise InvalidArgumentError(f"Invalid formatting on input string: {s!r}")
        if errors == "replace":
            points.append(replacement_char)
            offsets.append(pos + bad_start)
        pos += bad_end
    return points, offsets


def _decode_all(input: Any, input_encoding: Any, errors: str, replacement_char: int,
                replace_control_characters: bool, op: str) -> tuple[Any, list[tuple[list[int], list[int]]]]:
    x = as_string_tensor(input, op)
    codec = _codec(input_encoding, op)
    _errors(errors, op)
    flat = x.flat_values if isinstance(x, RaggedTensor) else x
    decoded = [_decode(s, codec, errors, int(replacement_char), replace_control_characters)
               for s in host(flat).reshape(-1)]
    return x, decoded


def unicode_decode(input: Any, input_encoding: Any, errors: str = "replace", replacement_char: int = 65533,
                   replace_control_characters: bool = False, name: Any = None) -> Any:
    """The int32 code points of each string (a RaggedTensor one rank up; a Tensor for a scalar).

    Example:
        >>> unicode_decode(["héllo", "ab"], "UTF-8")
        <tf.RaggedTensor [[104, 233, 108, 108, 111], [97, 98]]>
    """
    x, decoded = _decode_all(input, input_encoding, errors, replacement_char, replace_control_characters,
                             "unicode_decode")
    return rows_result(x, [points for points, _ in decoded], "unicode_decode", dtype=np.int32)


def unicode_decode_with_offsets(input: Any, input_encoding: Any, errors: str = "replace",
                                replacement_char: int = 65533, replace_control_characters: bool = False,
                                name: Any = None) -> tuple[Any, Any]:
    """``unicode_decode`` plus the int64 byte offset where each character starts."""
    x, decoded = _decode_all(input, input_encoding, errors, replacement_char, replace_control_characters,
                             "unicode_decode_with_offsets")
    return (rows_result(x, [p for p, _ in decoded], "unicode_decode_with_offsets", dtype=np.int32),
            rows_result(x, [o for _, o in decoded], "unicode_decode_with_offsets", dtype=np.int64))


def unicode_split(input: Any, input_encoding: Any, errors: str = "replace", replacement_char: int = 65533,
                  name: Any = None) -> Any:
    """Each string split into its characters, each encoded in ``input_encoding``.

    Example:
        >>> unicode_split("hé", "UTF-8").numpy().tolist()
        [b'h', b'\\xc3\\xa9']
    """
    x, decoded = _decode_all(input, input_encoding, errors, replacement_char, False, "unicode_split")
    codec = _codec(input_encoding, "unicode_split")
    rows = [[chr(cp).encode(codec, "surrogatepass") for cp in points] for points, _ in decoded]
    return rows_result(x, rows, "unicode_split")


def unicode_encode(input: Any, output_encoding: Any, errors: str = "replace", replacement_char: int = 65533,
                   name: Any = None) -> Tensor | RaggedTensor:
    """Code points (the innermost axis, ragged or not) to strings in ``output_encoding``.

    Example:
        >>> unicode_encode([104, 233], "UTF-8").numpy()
        b'h\\xc3\\xa9'
    """
    codec = _codec(output_encoding, "unicode_encode")
    _errors(errors, "unicode_encode")

    def encode(points: Any) -> bytes:
        chars = []
        for cp in points:
            cp = int(cp)
            if not 0 <= cp <= 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
                if errors == "strict":
                    raise InvalidArgumentError(f"tf.strings.unicode_encode: invalid code point {cp}")
                if errors == "ignore":
                    continue
                cp = int(replacement_char)
            chars.append(chr(cp))
        return "".join(chars).encode(codec)

    if isinstance(input, RaggedTensor):
        if isinstance(input.values, RaggedTensor):
            return input.with_values(unicode_encode(input.values, output_encoding, errors, replacement_char))
        values = host(input.values)
        splits = host(input.row_splits)
        return _wrap(object_array([encode(values[a:b]) for a, b in zip(splits[:-1], splits[1:])]))
    arr = host(input if isinstance(input, Tensor) else constant(input))
    if arr.ndim == 0:
        raise ValueError("tf.strings.unicode_encode: input must have rank >= 1 (code points on the last axis)")
    rows = arr.reshape(-1, arr.shape[-1]) if arr.shape[-1] else arr.reshape(-1, 0)
    encoded = [encode(r) for r in rows]
    return _wrap(object_array(encoded, arr.shape[:-1]))
