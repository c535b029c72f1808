"""``gemm_accumulate`` (c += alpha a @ b in one BLAS call) gives NumPy's numbers for every operand layout; the
OpenBLAS NumPy uses is found whatever its build names its symbols."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.backend import blas

needs_openblas = pytest.mark.skipif(not blas.available(np.float32), reason="NumPy's OpenBLAS is not found")


@needs_openblas
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("ta,tb", [(False, False), (True, False), (False, True), (True, True)])
@pytest.mark.parametrize("m,k,n", [(5, 3, 4), (64, 784, 256), (1, 7, 1), (30, 1, 9)])
def test_matches_numpy(dtype, ta, tb, m, k, n):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((k, m) if ta else (m, k)).astype(dtype)
    b = rng.standard_normal((n, k) if tb else (k, n)).astype(dtype)
    a, b = (a.T if ta else a), (b.T if tb else b)
    c = rng.standard_normal((m, n)).astype(dtype)
    expected = c + (-0.5) * (a @ b)
    assert blas.gemm_accumulate(c, a, b, alpha=-0.5)
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(c, expected, rtol=tol, atol=tol * k)


@needs_openblas
def test_refuses_what_it_cannot_serve():
    a, b = np.ones((3, 4), "float32"), np.ones((4, 5), "float32")
    assert not blas.gemm_accumulate(np.zeros((3, 5), "float64"), a, b)  # mixed dtypes
    assert not blas.gemm_accumulate(np.zeros((5, 3), "float32").T, a, b)  # c not C-contiguous
    assert not blas.gemm_accumulate(np.zeros((3, 5), "float32"), np.ones((3, 8), "float32")[:, ::2], b)  # strided
    assert not blas.gemm_accumulate(np.zeros((3, 6), "float32"), a, b)  # shapes
    assert not blas.gemm_accumulate(np.zeros((3, 5), "int32"), a.astype("int32"), b.astype("int32"))


# -- finding NumPy's OpenBLAS whatever its build names its symbols ---------------------------------------------
class FakeFunction:
    def __init__(self, value=None) -> None:
        self.value = value

    def __call__(self, *args):
        return self.value


class FakeLibrary:
    def __init__(self, **symbols) -> None:
        self.__dict__.update(symbols)


def _openblas_symbols(prefix: str, suffix: str, config: bytes, parallel: int = 1) -> dict:
    return {f"{prefix}openblas_get_config{suffix}": FakeFunction(config),
            f"{prefix}openblas_get_num_threads{suffix}": FakeFunction(2),
            f"{prefix}openblas_set_num_threads{suffix}": FakeFunction(),
            f"{prefix}openblas_get_parallel{suffix}": FakeFunction(parallel),
            f"{prefix}cblas_sgemm{suffix}": FakeFunction(), f"{prefix}cblas_dgemm{suffix}": FakeFunction()}


@pytest.mark.parametrize("prefix,suffix,config,wide", [
    ("scipy_", "64_", b"OpenBLAS 0.3.31 USE64BITINT DYNAMIC_ARCH", True),  # NumPy 2 wheels
    ("", "64_", b"OpenBLAS 0.3.23 USE64BITINT", True),  # NumPy 1.22-1.26 wheels
    ("scipy_", "", b"OpenBLAS 0.3.31 DYNAMIC_ARCH", False),  # scipy-openblas32
    ("", "", b"OpenBLAS 0.3.21 DYNAMIC_ARCH", False),  # a distribution's libopenblas.so.0
    ("", "", b"OpenBLAS 0.3.21 USE64BITINT", True),  # an ILP64 build without a suffix
])
def test_find_reads_every_naming_and_integer_width(prefix, suffix, config, wide):
    import ctypes

    lib = blas._find(lambda path: FakeLibrary(**_openblas_symbols(prefix, suffix, config)))
    assert lib is not None and lib.threaded and lib.get_num_threads() == 2
    integer = ctypes.c_int64 if wide else ctypes.c_int
    assert lib.gemm[np.dtype("float32")].argtypes[3] is integer
    assert set(lib.gemm) == {np.dtype("float32"), np.dtype("float64")}


def test_find_ignores_a_blas_that_is_not_openblas():
    mkl_like = FakeLibrary(cblas_sgemm=FakeFunction(), cblas_dgemm=FakeFunction(), MKL_Set_Num_Threads=FakeFunction())
    assert blas._find(lambda path: mkl_like) is None


def test_a_sequential_openblas_has_no_thread_control():
    lib = blas._find(lambda path: FakeLibrary(**_openblas_symbols("", "", b"OpenBLAS", parallel=0)))
    assert lib is not None and not lib.threaded


def test_find_skips_files_that_do_not_load():
    def opener(path):
        raise OSError(path)

    assert blas._find(opener) is None


@needs_openblas
def test_numpys_own_blas_is_found_through_its_extension_module():
    lib = blas.library()
    assert lib is not None and "_multiarray_umath" in lib.where and "OpenBLAS" in lib.config
