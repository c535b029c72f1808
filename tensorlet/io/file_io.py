"""``tf.io.read_file``, ``write_file`` and ``matching_files``: whole files as string tensors, glob patterns.

In a traced function (``Dataset.map``, ``tf.function``), ``read_file`` is a host call: the file is read on every
replay, named by that replay's tensor (and ``write_file`` writes on every replay).
"""
from __future__ import annotations

import glob
import os
from typing import Any

import numpy as np

from tensorlet.autodiff.host_call import host_call
from tensorlet.autodiff.tensor import Tensor, _wrap, constant


def path_of(filename: Any) -> str:
    """A filesystem path from a str, bytes, ``os.PathLike`` or scalar string tensor."""
    value = filename.numpy() if isinstance(filename, Tensor) else filename
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise ValueError(f"filename must be a scalar string, got shape {value.shape}")
        value = value[()]
    if not isinstance(value, (str, bytes, os.PathLike)):
        raise TypeError(f"filename must be a string, got {type(value).__name__}: {value!r}")
    return os.fsdecode(value)


def _read(filename: Any) -> Tensor:
    path = path_of(filename)
    try:
        with open(path, "rb") as f:
            return constant(f.read())
    except FileNotFoundError:
        from tensorlet.errors import NotFoundError

        raise NotFoundError(f"{path}; No such file or directory") from None
    except IsADirectoryError:
        from tensorlet.errors import FailedPreconditionError

        raise FailedPreconditionError(f"{path}; Is a directory") from None


def read_file(filename: Any, name: Any = None) -> Tensor:
    """The bytes of a file, as a scalar ``tf.string`` tensor.

    Example:
        >>> import os, tempfile, tensorlet as tf
        >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
        >>> tf.io.write_file(path, "hello")
        >>> tf.io.read_file(path).numpy()
        b'hello'
    """
    if not isinstance(filename, Tensor):
        return _read(filename)
    return host_call(_read, (filename,), example=lambda: _read(filename))  # type: ignore[no-any-return]


def _write(filename: Any, contents: Any) -> None:
    value = contents.numpy() if isinstance(contents, Tensor) else contents
    if isinstance(value, np.ndarray):
        value = value[()]
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, (bytes, bytearray)):
        raise TypeError(f"write_file: contents must be a string, got {type(value).__name__}")
    path = path_of(filename)
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)  # TF creates missing parent directories
    with open(path, "wb") as f:
        f.write(bytes(value))


def write_file(filename: Any, contents: Any, name: Any = None) -> None:
    """Write a string (or scalar string tensor) to a file, replacing it; parent directories are created."""
    if isinstance(filename, Tensor) or isinstance(contents, Tensor):
        host_call(_write, (filename, contents))  # in a traced function: on every call, with its values
    else:
        _write(filename, contents)


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
