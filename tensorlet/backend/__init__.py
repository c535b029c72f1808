"""The array seam: the only package that names numpy (or cupy) as the array library.

Ops reach the array module through ``backend.xp()`` or ``Function.xp``; host data enters through
``backend.asarray`` and leaves through ``backend.to_numpy``. Switching backends is ``use_backend("numpy")``
(a context manager as well as a call). Backends: ``"numpy"`` (the default), ``"cupy"`` (a CUDA device,
when CuPy is installed) and ``"strict"`` (NumPy arrays that fail on any NumPy call that bypasses the seam;
for tests).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy
import numpy.typing

from tensorlet.backend.base import ArrayBackend
from tensorlet.backend.numpy_backend import NumpyBackend

Array = numpy.typing.NDArray[Any]
"""A backend array. NumPy's and the strict backend's arrays are ndarrays; CuPy ships no type stubs, so its
arrays are ``Any`` to a type checker and fit this alias as well."""

_BACKENDS: dict[str, type[ArrayBackend]] = {"numpy": NumpyBackend}
_current: ArrayBackend = NumpyBackend()


def _load(name: str) -> type[ArrayBackend]:
    if name == "strict":
        from tensorlet.backend.strict_backend import StrictBackend

        return StrictBackend
    if name == "cupy":
        from tensorlet.backend.cupy_backend import CupyBackend

        return CupyBackend
    raise ValueError(f"Unknown backend {name!r}; available: 'numpy', 'strict', 'cupy'")


def current() -> ArrayBackend:
    """The active backend object."""
    return _current


def xp() -> Any:
    """The active array module: ``numpy``, ``cupy``, or the strict backend's namespace."""
    return _current.xp


def asarray(value: Any, dtype: Any = None) -> Any:
    """Host data (a NumPy array, a list, a scalar) or a backend array, as an array of the active backend."""
    return _current.xp.asarray(value, dtype=dtype)  # the array module's own asarray: one call less per batch


def to_numpy(array: Any) -> Any:
    """A backend array as a NumPy array (a device-to-host copy on CuPy)."""
    return _current.to_numpy(array)


def is_array(x: Any) -> bool:
    """True when ``x`` is an array of the active backend."""
    return _current.is_array(x)


def is_ndarray(x: Any) -> bool:
    """True for an n-d array: a NumPy ndarray (host data) or an array of the active backend."""
    return isinstance(x, numpy.ndarray) or _current.is_array(x)


_watchers: list[Callable[[ArrayBackend], None]] = []


def on_switch(watcher: Callable[[ArrayBackend], None]) -> None:
    """Call ``watcher(backend)`` now and after every backend switch: for the few places that read the array
    module on every op call and keep it as a plain attribute (``Function.xp``) instead of asking here each time."""
    _watchers.append(watcher)
    watcher(_current)


def _switch_to(backend: ArrayBackend) -> None:
    global _current
    _current = backend
    for watcher in _watchers:
        watcher(backend)


class _BackendSwitch:
    def __init__(self, previous: ArrayBackend) -> None:
        self.previous = previous

    def __enter__(self) -> ArrayBackend:
        return _current

    def __exit__(self, *exc: object) -> None:
        _switch_to(self.previous)


def use_backend(name: str) -> _BackendSwitch:
    """Select the array backend by name; usable as a plain call or a ``with`` block."""
    if name not in _BACKENDS:
        _BACKENDS[name] = _load(name)
    previous = _current
    _switch_to(_BACKENDS[name]())
    return _BackendSwitch(previous)


__all__ = ["Array", "ArrayBackend", "asarray", "current", "is_array", "is_ndarray", "on_switch", "to_numpy", "use_backend",
           "xp"]
