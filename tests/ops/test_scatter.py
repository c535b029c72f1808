"""gather_nd, scatter_nd, tensor_scatter_nd_*, sliced variable assignment and Variable.scatter_* (issue 25
item 9): values as TensorFlow computes them, float64 finite-difference gradients, and errors."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.errors import InvalidArgumentError

SETTINGS = settings(max_examples=15, deadline=None)


@st.composite
def nd_problem(draw):
    """A tensor shape, (..., K) indices without repeats into it, and the matching updates shape."""
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=1, max_size=3)))
    k = draw(st.integers(1, len(shape)))
    cells = [tuple(c) for c in np.ndindex(*shape[:k])]
    picked = draw(st.lists(st.sampled_from(cells), min_size=1, max_size=len(cells), unique=True))
    indices = np.array(picked, dtype=np.int64)
    return shape, indices, (len(picked),) + shape[k:]


def _rand(shape, seed):
    return np.random.default_rng(seed).uniform(-1.0, 1.0, shape)


@SETTINGS
@given(problem=nd_problem())
def test_gather_nd_reads_the_indexed_slices_and_its_gradient_scatters_back(problem):
    shape, indices, _ = problem
    params = _rand(shape, 0)
    np.testing.assert_array_equal(tf.gather_nd(params, indices).numpy(), params[tuple(indices.T)])
    gradcheck(lambda p: tf.gather_nd(p, indices), [params], name="gather_nd")


@SETTINGS
@given(problem=nd_problem())
def test_scatter_nd_and_tensor_scatter_nd_ops_have_gradients(problem):
    shape, indices, u_shape = problem
    tensor, updates = _rand(shape, 1), _rand(u_shape, 2)
    gradcheck(lambda u: tf.scatter_nd(indices, u, shape), [updates], name="scatter_nd")
    for op in (tf.tensor_scatter_nd_update, tf.tensor_scatter_nd_add, tf.tensor_scatter_nd_sub):
        gradcheck(lambda t, u, op=op: op(t, indices, u), [tensor, updates], name=op.__name__)


def test_values_match_tensorflow_including_repeated_indices():
    """Values printed by TensorFlow 2.21 for the same calls."""
    np.testing.assert_array_equal(tf.tensor_scatter_nd_update(tf.zeros((2, 3)), [[0, 1], [1, 2]], [1., 2.]).numpy(),
                                  [[0, 1, 0], [0, 0, 2]])
    np.testing.assert_array_equal(tf.tensor_scatter_nd_update(tf.zeros((2, 3)), [[1]], [[1., 2., 3.]]).numpy(),
                                  [[0, 0, 0], [1, 2, 3]])
    np.testing.assert_array_equal(tf.tensor_scatter_nd_add(tf.ones((4,)), [[1], [1]], [1., 2.]).numpy(), [1, 4, 1, 1])
    np.testing.assert_array_equal(tf.tensor_scatter_nd_update(tf.zeros((4,)), [[1], [1]], [1., 2.]).numpy(),
                                  [0, 2, 0, 0])
    np.testing.assert_array_equal(tf.scatter_nd([[1], [1], [3]], [1., 2., 3.], [4]).numpy(), [0, 3, 0, 3])
    assert tf.scatter_nd(tf.constant([[0], [2]]), tf.constant([1, 2]), tf.constant([4])).dtype == tf.int32
    np.testing.assert_array_equal(tf.gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]]).numpy(), [2, 3])
    np.testing.assert_array_equal(tf.gather_nd([[1, 2], [3, 4]], [[1]]).numpy(), [[3, 4]])
    cube = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
    np.testing.assert_array_equal(tf.gather_nd(cube, [[1], [0]], batch_dims=1).numpy(), [[3, 4], [5, 6]])


def test_repeated_indices_gradients_accumulate():
    x = np.array([1.0, 2.0, 3.0])
    gradcheck(lambda p: tf.gather_nd(p, [[0], [0], [2]]), [x], name="gather_nd repeated")
    gradcheck(lambda u: tf.scatter_nd([[1], [1]], u, [3]), [np.array([0.5, 0.25])], name="scatter_nd repeated")


def test_bad_indices_and_updates_raise_errors_that_say_what_was_expected():
    with pytest.raises(InvalidArgumentError, match=r"indices\[0\] = \[5\] does not index into shape \[4\]"):
        tf.tensor_scatter_nd_update(tf.zeros((4,)), [[5]], [1.0])
    with pytest.raises(InvalidArgumentError, match=r"does not index into shape"):
        tf.gather_nd(tf.zeros((4,)), [[-1]])
    with pytest.raises(InvalidArgumentError, match=r"updates must have shape \[2\].*got \[3\]"):
        tf.scatter_nd([[0], [1]], [1.0, 2.0, 3.0], [4])
    with pytest.raises(TypeError, match="indices must be integers"):
        tf.gather_nd([1.0, 2.0], [[0.5]])
    with pytest.raises(TypeError, match="updates of dtype float64 do not match"):
        tf.tensor_scatter_nd_add(tf.zeros((2,)), [[0]], tf.constant([1.0], dtype=tf.float64))


def test_sliced_variable_assignment():
    v = tf.Variable(np.zeros((2, 3), np.float32))
    assert v[0, 0].assign(3.0) is v
    v[:, 1].assign([1.0, 2.0])
    v[1, 2].assign_add(5.0)
    v[1, 2].assign_sub(1.0)
    v[1, ::2].assign_add(tf.constant([1.0, 1.0]))
    v[..., 0].assign_sub(0.5)
    np.testing.assert_array_equal(v.numpy(), [[2.5, 1, 0], [0.5, 2, 5]])
    v[0].assign(7.0)  # a scalar broadcasts to the slice, as in TensorFlow
    np.testing.assert_array_equal(v.numpy()[0], [7, 7, 7])
    with pytest.raises(InvalidArgumentError, match=r"Cannot assign a value of shape \[2\] to the slice of shape \[\]"):
        v[0, 0].assign([1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match="Index out of range"):
        v[5, 0].assign(1.0)
    assert not hasattr(tf.constant([1.0]), "assign") and not hasattr(tf.constant([1.0])[0], "assign")


def test_slices_of_variables_keep_their_gradient():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v[:, 1] * 3.0)
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [[0, 3], [0, 3]])


def test_variable_scatter_methods_update_in_place():
    w = tf.Variable([1.0, 2.0, 3.0, 4.0])
    array = w._value
    np.testing.assert_array_equal(w.scatter_nd_update([[1], [3]], [10.0, 30.0]).numpy(), [1, 10, 3, 30])
    np.testing.assert_array_equal(w.scatter_nd_add([[1], [1]], [1.0, 1.0]).numpy(), [1, 12, 3, 30])
    np.testing.assert_array_equal(w.scatter_nd_sub([[1]], [2.0]).numpy(), [1, 10, 3, 30])
    np.testing.assert_array_equal(w.scatter_update(tf.IndexedSlices([5.0, 6.0], [0, 2])).numpy(), [5, 10, 6, 30])
    np.testing.assert_array_equal(w.scatter_add(tf.IndexedSlices([1.0], [0])).numpy(), [6, 10, 6, 30])
    np.testing.assert_array_equal(w.scatter_max(tf.IndexedSlices([20.0, 1.0], [1, 2])).numpy(), [6, 20, 6, 30])
    assert w._value is array  # in place: traced plans bound to the array see the update
    m = tf.Variable(np.zeros((2, 2), np.float32))
    m.scatter_update(tf.IndexedSlices([[1.0, 2.0]], [1]))
    np.testing.assert_array_equal(m.numpy(), [[0, 0], [1, 2]])
    with pytest.raises(TypeError, match="takes a tf.IndexedSlices"):
        m.scatter_update([1.0, 2.0])


@pytest.mark.parity
def test_parity_tensorflow_values_and_gradients():
    real = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(3)
    tensor, updates = rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    indices = np.array([[2], [0]])
    for name in ("tensor_scatter_nd_update", "tensor_scatter_nd_add", "tensor_scatter_nd_sub"):
        a, b = real.Variable(tensor), real.Variable(updates)
        with real.GradientTape() as tape:
            y = getattr(real, name)(a, indices, b) * np.arange(12.0).reshape(3, 4)
        theirs = [g.numpy() for g in tape.gradient(y, [a, b])]
        va, vb = tf.Variable(tensor), tf.Variable(updates)
        with tf.GradientTape() as tape:
            z = getattr(tf, name)(va, indices, vb) * np.arange(12.0).reshape(3, 4)
        np.testing.assert_allclose(z.numpy(), y.numpy())
        for g, t in zip(tape.gradient(z, [va, vb]), theirs):
            np.testing.assert_allclose(g.numpy(), t)


def test_docstring_examples_pass():
    import doctest

    from tensorlet.ops import scatter

    result = doctest.testmod(scatter, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 3
