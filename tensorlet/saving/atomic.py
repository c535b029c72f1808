"""Atomic file writes: write to a temporary file in the same folder, fsync, then rename over the target."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one rename."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def require_h5py() -> object:
    try:
        import h5py
    except ImportError:
        raise ImportError("Saving and loading .keras/.h5 files needs h5py, which tensorlet keeps optional so that "
                          "NumPy stays its only core dependency. Install it with: pip install 'tensorlet[h5]' "
                          "(or pip install h5py).") from None
    return h5py
