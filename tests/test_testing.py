"""tf.test: GPU queries, TestCase assertions, compute_gradient."""
from __future__ import annotations

import unittest

import numpy as np
import pytest

import tensorlet as tf


def test_gpu_queries_report_no_gpu_on_the_numpy_backend():
    assert tf.test.is_gpu_available() is False and tf.test.is_gpu_available(cuda_only=True) is False
    assert tf.test.gpu_device_name() == ""
    assert isinstance(tf.test.is_built_with_cuda(), bool) and tf.test.is_built_with_xla() is False


def test_tf_test_is_the_testing_module_not_a_test_file():
    assert tf.test.__name__ == "tensorlet.testing"


def test_testcase_assertions_accept_tensors():
    class Case(tf.test.TestCase):
        def runTest(self):  # noqa: N802 - unittest's name
            x = tf.constant([1.0, 2.0])
            self.assertAllClose(x, [1.0, 2.0])
            self.assertAllClose({"a": x}, {"a": np.array([1.0, 2.0])})
            self.assertAllEqual(self.evaluate(x), [1.0, 2.0])
            self.assertAllGreater(x, 0.5)
            self.assertAllInRange(x, 1.0, 2.0)
            self.assertShapeEqual(np.zeros(2), x)
            self.assertDTypeEqual(x, tf.float32)
            self.assertNear(1.0, 1.05, 0.1)
            with self.assertRaises(AssertionError):
                self.assertAllEqual(x, [1.0, 3.0])
            with self.assertRaisesOpError("Condition x == y"):
                tf.debugging.assert_equal(x, 0.0)

    result = unittest.TestResult()
    Case().run(result)
    assert result.wasSuccessful(), result.failures + result.errors


def test_testcase_session_fails_naming_graph_mode():
    with pytest.raises(RuntimeError, match="tf.test.TestCase.session is not provided by tensorlet"):
        tf.test.TestCase().session()


def test_compute_gradient_matches_numerical_jacobian():
    theoretical, numerical = tf.test.compute_gradient(lambda x, y: x * x * y, [np.array([1.0, 2.0]),
                                                                              np.array([3.0, 4.0])])
    np.testing.assert_allclose(theoretical[0], np.diag([6.0, 16.0]))
    np.testing.assert_allclose(theoretical[1], np.diag([1.0, 4.0]))
    for t, n in zip(theoretical, numerical):
        np.testing.assert_allclose(t, n, rtol=1e-6, atol=1e-8)
    with pytest.raises(ValueError, match="x must be a list or tuple"):
        tf.test.compute_gradient(lambda x: x, np.ones(2))


def test_evaluate_keeps_nested_structures():
    import collections

    Pair = collections.namedtuple("Pair", "left right")
    case = tf.test.TestCase()
    out = case.evaluate({"b": Pair(tf.constant([1.0]), [tf.constant(2)]), "a": (None, "text")})
    assert list(out) == ["b", "a"] and type(out["b"]) is Pair and out["a"] == (None, "text")
    assert isinstance(out["b"].left, np.ndarray) and out["b"].right[0] == 2
