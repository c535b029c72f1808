"""tf.debugging: eager asserts with TensorFlow's error types and messages."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.errors import InvalidArgumentError


def test_assert_equal_passes_returns_none_and_broadcasts():
    assert tf.debugging.assert_equal(tf.constant([1, 1]), 1) is None
    assert tf.assert_equal(tf.constant([[1.0, 2.0]]), np.array([1.0, 2.0])) is None


def test_assert_equal_failure_names_the_condition_and_the_first_difference():
    with pytest.raises(InvalidArgumentError) as e:
        tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]), message="msg")
    text = str(e.value)
    assert text.startswith("msg\nCondition x == y did not hold.")
    assert "Indices of first 1 different values:\n[[1]]" in text and "Corresponding y values:\n[3]" in text


def test_assert_equal_on_incompatible_shapes_raises_invalid_argument():
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\]"):
        tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 2, 3]))


@pytest.mark.parametrize("fn, ok, bad, symbol", [
    (tf.debugging.assert_less, 3.0, 2.0, "<"), (tf.debugging.assert_less_equal, 2.0, 1.0, "<="),
    (tf.debugging.assert_greater, 0.0, 1.0, ">"), (tf.debugging.assert_greater_equal, 1.0, 2.0, ">="),
    (tf.debugging.assert_none_equal, 5.0, 2.0, "!=")])
def test_comparison_asserts_hold_or_name_the_condition(fn, ok, bad, symbol):
    x = tf.constant([1.0, 2.0])
    assert fn(x, ok) is None
    with pytest.raises(InvalidArgumentError, match=f"Condition x {symbol} y did not hold"):
        fn(x, bad)


@pytest.mark.parametrize("fn, good, bad, condition", [
    (tf.debugging.assert_positive, [1.0, 2.0], [1.0, 0.0], "> 0"),
    (tf.debugging.assert_negative, [-1.0], [-1.0, 0.0], "< 0"),
    (tf.debugging.assert_non_negative, [0.0, 1.0], [-1.0], ">= 0"),
    (tf.debugging.assert_non_positive, [0.0], [2.0], "<= 0")])
def test_sign_asserts_hold_or_name_the_condition(fn, good, bad, condition):
    assert fn(tf.constant(good)) is None
    with pytest.raises(InvalidArgumentError, match=f"Condition x {condition} did not hold element-wise"):
        fn(tf.constant(bad))


def test_assert_near_uses_ten_epsilons_by_default():
    x = tf.constant([1.0])
    tf.debugging.assert_near(x, x + 1e-6)
    with pytest.raises(InvalidArgumentError, match="x and y not equal to tolerance"):
        tf.debugging.assert_near(x, tf.constant([1.1]))
    tf.debugging.assert_near(x, tf.constant([1.1]), atol=0.2)


def test_rank_and_scalar_asserts_raise_value_error():
    v = tf.constant([1, 2])
    tf.debugging.assert_rank(v, 1)
    with pytest.raises(ValueError, match=r"must have rank 2. Received rank 1, shape \(2,\)"):
        tf.assert_rank(v, 2)
    with pytest.raises(ValueError, match="must have rank at least 2"):
        tf.debugging.assert_rank_at_least(v, 2)
    with pytest.raises(ValueError, match=r"must have rank in \(0, 2\)"):
        tf.debugging.assert_rank_in(v, [0, 2])
    with pytest.raises(ValueError, match=r"Expected scalar shape, saw shape: \(2,\)"):
        tf.debugging.assert_scalar(v)


def test_type_asserts_raise_type_error():
    tf.debugging.assert_type(tf.constant([1.0]), tf.float32)
    with pytest.raises(TypeError, match="tensor must be of type tf.int32; got tf.float32"):
        tf.debugging.assert_type(tf.constant([1.0]), tf.int32)
    with pytest.raises(TypeError, match='Expected "x" to be integer type'):
        tf.debugging.assert_integer(tf.constant([1.0]))
    assert tf.debugging.assert_same_float_dtype([tf.constant(1.0)]) == tf.float32


def test_assert_shapes_checks_symbols_sizes_and_outer_dims():
    x, y, p = tf.zeros((10, 3)), tf.ones((10, 7)), tf.Variable([1.0, 2.0, 3.0])
    tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N", "D")), (p, ("Q",)), (1.0, ())])
    tf.debugging.assert_shapes([(x, (..., 3)), (y, ("*", "D")), (x, (None, "."))])
    with pytest.raises(ValueError, match="dimension 0 must have size 2. Received size 3"):
        tf.debugging.assert_shapes([(tf.zeros((2, 3)), ("N", "Q")), (tf.zeros((3,)), ("N",))])
    with pytest.raises(ValueError, match="must have size 4"):
        tf.debugging.assert_shapes([(x, ("N", 4))])
    with pytest.raises(ValueError, match="must have rank 1"):
        tf.debugging.assert_shapes([(x, ("N",))])


def test_check_numerics_returns_the_tensor_or_names_nan_and_inf():
    x = tf.constant([1.0, 2.0])
    assert tf.debugging.check_numerics(x, "ok") is x
    with pytest.raises(InvalidArgumentError, match="bad : Tensor had NaN values"):
        tf.debugging.check_numerics(tf.constant([1.0, np.nan]), "bad")
    with pytest.raises(InvalidArgumentError, match="fin : Tensor had Inf values"):
        tf.debugging.assert_all_finite(tf.constant([np.inf]), "fin")


def test_check_numerics_lets_gradients_flow():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.debugging.check_numerics(x * x, "y"))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0])


@given(st.lists(st.floats(-1e6, 1e6, width=32), min_size=1, max_size=6))
def test_assert_equal_holds_for_any_array_against_itself(values):
    x = tf.constant(values)
    tf.debugging.assert_equal(x, x)
    tf.debugging.assert_near(x, x)


def test_assert_and_log_device_placement():
    tf.Assert(tf.constant(True), ["fine"])
    with pytest.raises(InvalidArgumentError, match="Summarized data: 3"):
        tf.Assert(tf.constant([True, False]), [tf.constant(3)])
    tf.debugging.set_log_device_placement(True)
    assert tf.debugging.get_log_device_placement() is True
    tf.debugging.set_log_device_placement(False)
    assert tf.debugging.is_numeric_tensor(tf.constant(1.0)) and not tf.debugging.is_numeric_tensor(1.0)
    with pytest.raises(RuntimeError, match="enable_dump_debug_info is not provided by tensorlet"):
        tf.debugging.experimental.enable_dump_debug_info("/tmp/x")
