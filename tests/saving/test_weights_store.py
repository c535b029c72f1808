"""Keras 3 weights files: no dataset is read before its declared shape matches the model, and weights the model
cannot take are an error, not silently ignored."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models

h5py = pytest.importorskip("h5py")


def small_model():
    m = models.Sequential([layers.Input(shape=(4,)), layers.Dense(3, name="d")])
    m.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    return m


@pytest.fixture
def reads(monkeypatch):
    """The names of the datasets whose data was read."""
    seen: list[str] = []
    getitem, array = h5py.Dataset.__getitem__, h5py.Dataset.__array__

    def spy_getitem(self, *args, **kwargs):
        seen.append(self.name)
        return getitem(self, *args, **kwargs)

    def spy_array(self, *args, **kwargs):
        seen.append(self.name)
        return array(self, *args, **kwargs)

    monkeypatch.setattr(h5py.Dataset, "__getitem__", spy_getitem)
    monkeypatch.setattr(h5py.Dataset, "__array__", spy_array)
    return seen


def test_a_huge_declared_dataset_is_refused_before_a_byte_is_read(tmp_path, reads):
    path = tmp_path / "w.weights.h5"
    small_model().save_weights(str(path))
    with h5py.File(path, "r+") as f:  # 30000 x 30000 float32 declared, chunked, never written: a 10 kB file
        del f["layers/dense/vars/0"]
        f["layers/dense/vars"].create_dataset("0", shape=(30000, 30000), dtype="f4", chunks=(1000, 1000))
    assert path.stat().st_size < 100_000
    with pytest.raises(ValueError, match=r"the model expects \(4, 3\), the file has \(30000, 30000\)"):
        small_model().load_weights(str(path))
    assert "/layers/dense/vars/0" not in reads


def test_huge_declared_optimizer_state_is_never_read(tmp_path, reads):
    model = small_model()
    model.fit(np.ones((8, 4), "f4"), np.ones((8, 3), "f4"), epochs=1, verbose=0)
    path = tmp_path / "m.keras"
    model.save(str(path))
    import io
    import zipfile

    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    buffer = io.BytesIO(members["model.weights.h5"])
    with h5py.File(buffer, "r+") as f:
        del f["optimizer/vars/1"]
        f["optimizer/vars"].create_dataset("1", shape=(30000, 30000), dtype="f4", chunks=(1000, 1000))
    members["model.weights.h5"] = buffer.getvalue()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    with pytest.warns(UserWarning, match=r"optimizer state was not restored.*\(30000, 30000\)"):
        loaded = models.load_model(str(path))  # a different optimizer layout: a fresh optimizer state
    assert int(loaded.optimizer.iterations) == 0
    assert "/optimizer/vars/1" not in reads
    np.testing.assert_allclose(loaded.predict(np.ones((2, 4), "f4"), verbose=0),
                               model.predict(np.ones((2, 4), "f4"), verbose=0), rtol=1e-6)


def test_weights_for_layers_the_model_lacks_are_an_error(tmp_path):
    path = tmp_path / "w.weights.h5"
    models.Sequential([layers.Input(shape=(4,)), layers.Dense(3), layers.Dense(2)]).save_weights(str(path))
    with pytest.raises(ValueError, match=r"holds weights for layer group\(s\) \['dense_1'\]"):
        models.Sequential([layers.Input(shape=(4,)), layers.Dense(3)]).load_weights(str(path))
    models.Sequential([layers.Input(shape=(4,)), layers.Dense(3)]).load_weights(str(path), skip_mismatch=True)
