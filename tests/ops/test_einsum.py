"""tf.einsum: values against NumPy, implicit outputs and ellipses, and float64 finite-difference gradients."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.ops.einsum import einsum, parse_equation

EQUATIONS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("abc,cde->abde", [(2, 3, 4), (4, 2, 3)]),
    ("abcd,cde->abe", [(2, 3, 2, 3), (2, 3, 4)]),
    ("aecd,abcd->acbe", [(2, 3, 2, 4), (2, 5, 2, 4)]),
    ("ij->j", [(3, 4)]),
    ("ij,ij->i", [(3, 4), (3, 4)]),
    ("ij,k->ijk", [(2, 3), (4,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("...ij,jk->...ik", [(2, 3, 4, 5), (5, 2)]),
    ("bij,bjk", [(2, 3, 4), (2, 4, 5)]),
    ("ij,jk->k", [(2, 3), (3, 4)]),  # i is summed away: its gradient is broadcast back
]


@pytest.mark.parametrize("equation,shapes", EQUATIONS, ids=[e for e, _ in EQUATIONS])
def test_values_match_numpy(equation, shapes):
    rng = np.random.default_rng(0)
    xs = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_allclose(einsum(equation, *xs).numpy(), np.einsum(equation, *xs), rtol=1e-12)


@pytest.mark.parametrize("equation,shapes", EQUATIONS, ids=[e for e, _ in EQUATIONS])
def test_gradients_finite_differences(equation, shapes):
    rng = np.random.default_rng(1)
    gradcheck(lambda *xs: tf.einsum(equation, *xs), [rng.standard_normal(s) for s in shapes], name=equation)


@settings(max_examples=15, deadline=None)
@given(dims=st.lists(st.integers(1, 4), min_size=4, max_size=4))
def test_batched_matmul_equation_equals_matmul(dims):
    b, i, j, k = dims
    rng = np.random.default_rng(sum(dims))
    x, y = rng.standard_normal((b, i, j)), rng.standard_normal((b, j, k))
    np.testing.assert_allclose(einsum("bij,bjk->bik", x, y).numpy(), tf.matmul(x, y).numpy(), rtol=1e-12)


def test_parse_spells_out_ellipses_and_the_implicit_output():
    assert parse_equation("...ij,jk->...ik", [4, 2]) == (["abij", "jk"], "abik")
    assert parse_equation("ij,jk", [2, 2]) == (["ij", "jk"], "ik")


def test_bad_equations_raise():
    with pytest.raises(ValueError, match="2 operand"):
        einsum("ij,jk->ik", np.ones((2, 2)))
    with pytest.raises(ValueError, match="rank 3"):
        einsum("ij->i", np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="repeated subscript"):
        gradcheck(lambda x: tf.einsum("ii->i", x), [np.ones((2, 2))])


def test_matrix_product_equation_with_mismatched_sizes_is_numpys_error():
    with pytest.raises(ValueError):  # the reshaped GEMM path must not accept what einsum rejects
        einsum("ij,jk->ik", np.ones((2, 3)), np.ones((2, 3)))
