"""Atomic file writes: write a temporary file next to the target, fsync it, then rename it over the target.

The temporary file has one name per target, ``.<name>.tmp``, so a crash leaves at most one behind, and the next
save to that target overwrites it (older releases named it ``.<name>.<random>.tmp``; those are removed too).
Saves to the same target take turns on a lock file (``.<name>.lock``, removed afterwards), so two processes never
write one temporary file. The file is created the way ``open()`` creates one, so the user's umask applies (0644
under umask 022), and an existing target keeps its permissions.
"""
from __future__ import annotations

import os
import re
import stat
from contextlib import ExitStack, contextmanager, suppress
from typing import Iterator

from tensorlet.utils.file_lock import file_lock


def temp_name(path: str) -> str:
    """The temporary file a save to ``path`` writes: ``.<name>.tmp`` in the same folder."""
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.tmp")


def _writable_folder(path: str) -> str:
    """The target's folder, created if needed; errors name the target, not a temporary file."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise IsADirectoryError(f"Cannot save to {path}: it is a folder; give a file name such as "
                                f"{os.path.join(path, 'model.keras')}")
    parent = folder
    while parent and not os.path.exists(parent):
        parent = os.path.dirname(parent) if os.path.dirname(parent) != parent else ""
    if parent and not os.path.isdir(parent):
        raise NotADirectoryError(f"Cannot save to {path}: {parent} is a file, not a folder")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise type(e)(e.errno, f"Cannot save to {path}: cannot create the folder {folder} ({e.strerror})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(13, f"Cannot save to {path}: the folder {folder} is not writable")
    return folder


def _remove_stale(folder: str, name: str) -> None:
    legacy = re.compile(r"\." + re.escape(name) + r"\.[A-Za-z0-9_]{8}\.tmp\Z")  # mkstemp's names, before
    with suppress(OSError):
        for entry in os.listdir(folder):
            if legacy.match(entry):
                with suppress(OSError):
                    os.remove(os.path.join(folder, entry))


@contextmanager
def atomic_path(path: str) -> Iterator[str]:
    """Yield the temporary path for ``path``; when the body succeeds, it replaces ``path`` in one rename.

    Raises:
        NotADirectoryError / PermissionError / IsADirectoryError: naming ``path``, when it cannot be written.
    """
    folder = _writable_folder(path)
    name = os.path.basename(os.path.abspath(path))
    tmp = temp_name(path)
    with ExitStack() as stack:
        try:
            stack.enter_context(file_lock(os.path.join(folder, f".{name}.lock")))
            _remove_stale(folder, name)
            with suppress(FileNotFoundError):
                os.remove(tmp)  # a crashed save's leftover, perhaps with other permissions
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as with open()
        except OSError as e:
            raise type(e)(e.errno, f"Cannot save to {path}: {e.strerror} (in the folder {folder})") from None
        try:
            with suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))  # an existing target keeps its permissions
        finally:
            os.close(fd)
        try:
            yield tmp
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with suppress(OSError):
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
