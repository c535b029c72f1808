"""``c += a @ b`` as one BLAS call (GEMM with beta = 1), through the BLAS library NumPy itself loaded.

NumPy has no GEMM with beta, so adding a weight gradient to the weights costs a GEMM into a new array plus a
pass over the weights and the gradient. For plain SGD in ``fit`` that pass is a tenth of the epoch; one GEMM
that accumulates into the weights removes it.

The function is looked up with ctypes in NumPy's bundled OpenBLAS (the ``scipy-openblas`` build, whose CBLAS
symbols carry a ``64_`` suffix and take 64-bit integers). Where NumPy was built otherwise (MKL, Accelerate, a
system BLAS) no such symbol exists, :func:`gemm_accumulate` returns False, and callers use NumPy.
"""
from __future__ import annotations

import ctypes
import glob
import os
from typing import Any

import numpy as np

_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_SYMBOLS = {np.dtype(np.float32): ("scipy_cblas_sgemm64_", "cblas_sgemm64_"),
            np.dtype(np.float64): ("scipy_cblas_dgemm64_", "cblas_dgemm64_")}
_SCALAR = {np.dtype(np.float32): ctypes.c_float, np.dtype(np.float64): ctypes.c_double}
_functions: dict[Any, Any] | None = None


def _candidates() -> list[str]:
    here = os.path.dirname(np.__file__)
    pattern = ("*openblas*.so*", "*openblas*.dylib")
    return [p for folder in (here + ".libs", os.path.join(here, ".dylibs")) for pat in pattern
            for p in sorted(glob.glob(os.path.join(folder, pat)))]


def _load() -> dict[Any, Any]:
    found: dict[Any, Any] = {}
    if os.environ.get("TENSORLET_BLAS_ACCUMULATE", "1") == "0":
        return found
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for dtype, names in _SYMBOLS.items():
            for name in names:
                fn = getattr(lib, name, None)
                if fn is None:
                    continue
                i64, scalar, ptr = ctypes.c_int64, _SCALAR[dtype], ctypes.c_void_p
                fn.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, i64, i64, i64, scalar, ptr, i64, ptr, i64,
                               scalar, ptr, i64]
                fn.restype = None
                found[dtype] = fn
                break
        if found:
            break
    return found


def available(dtype: Any) -> bool:
    global _functions
    if _functions is None:
        _functions = _load()
    return np.dtype(dtype) in _functions


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
    assert _functions is not None
    _functions[dtype](_ROW_MAJOR, ta[0], tb[0], m, n, k, alpha, a.ctypes.data, max(ta[1], 1), b.ctypes.data,
                      max(tb[1], 1), 1.0, c.ctypes.data, max(n, 1))
    return True
