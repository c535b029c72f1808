"""One kind of error for a model or weights file that cannot be loaded: a ``ValueError`` naming the file.

Deep inside a loader, a corrupted file surfaces as whatever the failing step raises: ``KeyError`` from a missing
config key, ``RecursionError`` from deeply nested JSON, ``UnicodeDecodeError``, ``AttributeError`` from a config
value of the wrong type (``"build_config": true``), ``OSError`` and ``RuntimeError`` from libhdf5. A user can do
nothing with those; :func:`naming_the_file` turns each into one ``ValueError`` that says which file and what went
wrong, keeping the original as its cause. Errors about the path itself (missing file, permissions), a missing
optional dependency, and running out of memory pass through unchanged.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

_PASS_THROUGH = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError, ImportError,
                 MemoryError)


def _what(e: BaseException) -> str:
    if isinstance(e, RecursionError):
        return "the config is nested too deeply (RecursionError)"
    if isinstance(e, KeyError):
        return f"a required entry is missing (KeyError: {e})"
    if isinstance(e, UnicodeDecodeError):
        return f"text in the file is not valid UTF-8 ({e})"
    return f"{type(e).__name__}: {e}"


@contextmanager
def naming_the_file(path: str, action: str = "load a model from") -> Iterator[None]:
    """Re-raise any error of the body as ``ValueError("<path>: ...")``, unless it already names ``path``."""
    try:
        yield
    except _PASS_THROUGH:
        raise
    except ValueError as e:
        if str(path) in str(e) and type(e) is not UnicodeDecodeError:
            raise
        raise ValueError(f"{path}: could not {action} this file: {_what(e)}") from e
    except Exception as e:  # noqa: BLE001 - every other failure of a loader is a malformed file
        raise ValueError(f"{path}: could not {action} this file: {_what(e)}") from e
