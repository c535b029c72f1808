"""Saving and loading: round trips, Keras 3 layout, safety (atomic writes, corrupt files, no code execution)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models, utils

pytest.importorskip("h5py")


def make_model():
    utils.set_random_seed(0)
    m = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu", name="hidden"),
                           layers.Dropout(0.1), layers.Dense(3, activation="softmax", name="out")], name="seq")
    m.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def functional_model():
    a = layers.Input(shape=(4,), name="a")
    b = layers.Input(shape=(2,), name="b")
    h = layers.Concatenate()([layers.Dense(5, activation="tanh", name="da")(a), b])
    out = layers.Dense(1, name="out")(h)
    m = models.Model([a, b], out, name="two_inputs")
    m.compile(optimizer="sgd", loss="mse")
    return m


X = np.random.default_rng(0).standard_normal((32, 4)).astype("float32")
Y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0).astype(int)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_round_trip_predictions_and_compile(tmp_path, ext):
    model = make_model()
    model.fit(X, Y, epochs=2, verbose=0)
    path = str(tmp_path / f"m{ext}")
    if ext == ".h5":
        with pytest.warns(DeprecationWarning, match="legacy HDF5"):
            model.save(path)
    else:
        model.save(path)
    loaded = models.load_model(path)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    assert [la.name for la in loaded.layers] == ["hidden", "dropout", "out"] or len(loaded.layers) == 3
    assert loaded.compiled
    loaded.evaluate(X, Y, verbose=0)


def test_optimizer_state_resumes_identically(tmp_path):
    model = make_model()
    model.fit(X, Y, epochs=2, verbose=0, shuffle=False)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = models.load_model(path)
    utils.set_random_seed(7)  # the same dropout masks for both continuations
    model.fit(X, Y, epochs=2, verbose=0, shuffle=False)
    utils.set_random_seed(7)
    loaded.fit(X, Y, epochs=2, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


def test_functional_round_trip_and_json(tmp_path):
    m = functional_model()
    xb = np.ones((32, 2), "float32")
    path = str(tmp_path / "f.keras")
    m.save(path)
    loaded = models.load_model(path)
    np.testing.assert_allclose(loaded.predict([X, xb], verbose=0), m.predict([X, xb], verbose=0), rtol=1e-6)
    rebuilt = models.model_from_json(m.to_json())
    rebuilt.set_weights(m.get_weights())
    np.testing.assert_allclose(rebuilt.predict([X, xb], verbose=0), m.predict([X, xb], verbose=0), rtol=1e-6)
    clone = models.clone_model(m)
    assert [la.name for la in clone.layers] == [la.name for la in m.layers]


def test_keras_zip_layout(tmp_path):
    path = str(tmp_path / "m.keras")
    make_model().save(path)
    with zipfile.ZipFile(path) as z:
        assert set(z.namelist()) == {"config.json", "metadata.json", "model.weights.h5"}
        config = json.loads(z.read("config.json"))
        assert config["class_name"] == "Sequential"
        assert [c["class_name"] for c in config["config"]["layers"]] == ["InputLayer", "Dense", "Dropout", "Dense"]
        z.extract("model.weights.h5", tmp_path)
    import h5py

    with h5py.File(tmp_path / "model.weights.h5") as f:
        assert f["layers/dense/vars/0"].shape == (4, 8)
        assert f["layers/dense_1/vars/1"].shape == (3,)
        assert f["layers/dense/vars"].attrs["name"] == "hidden"
        assert "optimizer/vars/0" in f


@pytest.mark.parametrize("name", ["w.weights.h5", "w.h5"])
def test_save_and_load_weights(tmp_path, name):
    m = make_model()
    path = str(tmp_path / name)
    m.save_weights(path)
    other = make_model()
    other.layers[0].set_weights([np.zeros((4, 8), "float32"), np.zeros(8, "float32")])
    other.load_weights(path)
    np.testing.assert_allclose(other.predict(X, verbose=0), m.predict(X, verbose=0), rtol=1e-6)


def test_load_weights_shape_mismatch_is_named(tmp_path):
    path = str(tmp_path / "w.weights.h5")
    make_model().save_weights(path)
    wrong = models.Sequential([layers.Input(shape=(5,)), layers.Dense(8), layers.Dropout(0.1), layers.Dense(3)])
    with pytest.raises(ValueError, match="shape mismatch|expects"):
        wrong.load_weights(path)


def test_lambda_refused_in_safe_mode(tmp_path):
    m = models.Sequential([layers.Input(shape=(3,)), layers.Lambda(lambda t: t * 2.0)])
    path = str(tmp_path / "lam.keras")
    m.save(path)
    with pytest.raises(ValueError, match="safe_mode"):
        models.load_model(path)
    loaded = models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 3), "float32"), verbose=0), 2.0)


def test_corrupted_files_raise_clean_errors(tmp_path):
    path = str(tmp_path / "m.keras")
    make_model().save(path)
    blob = open(path, "rb").read()
    rng = np.random.default_rng(0)
    for trial in range(60):
        data = bytearray(blob)
        if trial % 2:
            data = data[: int(rng.integers(0, len(data)))]
        else:
            for _ in range(int(rng.integers(1, 8))):
                i = int(rng.integers(0, len(data)))
                data[i] ^= 1 << int(rng.integers(0, 8))
        bad = tmp_path / f"bad{trial}.keras"
        bad.write_bytes(bytes(data))
        try:
            models.load_model(str(bad))
        except (ValueError, OSError, KeyError, TypeError) as e:
            assert str(e)
        # loading may also succeed when the flipped bit changed only a weight value


def test_writes_are_atomic(tmp_path, monkeypatch):
    path = tmp_path / "m.keras"
    model = make_model()
    model.save(str(path))
    before = path.read_bytes()
    import zipfile as zf

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(zf.ZipFile, "writestr", boom)
    with pytest.raises(RuntimeError):
        model.save(str(path))
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.keras"]


def test_sigkill_during_checkpointing_leaves_loadable_files(tmp_path):
    """A training process is killed many times while ModelCheckpoint writes; every file left behind loads."""
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(f"""
        import numpy as np
        import tensorlet as tf
        from tensorlet.keras import layers, models, callbacks
        x = np.random.default_rng(0).standard_normal((64, 4)).astype("float32")
        y = (x[:, 0] > 0).astype(int)
        m = models.Sequential([layers.Input(shape=(4,)), layers.Dense(64, activation="relu"),
                               layers.Dense(2, activation="softmax")])
        m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        ck = callbacks.ModelCheckpoint({str(tmp_path / "ck.keras")!r}, save_freq=1)
        print("ready", flush=True)
        m.fit(x, y, epochs=100000, batch_size=8, verbose=0, callbacks=[ck])
    """))
    import signal
    import time

    rng = np.random.default_rng(1)
    for _ in range(int(os.environ.get("TENSORLET_CRASH_TRIALS", "8"))):
        p = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE)
        p.stdout.readline()
        time.sleep(float(rng.uniform(0.05, 0.4)))
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
        files = [f for f in os.listdir(tmp_path) if f.endswith(".keras")]
        for f in files:
            models.load_model(str(tmp_path / f))
        # a killed write may leave its temporary file, never a torn target; the next save replaces it
        leftovers = [f for f in os.listdir(tmp_path) if f.endswith((".tmp", ".lock"))]
        assert set(leftovers) <= {".ck.keras.tmp", ".ck.keras.lock"}, leftovers


@pytest.mark.parity
def test_keras3_interop_both_directions(tmp_path):
    keras = pytest.importorskip("keras")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")
    m = functional_model()
    xb = np.ones((32, 2), "float32")
    ours = str(tmp_path / "ours.keras")
    m.save(ours)
    theirs = keras.models.load_model(ours)
    np.testing.assert_allclose(np.asarray(theirs.predict([X, xb], verbose=0)), m.predict([X, xb], verbose=0),
                               rtol=1e-5, atol=1e-6)
    k = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(6, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
    k.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    path = str(tmp_path / "theirs.keras")
    k.save(path)
    loaded = models.load_model(path)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), np.asarray(k.predict(X, verbose=0)), rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parity
def test_keras3_interop_of_the_activation_noise_and_sequence_layers(tmp_path):
    """A model holding each of these layers, saved by tensorlet, loads in Keras 3 and back with equal outputs."""
    keras = pytest.importorskip("keras")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")
    L = tf.keras.layers
    a, b = L.Input((6,)), L.Input((5, 4))
    h = L.PReLU(alpha_initializer="random_normal")(L.Dense(4)(a))
    h = L.GaussianDropout(0.2)(L.GaussianNoise(0.1)(L.ELU(alpha=0.5)(h)))
    seq = L.RepeatVector(3)(L.AlphaDropout(0.1)(h))  # (3, 4)
    seq = L.Cropping1D((0, 1))(L.ZeroPadding1D((1, 1))(L.UpSampling1D(2)(seq)))  # (7, 4)
    other = L.SpatialDropout1D(0.2)(L.Permute((2, 1))(L.Permute((2, 1))(b)))
    out = L.Flatten()(L.Dot(axes=2, normalize=True)([seq, other]))
    m = tf.keras.Model([a, b], out)
    rng = np.random.default_rng(0)
    xa, xb = rng.standard_normal((3, 6)).astype("float32"), rng.standard_normal((3, 5, 4)).astype("float32")
    ours = str(tmp_path / "ours.keras")
    m.save(ours)
    theirs = keras.models.load_model(ours)
    expected = m.predict([xa, xb], verbose=0)
    np.testing.assert_allclose(np.asarray(theirs.predict([xa, xb], verbose=0)), expected, rtol=1e-5, atol=1e-6)
    back = str(tmp_path / "theirs.keras")
    theirs.save(back)
    np.testing.assert_allclose(models.load_model(back).predict([xa, xb], verbose=0), expected, rtol=1e-5, atol=1e-6)
