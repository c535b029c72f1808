"""keras.ops functions defined from others (numpy_derived, nn_piecewise): NumPy's semantics where the shared cases
cannot compare with Keras' TensorFlow backend, NaN handling, and errors that name the op."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from tensorlet.keras import ops

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


@pytest.mark.parametrize("k", [0, 1, 2, 3, -2, 6])
def test_rot90_matches_numpy_for_every_quarter_turn(k):
    # NumPy's rule (Keras 3's documented one); Keras 3.15's TensorFlow backend differs at k=2
    np.testing.assert_array_equal(ops.rot90(X, k=k).numpy(), np.rot90(X, k=k))
    np.testing.assert_array_equal(ops.rot90(X, k=k, axes=(1, 2)).numpy(), np.rot90(X, k=k, axes=(1, 2)))


def test_array_split_sizes_follow_numpy_and_accept_indices():
    for n in (1, 2, 3, 5):
        ours = [p.numpy() for p in ops.array_split(np.arange(7.0), n)]
        theirs = np.array_split(np.arange(7.0), n)
        assert [len(p) for p in ours] == [len(p) for p in theirs]
    assert [p.shape for p in ops.array_split(np.zeros((5, 2)), [1, 4])] == [(1, 2), (3, 2), (1, 2)]


def test_nan_reductions_ignore_nans_and_give_nan_for_all_nan_slices_without_warnings():
    x = np.array([[np.nan, np.nan], [1.0, np.nan], [2.0, 4.0]], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy warns on all-NaN slices; ops must not
        expected = {name: getattr(np, name)(x, axis=1) for name in ("nanmean", "nanvar", "nanstd", "nanmax")}
    for name, want in expected.items():
        np.testing.assert_allclose(getattr(ops, name)(x, axis=1).numpy(), want, rtol=1e-6, err_msg=name)
    np.testing.assert_allclose(ops.nansum(x).numpy(), 7.0)
    np.testing.assert_allclose(ops.nanprod(x, axis=0).numpy(), [2.0, 4.0])


def test_fmod_takes_the_sign_of_the_dividend_and_mod_of_the_divisor():
    a, b = np.array([-7, 7, -7, 6], np.int32), np.array([3, -3, -3, 3], np.int32)
    np.testing.assert_array_equal(ops.fmod(a, b).numpy(), np.fmod(a, b))
    np.testing.assert_array_equal(ops.mod(a, b).numpy(), np.mod(a, b))


def test_select_and_heaviside_follow_numpy():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0], np.float32)
    conds, choices = [x < -1, x > 1], [x * 10, x * 100]
    np.testing.assert_allclose(ops.select(conds, choices, 7.0).numpy(), np.select(conds, choices, 7.0))
    np.testing.assert_allclose(ops.heaviside(x, 0.5).numpy(), np.heaviside(x, 0.5))


def test_kron_and_cross_follow_numpy():
    a, b = np.arange(6.0).reshape(2, 3), np.array([[1.0, -1.0], [0.5, 2.0]])
    np.testing.assert_allclose(ops.kron(a, b).numpy(), np.kron(a, b))
    np.testing.assert_allclose(ops.kron(np.arange(3.0), b).numpy(), np.kron(np.arange(3.0), b))
    u, v = np.random.default_rng(0).normal(size=(2, 4, 3))
    np.testing.assert_allclose(ops.cross(u, v).numpy(), np.cross(u, v), rtol=1e-6)
    np.testing.assert_allclose(ops.cross(u[:, :2], v).numpy(), np.cross(u[:, :2], v), rtol=1e-6)


@pytest.mark.parametrize("call, message", [
    (lambda: ops.cross(np.ones((2, 4)), np.ones((2, 3))), "keras.ops.cross: vectors must have 2 or 3"),
    (lambda: ops.rot90(np.ones(3)), "keras.ops.rot90 needs a tensor of rank 2"),
    (lambda: ops.rot90(np.ones((2, 2)), axes=(0, 0)), "keras.ops.rot90: axes must be two different"),
    (lambda: ops.select([np.ones(2) > 0], []), "keras.ops.select: condlist and choicelist must have the same"),
    (lambda: ops.array_split(np.ones(4), 0), "keras.ops.array_split: the number of sections must be positive"),
    (lambda: ops.dsplit(np.ones((2, 2)), 2), "keras.ops.dsplit needs a tensor of rank 3"),
])
def test_bad_arguments_name_the_op(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_derived_ops_are_in_keras_ops_numpy_and_nn():
    assert ops.numpy.nanmean is ops.nanmean and ops.numpy.kron is ops.kron and ops.numpy.add is ops.add
    assert ops.nn.hard_tanh is ops.hard_tanh and ops.nn.threshold is ops.threshold
    assert not hasattr(ops.numpy, "top_k") and not hasattr(ops.numpy, "relu")


def test_search_and_count_follow_numpy():
    bins = np.array([0.0, 1.0, 2.5], np.float32)
    x = np.array([[-1.0, 0.0, 1.2], [2.5, 3.0, 0.99]], np.float32)  # Keras' TF backend takes 1-D values only
    np.testing.assert_array_equal(ops.searchsorted(bins, x).numpy(), np.searchsorted(bins, x))
    np.testing.assert_array_equal(ops.digitize(x, bins).numpy(), np.digitize(x, bins))
    np.testing.assert_array_equal(ops.bincount(np.array([3, 0, 3])).numpy(), [1, 0, 0, 2])
    q = np.random.default_rng(0).normal(size=(4, 6))
    for method in ("linear", "lower", "higher", "midpoint", "nearest"):
        np.testing.assert_allclose(ops.quantile(q, [0.25, 0.5], axis=1, method=method).numpy(),
                                   np.quantile(q, [0.25, 0.5], axis=1, method=method), rtol=1e-6, err_msg=method)


def test_depth_to_space_inverts_space_to_depth():
    x = np.random.default_rng(1).normal(size=(2, 4, 6, 3)).astype(np.float32)
    for fmt, y in (("channels_last", x), ("channels_first", x.transpose(0, 3, 1, 2))):
        back = ops.nn.depth_to_space(ops.nn.space_to_depth(y, 2, data_format=fmt), 2, data_format=fmt)
        np.testing.assert_array_equal(back.numpy(), y)


@pytest.mark.parametrize("call, message", [
    (lambda: ops.bincount(np.array([[1, 2]])), "keras.ops.bincount: x must be a 1-D integer tensor"),
    (lambda: ops.bincount(np.array([1]), sparse=True), "keras.ops.bincount: sparse=True"),
    (lambda: ops.searchsorted(np.ones((2, 2)), np.ones(2)), "keras.ops.searchsorted: sorted_sequence must be 1-D"),
    (lambda: ops.quantile(np.ones(3), 0.5, method="cubic"), "keras.ops.quantile: method must be one of"),
    (lambda: ops.nn.depth_to_space(np.ones((1, 2, 2, 3)), 2), "3 channels do not divide into blocks of 2 x 2"),
    (lambda: ops.nn.space_to_depth(np.ones((1, 3, 2, 1)), 2), "height 3 and width 2 must be multiples of 2"),
])
def test_bad_search_and_rearrange_arguments_name_the_op(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bitwise_ops_refuse_floats_naming_the_op():
    with pytest.raises(ValueError, match="keras.ops.bitwise_and needs integer or bool tensors, got dtype float32"):
        ops.bitwise_and(np.ones(2, np.float32), np.ones(2, np.float32))
    with pytest.raises(ValueError, match="keras.ops.left_shift needs integer tensors, got dtype bool"):
        ops.left_shift(np.array([True]), np.array([True]))
    # bools as in NumPy and Keras' NumPy backend (Keras' TensorFlow backend refuses them)
    np.testing.assert_array_equal(ops.bitwise_invert(np.array([True, False])).numpy(), [False, True])
    np.testing.assert_array_equal(ops.bitwise_or(np.array([True, False]), np.array([False, False])).numpy(),
                                  [True, False])
