"""tf.version: the emulated TensorFlow API level; tensorlet.__version__ stays its own."""
from __future__ import annotations

import tensorlet as tf


def test_version_reports_the_emulated_api_level_and_tensorlet_keeps_its_own():
    assert tf.version.VERSION == "2.15.0" and tf.version.VERSION >= "2.0"
    assert tf.version.GIT_VERSION.startswith("v2.15.0")
    assert tf.__version__ == "0.1.0" and tf.keras.__version__ == "2.15.0"
