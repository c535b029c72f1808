"""The array seam: the only package that names numpy (or cupy) as the array library.

Ops reach the array module through ``backend.xp()`` or ``Function.xp``; switching backends is
``use_backend("numpy")`` (a context manager as well as a call). A CuPy backend would subclass
``ArrayBackend`` and override what differs.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from tensorlet.backend.base import ArrayBackend
from tensorlet.backend.numpy_backend import NumpyBackend

Array = Any  # one alias for backend arrays

_BACKENDS: dict[str, type[ArrayBackend]] = {"numpy": NumpyBackend}
_current: ArrayBackend = NumpyBackend()


def current() -> ArrayBackend:
    """The active backend object."""
    return _current


def xp() -> Any:
    """The active array module (numpy today)."""
    return _current.xp


class _BackendSwitch:
    def __init__(self, previous: ArrayBackend) -> None:
        self.previous = previous

    def __enter__(self) -> ArrayBackend:
        return _current

    def __exit__(self, *exc: object) -> None:
        global _current
        _current = self.previous


def use_backend(name: str) -> _BackendSwitch:
    """Select the array backend by name; usable as a plain call or a ``with`` block."""
    global _current
    if name not in _BACKENDS:
        if name == "cupy":
            from tensorlet.backend.cupy_backend import CupyBackend

            _BACKENDS["cupy"] = CupyBackend
        else:
            raise ValueError(f"Unknown backend {name!r}; available: {sorted(_BACKENDS) + ['cupy']}")
    previous = _current
    _current = _BACKENDS[name]()
    return _BackendSwitch(previous)


@contextmanager
def _noop() -> Iterator[None]:
    yield


__all__ = ["Array", "ArrayBackend", "current", "xp", "use_backend"]
