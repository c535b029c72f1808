"""A cross-process lock on a lock file, so that processes asking for the same download fetch it once."""
from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def file_lock(path: str, poll: float = 0.05, stale_after: float = 3600.0) -> Iterator[None]:
    """Hold an exclusive, cross-process lock on the lock file ``path`` (created, and removed on release).

    Uses ``fcntl.flock`` where it exists (released by the OS even if the holder dies); elsewhere an
    ``O_EXCL``-created file, taken over once older than ``stale_after`` seconds.
    """
    fcntl: Any = None
    with contextlib.suppress(ImportError):
        import fcntl
    if fcntl is None:  # pragma: no cover - Windows
        while True:
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                break
            except FileExistsError:
                with contextlib.suppress(OSError):
                    if time.time() - os.path.getmtime(path) > stale_after:
                        os.unlink(path)  # left behind by a process that died
                time.sleep(poll)
    else:
        while True:
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            except BaseException:
                os.close(fd)
                raise
            if same:
                break
            os.close(fd)  # the previous holder removed that file while we waited: lock the current one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # before closing, so a waiter on the old file notices and retries
        os.close(fd)
