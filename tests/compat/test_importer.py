"""The import aliases: tensorflow is a version-reporting view of tensorlet; renamed modules resolve."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import tensorlet
from tensorlet.compat.importer import target_of
from tensorlet.compat.tensorflow_module import tensorflow_module


def test_tensorflow_view_reports_the_tf_version_and_forwards_everything():
    tf = tensorflow_module()
    assert tf.__version__ == tensorlet.version.VERSION == "2.15.0" and tf.__version__ >= "2.0"
    assert tensorlet.__version__ == "0.1.0"
    assert tf.constant is tensorlet.constant and tf.keras is tensorlet.keras and tf.__name__ == "tensorflow"
    assert "keras" in dir(tf) and "__version__" in dir(tf)


def test_target_of_maps_compat_and_renamed_modules():
    assert target_of("tensorflow.compat.v1") == "tensorlet.compat.v1"
    assert target_of("tensorflow.compat.v1.keras.layers") == "tensorlet.keras.layers"
    assert target_of("tensorflow.compat.v1.logging") == "tensorlet.tf_logging"
    assert target_of("tensorflow.compat.v2.keras") == "tensorlet.keras"
    assert target_of("tensorflow.test") == "tensorlet.testing"
    assert target_of("tensorflow.compat") == "tensorlet.compat"
    assert target_of("numpy") is None


def test_version_checks_pass_through_the_compatibility_layer(tmp_path):
    script = tmp_path / "versions.py"
    script.write_text(textwrap.dedent("""
        import tensorflow as tf
        import tensorflow.compat.v2 as tf2
        import tensorflow.compat.v1 as tf1
        import keras
        import tensorlet
        from tensorflow import keras as tfk
        assert tf.__version__ >= "2.0" and tf.version.VERSION == tf.__version__ and tf2.__version__ >= "2.0"
        assert keras.__version__ >= "2.0" and tfk is keras is tensorlet.keras
        assert tensorlet.__version__ == "0.1.0"
        assert tf.keras.layers.Dense is tensorlet.keras.layers.Dense and tf1.keras is tensorlet.keras
        print("scikit", tf.keras.wrappers.scikit_learn.KerasClassifier.__name__)
        print(tf.__name__, tf.__version__, tf.test.is_gpu_available(), tf.config.list_physical_devices())
    """))
    r = subprocess.run([sys.executable, "-W", "ignore::DeprecationWarning", "-m", "tensorlet.compat", str(script)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "scikit KerasClassifier" in r.stdout
    assert "tensorflow 2.15.0 False [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]" in r.stdout


def test_uninstall_removes_the_tensorflow_view(monkeypatch):
    from tensorlet import compat

    for name in [n for n in sys.modules if n == "tensorflow" or n.startswith("tensorflow.")]:
        monkeypatch.delitem(sys.modules, name)  # a real TensorFlow imported by another test; restored afterwards
    with compat.activated():
        import tensorflow  # noqa: F401

        assert sys.modules["tensorflow"].__version__ == "2.15.0"
    assert "tensorflow" not in sys.modules or not isinstance(sys.modules["tensorflow"],
                                                             type(tensorflow_module()))


def test_load_ext_installs_and_unload_ext_removes_the_hook():
    from tensorlet import compat

    assert not compat.is_installed()
    compat.load_ipython_extension(None)
    try:
        assert compat.is_installed()
    finally:
        compat.unload_ipython_extension(None)
    assert not compat.is_installed()
