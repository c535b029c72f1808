"""``tf.io.gfile``: TensorFlow's file API over the local filesystem.

The functions take str, bytes, ``os.PathLike`` or scalar string tensors, and raise TensorFlow's errors
(``NotFoundError``, ``AlreadyExistsError``, ``FailedPreconditionError``), which are also the matching Python
``OSError`` subclasses. Remote schemes (``gs://``, ``s3://``, ``hdfs://``) are not supported and say so.
"""
from __future__ import annotations

import glob as _glob
import os
import shutil
from typing import IO, Any, Iterator, NamedTuple

from tensorlet.errors import AlreadyExistsError, FailedPreconditionError, NotFoundError, UnimplementedError
from tensorlet.io.file_io import path_of


def _path(path: Any) -> str:
    p = path_of(path)
    scheme = p.split("://", 1)[0] if "://" in p else ""
    if scheme and scheme != "file":
        raise UnimplementedError(f"File system scheme '{scheme}' not implemented (file: {p}): tensorlet's "
                                 "tf.io.gfile reads and writes local files only")
    return p[len("file://"):] if scheme == "file" else p


def exists(path: Any) -> bool:
    """Whether a file or directory exists."""
    return os.path.exists(_path(path))


def isdir(path: Any) -> bool:
    return os.path.isdir(_path(path))


def glob(pattern: Any) -> list[str]:
    """The paths matching a glob pattern (or a list of patterns), sorted."""
    patterns = pattern if isinstance(pattern, (list, tuple)) else [pattern]
    found: set[str] = set()
    for p in patterns:
        found.update(_glob.glob(_path(p)))
    return sorted(found)


def listdir(path: Any) -> list[str]:
    """The names (not paths) of the entries of a directory, sorted."""
    p = _path(path)
    if not os.path.isdir(p):
        raise NotFoundError(f"Could not find directory {p}")
    return sorted(os.listdir(p))


def makedirs(path: Any) -> None:
    """Create a directory and its missing parents (no error if it exists)."""
    p = _path(path)
    if os.path.exists(p) and not os.path.isdir(p):
        raise FailedPreconditionError(f"{p} exists and is not a directory")
    os.makedirs(p, exist_ok=True)


def mkdir(path: Any) -> None:
    """Create one directory; its parent must exist and it must not."""
    p = _path(path)
    try:
        os.mkdir(p)
    except FileExistsError:
        raise AlreadyExistsError(f"{p}; File exists") from None
    except FileNotFoundError:
        raise NotFoundError(f"{p}; the parent directory does not exist") from None


def remove(path: Any) -> None:
    """Delete a file."""
    p = _path(path)
    if os.path.isdir(p):
        raise FailedPreconditionError(f"{p} is a directory: use tf.io.gfile.rmtree")
    try:
        os.remove(p)
    except FileNotFoundError:
        raise NotFoundError(f"{p}; No such file or directory") from None


def rmtree(path: Any) -> None:
    """Delete a directory and everything below it."""
    p = _path(path)
    if not os.path.exists(p):
        raise NotFoundError(f"{p}; No such file or directory")
    shutil.rmtree(p)


def _check_target(dst: str, overwrite: bool) -> None:
    if os.path.exists(dst) and not overwrite:
        raise AlreadyExistsError(f"file already exists: {dst} (pass overwrite=True to replace it)")


def rename(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Move a file or directory; an existing target is replaced only with ``overwrite=True``."""
    s, d = _path(src), _path(dst)
    if not os.path.exists(s):
        raise NotFoundError(f"{s}; No such file or directory")
    _check_target(d, overwrite)
    os.replace(s, d)


def copy(src: Any, dst: Any, overwrite: bool = False) -> None:
    """Copy a file; an existing target is replaced only with ``overwrite=True``."""
    s, d = _path(src), _path(dst)
    if not os.path.isfile(s):
        raise NotFoundError(f"{s}; No such file")
    _check_target(d, overwrite)
    shutil.copyfile(s, d)


def join(path: Any, *paths: Any) -> str:
    return os.path.join(path_of(path), *[path_of(p) for p in paths])


def walk(top: Any, topdown: bool = True, onerror: Any = None) -> Iterator[tuple[str, list[str], list[str]]]:
    """(directory, subdirectory names, file names) for each directory below ``top``, as ``os.walk``."""
    yield from os.walk(_path(top), topdown=topdown, onerror=onerror)


class FileStatistics(NamedTuple):
    length: int
    mtime_nsec: int
    is_directory: bool


def stat(path: Any) -> FileStatistics:
    """Size in bytes, modification time in nanoseconds, and whether it is a directory."""
    p = _path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise NotFoundError(f"{p}; No such file or directory") from None
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(p))


def get_registered_schemes() -> list[str]:
    return ["file"]


class GFile:
    """A file object (``tf.io.gfile.GFile``, also ``Open``): text in ``"r"``/``"w"``/``"a"`` modes, bytes with
    ``"b"``; ``read(n)``, ``readline``, ``readlines``, iteration, ``write``, ``seek``/``tell``, ``size``."""

    def __init__(self, name: Any, mode: str = "r") -> None:
        self.name = _path(name)
        if not set(mode) <= set("rwab+") or not mode or mode[0] not in "rwa":
            raise ValueError(f"GFile: mode must be one of 'r', 'w', 'a', optionally with 'b' or '+', got {mode!r}")
        self.mode = mode
        if "r" in mode and not os.path.exists(self.name):
            raise NotFoundError(f"{self.name}; No such file or directory")
        if "r" in mode and os.path.isdir(self.name):
            raise FailedPreconditionError(f"{self.name}; Is a directory")
        self._f: IO[Any] = open(self.name, mode, encoding=None if "b" in mode else "utf-8")

    def read(self, n: int = -1) -> Any:
        return self._f.read(n)

    def readline(self) -> Any:
        return self._f.readline()

    def readlines(self) -> list[Any]:
        return self._f.readlines()

    def write(self, data: Any) -> None:
        if "b" in self.mode and isinstance(data, str):
            data = data.encode("utf-8")
        elif "b" not in self.mode and isinstance(data, bytes):
            data = data.decode("utf-8")
        self._f.write(data)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._f.seek(offset, whence)

    def tell(self) -> int:
        return self._f.tell()

    def size(self) -> int:
        self._f.flush()
        return os.path.getsize(self.name)

    def flush(self) -> None:
        self._f.flush()

    def close(self) -> None:
        self._f.close()

    @property
    def closed(self) -> bool:
        return bool(self._f.closed)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._f)

    def __next__(self) -> Any:
        return next(self._f)

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


Open = GFile

__all__ = ["GFile", "Open", "copy", "exists", "get_registered_schemes", "glob", "isdir", "join", "listdir",
           "makedirs", "mkdir", "remove", "rename", "rmtree", "stat", "walk"]
