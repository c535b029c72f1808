"""``gemm_accumulate`` (c += alpha a @ b in one BLAS call) gives NumPy's numbers for every operand layout."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.backend import blas

pytestmark = pytest.mark.skipif(not blas.available(np.float32), reason="NumPy's bundled OpenBLAS is not found")


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


def test_refuses_what_it_cannot_serve():
    a, b = np.ones((3, 4), "float32"), np.ones((4, 5), "float32")
    assert not blas.gemm_accumulate(np.zeros((3, 5), "float64"), a, b)  # mixed dtypes
    assert not blas.gemm_accumulate(np.zeros((5, 3), "float32").T, a, b)  # c not C-contiguous
    assert not blas.gemm_accumulate(np.zeros((3, 5), "float32"), np.ones((3, 8), "float32")[:, ::2], b)  # strided
    assert not blas.gemm_accumulate(np.zeros((3, 6), "float32"), a, b)  # shapes
    assert not blas.gemm_accumulate(np.zeros((3, 5), "int32"), a.astype("int32"), b.astype("int32"))
