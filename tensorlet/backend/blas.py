"""The OpenBLAS that NumPy itself loaded, through ctypes: ``c += a @ b`` in one GEMM, and its thread count.

NumPy has no GEMM with beta, so adding a weight gradient to the weights costs a GEMM into a new array plus a
pass over the weights and the gradient. For plain SGD in ``fit`` that pass is a tenth of the epoch; one GEMM
that accumulates into the weights (:func:`gemm_accumulate`) removes it. :func:`thread_control` reads and sets
the number of threads OpenBLAS runs a GEMM on (see ``backend/threads.py`` for why tensorlet changes it).

Both must reach the very library NumPy's own products run in. A second OpenBLAS in the process (SciPy bundles
one, conda environments may hold a system one) has a pool of worker threads of its own; its threads and NumPy's
would then wait for one another on the same cores, and setting its thread count would not change NumPy's. So
symbols are looked up through the handle of NumPy's ``_multiarray_umath`` extension: ``dlsym`` on a handle
searches that object and the libraries it was linked against, and finds the BLAS NumPy calls whatever its file
is named (a wheel's ``numpy.libs``, a distribution's ``libopenblas.so.0``). Where that search is impossible
(Windows), the OpenBLAS files bundled in NumPy's own folders are tried.

OpenBLAS builds name their symbols differently: NumPy 2 wheels ``scipy_cblas_sgemm64_`` (prefix ``scipy_``,
suffix ``64_``), NumPy 1.22-1.26 wheels ``cblas_sgemm64_``, older wheels and distributions ``cblas_sgemm``. The
integers of the interface are 64-bit where the suffix says so or the build's configuration string holds
``USE64BITINT``, else 32-bit. Where NumPy uses another BLAS (MKL, Accelerate, BLIS) nothing is found:
:func:`gemm_accumulate` returns False (callers use NumPy) and :func:`thread_control` returns None.
"""
from __future__ import annotations

import ctypes
import functools
import glob
import os
from typing import Any, Callable

import numpy as np

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_GEMM = {np.dtype(np.float32): "cblas_sgemm", np.dtype(np.float64): "cblas_dgemm"}
_SCALAR = {np.dtype(np.float32): ctypes.c_float, np.dtype(np.float64): ctypes.c_double}
_NAMINGS = (("scipy_", "64_"), ("", "64_"), ("scipy_", ""), ("", ""))  # (prefix, suffix), newest builds first
PARALLEL_KINDS = {0: "sequential", 1: "pthreads", 2: "openmp"}


class _DlInfo(ctypes.Structure):
    _fields_ = [("fname", ctypes.c_char_p), ("fbase", ctypes.c_void_p), ("sname", ctypes.c_char_p),
                ("saddr", ctypes.c_void_p)]


def _file_of(function: Any) -> str | None:
    """The file a loaded function comes from (``dladdr``), or None where that cannot be asked."""
    try:
        info = _DlInfo()
        if ctypes.CDLL(None).dladdr(ctypes.cast(function, ctypes.c_void_p), ctypes.byref(info)) and info.fname:
            return os.path.realpath(info.fname.decode())
    except (OSError, AttributeError, TypeError, ctypes.ArgumentError):
        pass
    return None


class OpenBLAS:
    """The functions of one OpenBLAS library, with the argument types its build takes."""

    def __init__(self, lib: Any, prefix: str, suffix: str, where: str) -> None:
        self.where = where  # what was opened: NumPy's extension module, or a bundled file
        self.config = ""
        config = getattr(lib, f"{prefix}openblas_get_config{suffix}", None)
        if config is not None:
            config.restype, config.argtypes = ctypes.c_char_p, []
            self.config = (config() or b"").decode("ascii", "replace")
        self.path = _file_of(config)  # the library file itself
        wide = suffix == "64_" or "USE64BITINT" in self.config
        integer = ctypes.c_int64 if wide else ctypes.c_int
        self._get = getattr(lib, f"{prefix}openblas_get_num_threads{suffix}", None)
        self._set = getattr(lib, f"{prefix}openblas_set_num_threads{suffix}", None)
        parallel = getattr(lib, f"{prefix}openblas_get_parallel{suffix}", None)
        for fn, args, res in ((self._get, [], ctypes.c_int), (self._set, [ctypes.c_int], None),
                              (parallel, [], ctypes.c_int)):
            if fn is not None:
                fn.argtypes, fn.restype = args, res
        self.parallel = int(parallel()) if parallel is not None else 1
        self.gemm: dict[Any, Any] = {}
        for dtype, name in _GEMM.items():
            fn = getattr(lib, f"{prefix}{name}{suffix}", None)
            if fn is None:
                continue
            scalar, ptr = _SCALAR[dtype], ctypes.c_void_p
            fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, integer, integer, integer, scalar, ptr, integer,
                           ptr, integer, scalar, ptr, integer]
            fn.restype = None
            self.gemm[dtype] = fn

    @property
    def threaded(self) -> bool:
        """Whether the build runs GEMMs on several threads and lets the count be read and set."""
        return self._get is not None and self._set is not None and self.parallel in (1, 2)

    def get_num_threads(self) -> int:
        return int(self._get()) if self._get is not None else 1

    def set_num_threads(self, n: int) -> None:
        if self._set is not None:
            self._set(int(n))


def _numpy_extension() -> str | None:
    for name in ("numpy._core._multiarray_umath", "numpy.core._multiarray_umath"):
        try:
            module = __import__(name, fromlist=["_"])
        except ImportError:
            continue
        return getattr(module, "__file__", None)
    return None


def _bundled_files() -> list[str]:
    here = os.path.dirname(np.__file__)
    patterns = ("*openblas*.so*", "*openblas*.dylib", "*openblas*.dll")
    return [p for folder in (here + ".libs", os.path.join(here, ".dylibs")) for pat in patterns
            for p in sorted(glob.glob(os.path.join(folder, pat)))]


def _find(opener: Callable[[str], Any] = ctypes.CDLL) -> OpenBLAS | None:
    """The OpenBLAS NumPy calls, or None; ``opener`` loads a library (a parameter for the tests)."""
    places = [p for p in [_numpy_extension()] if p] + _bundled_files()
    for place in places:
        try:
            lib = opener(place)
        except OSError:
            continue
        for prefix, suffix in _NAMINGS:
            if getattr(lib, f"{prefix}openblas_get_config{suffix}", None) is not None:  # OpenBLAS, not another BLAS
                return OpenBLAS(lib, prefix, suffix, place)
    return None


@functools.lru_cache(maxsize=1)
def library() -> OpenBLAS | None:
    """NumPy's OpenBLAS, found once per process."""
    return _find()


def thread_control() -> OpenBLAS | None:
    """The library whose GEMM thread count can be read and set, or None (another BLAS, or a sequential build)."""
    lib = library()
    return lib if lib is not None and lib.threaded else None


def available(dtype: Any) -> bool:
    if os.environ.get("TENSORLET_BLAS_ACCUMULATE", "1") == "0":
        return False
    lib = library()
    return lib is not None and np.dtype(dtype) in lib.gemm


def _operand(m: np.ndarray) -> tuple[int, int] | None:
    """(transpose flag, leading dimension) of a 2-D operand that is C-contiguous or the transpose of one."""
    if m.flags.c_contiguous:
        return _NO_TRANS, m.shape[1]
    if m.flags.f_contiguous:
        return _TRANS, m.shape[0]
    return None


def gemm_accumulate(c: np.ndarray, a: np.ndarray, b: np.ndarray, alpha: float = 1.0) -> bool:
    """``c += alpha * a @ b`` in place with one GEMM; False (nothing done) when this BLAS path cannot serve.

    ``c`` must be C-contiguous and 2-D; ``a`` and ``b`` 2-D, each C-contiguous or the transpose of a
    C-contiguous array (``x.T``); all three of one float dtype.
    """
    dtype = c.dtype
    if not available(dtype) or a.dtype != dtype or b.dtype != dtype or c.ndim != 2 or a.ndim != 2 or b.ndim != 2:
        return False
    m, k = a.shape
    if b.shape[0] != k or c.shape != (m, b.shape[1]) or not c.flags.c_contiguous or not c.flags.writeable:
        return False
    ta, tb = _operand(a), _operand(b)
    if ta is None or tb is None or 0 in c.shape or k == 0:
        return False
    n = c.shape[1]
    lib = library()
    assert lib is not None
    lib.gemm[dtype](_ROW_MAJOR, ta[0], tb[0], m, n, k, alpha, a.ctypes.data, max(ta[1], 1), b.ctypes.data,
                    max(tb[1], 1), 1.0, c.ctypes.data, max(n, 1))
    return True
