"""TensorFlow's logger: tf.get_logger and tf.compat.v1.logging act on logging.getLogger("tensorflow")."""
from __future__ import annotations

import logging

import tensorlet as tf


def test_get_logger_is_the_tensorflow_logger():
    assert tf.get_logger() is logging.getLogger("tensorflow")
    tf.get_logger().setLevel("ERROR")
    assert tf.compat.v1.logging.get_verbosity() == tf.compat.v1.logging.ERROR == 40
    tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.WARN)
    assert tf.get_logger().level == logging.WARNING
    tf.get_logger().setLevel(logging.NOTSET)


def test_v1_logging_functions_log_to_the_tensorflow_logger(caplog):
    with caplog.at_level(logging.INFO, logger="tensorflow"):
        tf.compat.v1.logging.info("hello %s", "there")
        for _ in range(3):
            tf.compat.v1.logging.log_first_n(tf.compat.v1.logging.WARN, "once", 1)
    assert [r.getMessage() for r in caplog.records] == ["hello there", "once"]
