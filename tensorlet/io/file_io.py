"""``tf.io.read_file``, ``write_file`` and ``matching_files``: whole files as string tensors, glob patterns.

In a traced function (``Dataset.map``, ``tf.function``), ``read_file`` is a host call: the file is read on every
replay, named by that replay's tensor.
"""
from __future__ import annotations

import glob
import os
from typing import Any

import numpy as np

from tensorlet.autodiff.host_call import host_call
from tensorlet.autodiff.tensor import Tensor, _wrap, constant


def _path(filename: Any) -> str:
    value = filename.numpy() if isinstance(filename, Tensor) else filename
    if isinstance(value, np.ndarray):
        value = value[()]
    return os.fsdecode(value)


def _read(filename: Any) -> Tensor:
    path = _path(filename)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        from tensorlet.errors import NotFoundError

        raise NotFoundError(f"{path}; No such file or directory") from None
    return constant(data)


def read_file(filename: Any, name: Any = None) -> Tensor:
    """The contents of a file, as a scalar string tensor.

    Example:
        >>> import os, tempfile, tensorlet as tf
        >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
        >>> tf.io.write_file(path, "hello")
        >>> tf.io.read_file(path).numpy()
        b'hello'
    """
    tensor = filename if isinstance(filename, Tensor) else constant(filename, dtype="string")
    return host_call(_read, (tensor,), example=lambda: np.asarray(b"", dtype=object))  # type: ignore[no-any-return]


def write_file(filename: Any, contents: Any, name: Any = None) -> None:
    """Write a string (or scalar string tensor) to a file, replacing it."""
    value = contents.numpy() if isinstance(contents, Tensor) else contents
    if isinstance(value, str):
        value = value.encode("utf-8")
    path = _path(filename)
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    with open(path, "wb") as f:
        f.write(bytes(value))


def matching_files(pattern: Any, name: Any = None) -> Tensor:
    """The sorted file names matching a glob pattern (or a list of patterns), as a string vector."""
    value = pattern.numpy() if isinstance(pattern, Tensor) else pattern
    patterns = [value] if isinstance(value, (str, bytes)) else list(np.asarray(value, dtype=object).reshape(-1))
    names: list[str] = []
    for p in patterns:
        names += glob.glob(os.fsdecode(p))
    out = np.empty(len(names), dtype=object)
    out[:] = [os.fsencode(n) for n in sorted(set(names))]
    return _wrap(out)
