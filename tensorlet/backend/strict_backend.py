"""The strict backend: NumPy arithmetic on arrays that refuse to leave the seam.

Its purpose is testing. Ops, layers and optimizers are written against ``backend.xp()`` so that they run
on any array library (NumPy, CuPy). A stray ``np.exp(x)`` or a host ``np.ndarray`` mixed into backend
arrays works silently on NumPy and fails only on a GPU. Under this backend it fails at once, on a laptop:

- Backend arrays are :class:`StrictArray`, an ``ndarray`` subclass that takes part in no NumPy free
  function: ufuncs (``np.exp(x)``) raise ``TypeError`` because ``__array_ufunc__`` is None, and every
  other NumPy function (``np.sum(x)``, ``np.where(...)``) raises :class:`SeamError` from
  ``__array_function__``.
- What CuPy arrays also offer keeps working: operators (``a + b``, ``a @ b``, ``a[i]``), methods
  (``a.sum()``, ``a.reshape()``, ``a.astype()``) and attributes (``a.T``, ``a.shape``).
- Those operators, methods and the ``xp`` namespace refuse a plain ``np.ndarray`` operand (an array made
  on the host and never passed through ``backend.asarray``): CuPy refuses it too. Python and NumPy
  scalars stay welcome, as on CuPy. Only ``xp.asarray`` and ``xp.array`` accept host arrays: they are the
  way in.
- Reductions and scalar indexing give 0-d arrays, not NumPy scalars, as CuPy does.

Inside, each call unwraps the strict arrays to plain views of the same memory, runs NumPy, and wraps
the results again, so numbers (and in-place ``out=`` writes) are exactly NumPy's.
"""
from __future__ import annotations

import types
from typing import Any, Callable

import numpy

from tensorlet.backend.numpy_backend import NumpyBackend

_ENTRY_POINTS = frozenset({"asarray", "array"})  # the functions that may take host arrays


class SeamError(TypeError):
    """An array crossed the backend seam: a NumPy function on a backend array, or a host array in backend maths."""


def _host_array_error(where: str) -> SeamError:
    return SeamError(f"{where}: got a NumPy ndarray made outside the backend (a host array) among backend arrays. "
                     "Convert host data with backend.asarray(...) (or xp.asarray) before computing with it.")


class StrictArray(numpy.ndarray):
    """A backend array of the strict backend: NumPy's data, CuPy's manners (see the module docstring)."""

    __array_ufunc__ = None  # type: ignore[assignment]  # np.exp(x) raises TypeError; NumPy scalars defer to us

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        raise SeamError(f"numpy.{func.__name__} was called on a backend array of the strict backend. Inside an "
                        f"op use self.xp.{func.__name__}(...), elsewhere backend.xp().{func.__name__}(...), so "
                        "that the code runs on every backend.")

    def __repr__(self) -> str:
        return "strict_" + repr(_plain(self))

    def __str__(self) -> str:
        return str(_plain(self))

    def __getitem__(self, key: Any) -> Any:
        return _wrap(_plain(self)[_unwrap(key, "indexing a strict array")])

    def __setitem__(self, key: Any, value: Any) -> None:
        _plain(self)[_unwrap(key, "indexing a strict array")] = _unwrap(value, "assigning into a strict array")

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    def __contains__(self, value: Any) -> bool:
        return _unwrap(value, "'in' on a strict array") in _plain(self)


def _plain(a: StrictArray) -> numpy.ndarray:
    return numpy.ndarray.view(a, numpy.ndarray)


def _unwrap(x: Any, where: str) -> Any:
    """Strict arrays become plain views of the same memory; a host ndarray is refused."""
    if isinstance(x, StrictArray):
        return _plain(x)
    if isinstance(x, numpy.ndarray):
        raise _host_array_error(where)
    if type(x) is tuple or type(x) is list:
        return type(x)(_unwrap(v, where) for v in x)
    if type(x) is dict:
        return {k: _unwrap(v, where) for k, v in x.items()}
    return x


def _accept(x: Any) -> Any:
    """Like _unwrap, for the entry points: host arrays are welcome."""
    if isinstance(x, StrictArray):
        return _plain(x)
    if type(x) is tuple or type(x) is list:
        return type(x)(_accept(v) for v in x)
    return x


def _wrap(x: Any) -> Any:
    """Results become strict arrays; NumPy scalars become 0-d strict arrays, as CuPy returns."""
    if isinstance(x, numpy.ndarray):
        return x if isinstance(x, StrictArray) else numpy.ndarray.view(x, StrictArray)
    if isinstance(x, numpy.generic):
        return numpy.ndarray.view(numpy.asarray(x), StrictArray)
    if type(x) is tuple or type(x) is list:
        return type(x)(_wrap(v) for v in x)
    return x


def _method(name: str) -> Callable[..., Any]:
    def method(self: StrictArray, *args: Any, **kwargs: Any) -> Any:
        where = f"strict_array.{name}()"
        return _wrap(getattr(_plain(self), name)(*_unwrap(args, where), **_unwrap(kwargs, where)))

    method.__name__ = name
    return method


def _operator(name: str) -> Callable[..., Any]:
    def operator(self: StrictArray, *other: Any) -> Any:
        out = getattr(_plain(self), name)(*_unwrap(other, f"the operator {name}"))
        if out is NotImplemented:
            return out
        return self if name.startswith("__i") and name != "__invert__" else _wrap(out)

    operator.__name__ = name
    return operator


_METHODS = [n for n in dir(numpy.ndarray) if not n.startswith("_") and n != "view"
            and callable(getattr(numpy.ndarray, n))]
_OPERATORS = [f"__{p}{op}__" for op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
                                         "and", "or", "xor", "lshift", "rshift") for p in ("", "r", "i")]
_OPERATORS += ["__divmod__", "__rdivmod__", "__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__",
               "__neg__", "__pos__", "__abs__", "__invert__"]
for _name in _METHODS:
    setattr(StrictArray, _name, _method(_name))
for _name in _OPERATORS:
    setattr(StrictArray, _name, _operator(_name))
StrictArray.__hash__ = None  # type: ignore[assignment]


class _StrictUfunc:
    """A NumPy ufunc taking and giving strict arrays, with its methods (reduce, accumulate, at, outer)."""

    def __init__(self, ufunc: numpy.ufunc) -> None:
        self._ufunc = ufunc
        self.__name__ = ufunc.__name__

    def _run(self, fn: Callable[..., Any], args: Any, kwargs: Any) -> Any:
        where = f"xp.{self.__name__}"
        return _wrap(fn(*_unwrap(args, where), **_unwrap(kwargs, where)))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._run(self._ufunc, args, kwargs)

    def reduce(self, *args: Any, **kwargs: Any) -> Any:
        return self._run(self._ufunc.reduce, args, kwargs)

    def accumulate(self, *args: Any, **kwargs: Any) -> Any:
        return self._run(self._ufunc.accumulate, args, kwargs)

    def outer(self, *args: Any, **kwargs: Any) -> Any:
        return self._run(self._ufunc.outer, args, kwargs)

    def at(self, *args: Any, **kwargs: Any) -> None:
        self._run(self._ufunc.at, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ufunc, name)

    def __repr__(self) -> str:
        return f"<strict ufunc {self.__name__!r}>"


def _function(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    if name in _ENTRY_POINTS:
        def entry(*args: Any, **kwargs: Any) -> Any:
            return _wrap(fn(*_accept(args), **kwargs))

        return entry

    def function(*args: Any, **kwargs: Any) -> Any:
        where = f"xp.{name}"
        return _wrap(fn(*_unwrap(args, where), **_unwrap(kwargs, where)))

    function.__name__ = name
    return function


class StrictNamespace:
    """NumPy's namespace (``xp``) with every function taking and giving strict arrays.

    Types (``xp.float32``, ``xp.dtype``, ``xp.finfo``), constants (``xp.pi``, ``xp.newaxis``) and context
    managers (``xp.errstate``) are NumPy's own; ``xp.ndarray`` is :class:`StrictArray`; submodules
    (``xp.linalg``, ``xp.lib.stride_tricks``) are wrapped in turn.
    """

    def __init__(self, module: types.ModuleType) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        obj = getattr(self._module, name)
        if name == "ndarray":
            wrapped: Any = StrictArray
        elif isinstance(obj, numpy.ufunc):
            wrapped = _StrictUfunc(obj)
        elif isinstance(obj, types.ModuleType):
            wrapped = StrictNamespace(obj)
        elif isinstance(obj, type) or not callable(obj):
            wrapped = obj
        else:
            wrapped = _function(obj, name)
        setattr(self, name, wrapped)  # looked up once per name
        return wrapped

    def __repr__(self) -> str:
        return f"<strict namespace over {self._module.__name__}>"


class StrictBackend(NumpyBackend):
    """NumPy's numbers, CuPy's strictness: ``use_backend("strict")`` in tests proves the seam."""

    name = "strict"
    xp = StrictNamespace(numpy)
    numpy_arrays = False  # its arrays are a subclass; plain NumPy arrays must come in through asarray

    def to_numpy(self, array: Any) -> Any:
        return _plain(array) if isinstance(array, StrictArray) else array

    def is_array(self, x: Any) -> bool:
        return isinstance(x, StrictArray)

    def as_strided(self, x: Any, shape: tuple[int, ...], strides: tuple[int, ...]) -> Any:
        return _wrap(super().as_strided(_unwrap(x, "as_strided"), shape, strides))

    def gemm_accumulate(self, c: Any, a: Any, b: Any, alpha: float = 1.0) -> bool:
        c, a, b = _unwrap((c, a, b), "gemm_accumulate")
        return super().gemm_accumulate(c, a, b, alpha)
