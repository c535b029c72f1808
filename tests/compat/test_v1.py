"""tf.compat.v1: the TF 1 switches courses call; graph-mode constructs fail naming themselves."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.compat import v1


def test_disable_eager_execution_warns_and_stays_eager():
    with pytest.warns(UserWarning, match="disable_eager_execution\\(\\): tensorlet has no graph mode"):
        v1.disable_eager_execution()
    assert tf.executing_eagerly()
    with pytest.warns(UserWarning, match="disable_v2_behavior"):
        v1.disable_v2_behavior()
    v1.enable_eager_execution()
    v1.enable_v2_behavior()
    assert v1.executing_eagerly()


@pytest.mark.parametrize("name", ["Session", "InteractiveSession", "ConfigProto", "placeholder", "get_variable",
                                  "global_variables_initializer", "variable_scope", "layers"])
def test_graph_mode_symbols_fail_naming_the_symbol(name):
    with pytest.raises(RuntimeError, match=f"tf.compat.v1.{name} is not provided by tensorlet: .*graph mode"):
        getattr(v1, name)()


def test_session_as_context_manager_fails_on_construction():
    with pytest.raises(RuntimeError, match="tf.compat.v1.Session is not provided"):
        with tf.compat.v1.Session() as sess:
            sess.run(tf.constant(1))


def test_set_random_seed_reproduces_draws():
    v1.set_random_seed(3)
    a = v1.random_normal((3,)).numpy()
    v1.set_random_seed(3)
    np.testing.assert_array_equal(a, tf.random.normal((3,)).numpy())


def test_logging_levels_and_tf1_renames():
    assert v1.logging.ERROR == 40 and v1.logging.INFO == 20 and v1.logging.DEBUG == 10
    assert v1.to_float(tf.constant(1)).dtype == tf.float32 and v1.to_int32(1.7).dtype == tf.int32
    assert float(v1.div(6.0, 3.0)) == 2.0
    v = tf.Variable(1.0)
    v1.assign_add(v, 2.0)
    assert float(v) == 3.0
    v1.reset_default_graph()


def test_other_names_come_from_tensorlet_and_missing_ones_are_named():
    assert v1.keras is tf.keras and v1.constant is tf.constant
    with pytest.raises(RuntimeError, match="tf.compat.v1.estimator is not provided by tensorlet"):
        v1.estimator.Estimator(model_fn=None)
    with pytest.raises(AttributeError, match="tf.compat.v1.contrib is not provided by tensorlet"):
        v1.contrib  # noqa: B018


def test_compat_v2_is_tensorlet_itself():
    assert tf.compat.v2 is tf and tf.compat.v1 is v1
