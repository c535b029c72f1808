"""The count check behind batch_size, epochs and steps: whole positive numbers pass as ints, anything else is an
error naming the argument and the value."""
from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tensorlet.training.argument_checks import class_sample_weights, count


@given(st.integers(1, 10**9))
def test_positive_whole_numbers_pass_in_any_numeric_type(n):
    for value in (n, np.int64(n), float(n), np.float32(n) if n < 2**24 else n):
        assert count(value, "batch_size") == n and type(count(value, "batch_size")) is int


@given(st.one_of(st.integers(max_value=0), st.floats(max_value=0, allow_nan=False).filter(float.is_integer)))
def test_zero_and_negative_counts_are_value_errors(value):
    with pytest.raises(ValueError, match=r"`steps` must be a positive integer.*steps=" + re.escape(repr(value))):
        count(value, "steps")


@given(st.one_of(st.text(), st.booleans(), st.floats().filter(lambda f: not f.is_integer()), st.lists(st.integers())))
def test_other_types_are_type_errors(value):
    with pytest.raises(TypeError, match=r"`epochs` must be a positive integer"):
        count(value, "epochs", allow_none=False)


def test_none_and_minus_one_mean_unset_where_keras_allows_them():
    assert count(None, "steps") is None
    assert count(-1, "steps_per_epoch", allow_minus_one=True) is None
    with pytest.raises(TypeError):
        count(None, "epochs", allow_none=False)


def test_class_weights_leave_unlisted_classes_at_one_and_read_one_hot_targets():
    y = np.array([0, 1, 2, 2])
    np.testing.assert_array_equal(class_sample_weights(y, {2: 4.0}, 3), [1, 1, 4, 4])
    np.testing.assert_array_equal(class_sample_weights(np.eye(3)[y], {0: 0.5}, 3), [0.5, 1, 1, 1])
