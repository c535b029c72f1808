"""Reading a tensor back to Python: float() and int() of single-element tensors."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_float_and_int_of_single_element_tensors_work_as_in_tf2_with_numpy1():
    product = tf.matmul(tf.constant([[3.0, 3.0]]), tf.constant([[2.0], [2.0]]))
    assert float(product) == 12.0 and int(product) == 12
    with pytest.raises(TypeError):
        float(tf.constant([1.0, 2.0]))
