"""``split`` and ``bytes_split``: each string becomes a row of pieces (a RaggedTensor one rank up)."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ragged.ragged_tensor import RaggedTensor
from tensorlet.strings.string_input import as_string_tensor, host, rows_result


def _flat_strings(x: Tensor | RaggedTensor) -> list[bytes]:
    flat = x.flat_values if isinstance(x, RaggedTensor) else x
    return list(host(flat).reshape(-1))


def _separator(sep: Any) -> bytes | None:
    if sep is None:
        return None
    if isinstance(sep, Tensor):
        sep = sep.numpy()
    sep = sep.encode("utf-8") if isinstance(sep, str) else bytes(sep)
    return sep or None  # TF splits on whitespace for an empty separator too


def split(input: Any, sep: Any = None, maxsplit: int = -1, name: Any = None) -> Any:
    """Split each string at ``sep``, or at runs of ASCII whitespace (dropping empty pieces) when ``sep`` is None.

    ``maxsplit`` limits the number of splits (the rest stays in the last piece). A scalar gives a 1-D Tensor; a
    tensor of shape ``[d1, ..., dn]`` gives a RaggedTensor of shape ``[d1, ..., dn, None]``.

    Example:
        >>> split(["hello world", "a b c"])
        <tf.RaggedTensor [[b'hello', b'world'], [b'a', b'b', b'c']]>
        >>> split("a,,b", sep=",").numpy().tolist()
        [b'a', b'', b'b']
    """
    x = as_string_tensor(input, "split")
    separator = _separator(sep)
    rows = [s.split(separator, maxsplit) for s in _flat_strings(x)]
    return rows_result(x, rows, "split")


def bytes_split(input: Any, name: Any = None) -> Any:
    """Split each string into its bytes (one-byte strings).

    Example:
        >>> bytes_split("hello").numpy().tolist()
        [b'h', b'e', b'l', b'l', b'o']
    """
    x = as_string_tensor(input, "bytes_split")
    rows = [[s[i:i + 1] for i in range(len(s))] for s in _flat_strings(x)]
    return rows_result(x, rows, "bytes_split")
