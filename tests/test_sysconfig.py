"""tf.sysconfig: a pure-Python build."""
from __future__ import annotations

import tensorlet as tf


def test_sysconfig_reports_a_pure_python_build():
    info = tf.sysconfig.get_build_info()
    assert info["is_cuda_build"] is False and info["is_rocm_build"] is False
    assert tf.sysconfig.get_compile_flags() == [] and tf.sysconfig.get_include().endswith("tensorlet")
