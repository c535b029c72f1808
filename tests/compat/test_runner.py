"""The compatibility runner: unmodified TensorFlow/Keras code through `python -m tensorlet.compat`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

MIRROR = Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets"


def run(tmp_path, source, *args, name="script.py", env=None):
    script = tmp_path / name
    script.write_text(textwrap.dedent(source))
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "tensorlet.compat", str(script), *args], capture_output=True,
                          text=True, cwd=tmp_path, env=e, timeout=600)


def test_aliases_argv_and_main(tmp_path):
    r = run(tmp_path, """
        import sys
        import tensorflow as tf
        import tensorlet
        from tensorflow import keras
        from tensorflow.keras.layers import Dense
        import Tensorflow
        import keras as k2
        assert tf.constant is tensorlet.constant and Tensorflow.keras is tensorlet.keras and k2 is tensorlet.keras
        assert keras.layers.Dense is Dense
        print(sys.argv, __name__)
    """, "a", "--b")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("'a', '--b'] __main__")


def test_tracebacks_and_exit_codes_as_python(tmp_path):
    r = run(tmp_path, "x = 1\nraise RuntimeError('boom')\n")
    assert r.returncode == 1 and "script.py\", line 2" in r.stderr and "RuntimeError: boom" in r.stderr
    r = run(tmp_path, "import sys\nsys.exit(3)\n")
    assert r.returncode == 3


def test_missing_symbol_and_module_are_named(tmp_path):
    r = run(tmp_path, "import tensorflow as tf\ntf.estimator\n")
    assert r.returncode == 1 and "tensorflow.estimator is not provided by tensorlet" in r.stderr
    r = run(tmp_path, "import tensorflow_hub\n")
    assert "tensorflow_hub" in r.stderr
    r = run(tmp_path, "from tensorflow.lite import Interpreter\n")
    assert "tensorflow.lite is not provided by tensorlet" in r.stderr


def test_notebook_cells_skip_shell_and_magics(tmp_path):
    nb = {"cells": [
        {"cell_type": "markdown", "source": ["# titre"]},
        {"cell_type": "code", "source": ["!nvidia-smi\n", "%matplotlib inline\n", "import tensorflow as tf\n"]},
        {"cell_type": "code", "source": "x = tf.constant([1, 2, 3])\nprint(x.dtype)"},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "tp.ipynb"
    path.write_text(json.dumps(nb))
    r = subprocess.run([sys.executable, "-m", "tensorlet", "run", str(path)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert "<dtype: 'int32'>" in r.stdout
    assert "skipped shell line: !nvidia-smi" in r.stderr and "skipped magic line: %matplotlib" in r.stderr


def test_uninstall_removes_the_aliases():
    from tensorlet import compat

    with compat.activated():
        import tensorflow  # noqa: F401

        assert "tensorflow" in sys.modules
    assert "tensorflow" not in sys.modules or not sys.modules["tensorflow"].__name__.startswith("tensorlet")
    assert not compat.is_installed()


@pytest.mark.skipif(not (MIRROR / "mnist.npz").exists(), reason="shared datasets not available")
def test_standalone_keras2_script_runs_unchanged(tmp_path):
    r = run(tmp_path, """
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import SGD
        from keras.utils import np_utils
        from keras.callbacks import ModelCheckpoint
        from keras.wrappers.scikit_learn import KerasClassifier
        from keras.datasets import mnist
        from sklearn.model_selection import cross_val_score

        (x_train, y_train), (x_test, y_test) = mnist.load_data()
        x_train = x_train[:2000].reshape(2000, 784).astype("float32") / 255
        y_train = y_train[:2000]
        Y = np_utils.to_categorical(y_train, 10)

        model = Sequential()
        model.add(Dense(64, input_dim=784, activation="relu"))
        model.add(Dense(10, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer=SGD(lr=0.1), metrics=["acc"])
        history = model.fit(x_train, Y, nb_epoch=4, batch_size=32, verbose=0, validation_split=0.1,
                            callbacks=[ModelCheckpoint("w.{epoch:02d}.h5", period=2)])
        print("acc", round(history.history["acc"][-1], 3))
        print("classes", model.predict_classes(x_train[:5]))

        def build(hidden=32):
            m = Sequential()
            m.add(Dense(hidden, input_dim=784, activation="relu"))
            m.add(Dense(10, activation="softmax"))
            m.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
            return m

        scores = cross_val_score(KerasClassifier(build_fn=build, epochs=2, batch_size=64, verbose=0),
                                 x_train, y_train, cv=2)
        print("cv", len(scores))
    """, env={"TENSORLET_DATASETS_MIRROR": str(MIRROR.resolve()), "TENSORLET_HOME": str(tmp_path / "home")})
    assert r.returncode == 0, r.stderr[-3000:]
    assert "acc 0." in r.stdout and "classes [" in r.stdout and "cv 2" in r.stdout
    assert sorted(p.name for p in tmp_path.glob("w.*.h5")) == ["w.02.h5", "w.04.h5"]


def test_aliasing_keeps_tensorlet_a_package():
    from importlib import resources

    import tensorlet
    from tensorlet import compat

    with compat.activated():
        import tensorflow  # noqa: F401
        import tensorflow.keras.layers  # noqa: F401
    assert tensorlet.__spec__.name == "tensorlet"
    assert resources.files("tensorlet").joinpath("datasets").is_dir()


def test_notebook_with_colab_guards_help_lines_and_cell_magics_runs_as_in_jupyter(tmp_path):
    nb = {"cells": [
        {"cell_type": "code", "source": ["try:\n", "  %tensorflow_version 2.x\n", "  IS_COLAB = True\n",
                                         "except Exception:\n", "  IS_COLAB = False\n"]},
        {"cell_type": "code", "source": ["import tensorflow as tf\n", "assert tf.__version__ >= '2.0'\n",
                                         "files = !ls\n", "tf.constant?\n", "print('colab', IS_COLAB, len(files))"]},
        {"cell_type": "code", "source": ["%%time\n", "x = tf.constant(27.3)\n", "x\n"]},
        {"cell_type": "code", "source": ["display(tf.config.list_physical_devices('GPU'))\n", "x;"]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "guards.ipynb"
    path.write_text(json.dumps(nb))
    r = subprocess.run([sys.executable, "-m", "tensorlet.compat", str(path)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert "colab False 0" in r.stdout and "Wall time:" in r.stdout and "[]" in r.stdout
    assert "<tf.Tensor: shape=(), dtype=float32, numpy=27.3>" in r.stdout
    assert r.stdout.count("numpy=27.3") == 1
    assert "skipped help line: tf.constant?" in r.stderr and "skipped shell line: !ls" in r.stderr


def test_notebook_runs_from_its_folder_with_helper_modules_importable(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "helpers.py").write_text("ANSWER = 42\n")
    (folder / "data.txt").write_text("7\n")
    nb = {"cells": [{"cell_type": "code", "source": ["from helpers import ANSWER\n",
                                                     "print(ANSWER + int(open('data.txt').read()))"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / "nb.ipynb").write_text(json.dumps(nb))
    r = subprocess.run([sys.executable, "-m", "tensorlet.compat", str(folder / "nb.ipynb")], capture_output=True,
                       text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "49"
