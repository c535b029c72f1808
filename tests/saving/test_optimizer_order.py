"""The optimizer state in a ``.keras`` file follows Keras 3's order (slots interleaved per variable); files that
tensorlet wrote slot-major before are still read right, and a layout that cannot be matched is dropped with a
warning instead of being scrambled."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from tensorlet.keras import layers, models

h5py = pytest.importorskip("h5py")

X = np.random.default_rng(0).random((8, 4)).astype("f4")


def trained(optimizer="adam"):
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(4, use_bias=False),
                               layers.Dense(4, use_bias=False)])
    model.compile(optimizer, "mse")
    model.fit(X, X, epochs=3, batch_size=4, verbose=0)
    return model


def members_of(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_members(path, members):
    with zipfile.ZipFile(path, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)


def edit_optimizer_vars(members, edit):
    buffer = io.BytesIO(members["model.weights.h5"])
    with h5py.File(buffer, "r+") as f:
        g = f["optimizer/vars"]
        values = [g[str(i)][()] for i in range(len(g))]
        for i in range(len(values)):
            del g[str(i)]
        for i, v in enumerate(edit(values)):
            g.create_dataset(str(i), data=v)
    members["model.weights.h5"] = buffer.getvalue()


def next_step_matches(model, loaded):
    model.train_on_batch(X, X)
    loaded.train_on_batch(X, X)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-7)


def test_optimizer_state_is_written_interleaved_per_variable(tmp_path):
    model = trained()
    path = tmp_path / "m.keras"
    model.save(str(path))
    with h5py.File(io.BytesIO(members_of(path)["model.weights.h5"]), "r") as f:
        stored = [f["optimizer/vars"][str(i)][()] for i in range(6)]
    opt = model.optimizer
    k1, k2 = model.trainable_weights
    expected = [opt.iterations, opt.learning_rate, opt.get_slot(k1, "momentum"), opt.get_slot(k1, "velocity"),
                opt.get_slot(k2, "momentum"), opt.get_slot(k2, "velocity")]
    for s, e in zip(stored, expected):
        np.testing.assert_array_equal(s, np.asarray(e))
    assert json.loads(members_of(path)["metadata.json"])["optimizer_order"] == "keras3"


def test_slot_major_file_from_an_older_tensorlet_resumes_exactly(tmp_path):
    model = trained()
    path = tmp_path / "old.keras"
    model.save(str(path))
    members = members_of(path)
    meta = json.loads(members["metadata.json"])
    del meta["optimizer_order"]
    members["metadata.json"] = json.dumps(meta).encode()
    # interleaved [it, lr, m1, v1, m2, v2] -> the old slot-major [it, lr, m1, m2, v1, v2]
    edit_optimizer_vars(members, lambda v: [v[0], v[1], v[2], v[4], v[3], v[5]])
    write_members(path, members)
    loaded = models.load_model(str(path))
    assert int(loaded.optimizer.iterations) == 6
    next_step_matches(model, loaded)


def test_unmatched_optimizer_layout_is_dropped_with_a_warning(tmp_path):
    model = trained()
    path = tmp_path / "m.keras"
    model.save(str(path))
    members = members_of(path)
    edit_optimizer_vars(members, lambda v: v[:4])
    write_members(path, members)
    with pytest.warns(UserWarning, match=r"holds 4 arrays.*Adam has 6.*fresh optimizer state"):
        loaded = models.load_model(str(path))
    assert int(loaded.optimizer.iterations) == 0
    assert all(not np.any(np.asarray(w)) for w in loaded.optimizer.get_weights()[2:])


@pytest.mark.parametrize("optimizer", ["adam", "rmsprop", "nadam", "ftrl", "adamax", "adadelta"])
def test_compiled_save_and_load_resumes_with_the_same_next_step(tmp_path, optimizer):
    model = trained(optimizer)
    path = tmp_path / "m.keras"
    model.save(str(path))
    loaded = models.load_model(str(path))
    assert int(loaded.optimizer.iterations) == 6
    next_step_matches(model, loaded)


def test_h5_holds_keras2_training_config_and_optimizer_weights(tmp_path):
    model = trained()
    path = tmp_path / "m.h5"
    with pytest.warns(DeprecationWarning):
        model.save(str(path))
    with h5py.File(path, "r") as f:
        training = json.loads(f.attrs["training_config"])
        names = [n.decode() if isinstance(n, bytes) else n for n in f["optimizer_weights"].attrs["weight_names"]]
    assert training["optimizer_config"]["class_name"] == "Adam"
    assert training["optimizer_config"]["config"]["is_legacy_optimizer"] is False  # else tf.keras 2 builds a v2
    assert "loss_scale_factor" not in training["optimizer_config"]["config"]
    # iterations, then the slots interleaved per variable; the learning rate lives in the config
    assert len(names) == 5 and names[0] == "iteration:0" and names[1].endswith("momentum:0")
    loaded = models.load_model(str(path))
    assert int(loaded.optimizer.iterations) == 6
    next_step_matches(model, loaded)


def test_functional_h5_graph_is_in_keras2_form(tmp_path):
    a, b = layers.Input(shape=(4,)), layers.Input(shape=(4,))
    model = models.Model([a, b], layers.Dense(2)(layers.Concatenate()([a, b])))
    path = tmp_path / "f.h5"
    with pytest.warns(DeprecationWarning):
        model.save(str(path))
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["model_config"])["config"]
    concat = next(entry for entry in config["layers"] if entry["class_name"] == "Concatenate")
    inputs = [ref[0] for ref in config["input_layers"]]
    assert [ref[:3] for ref in concat["inbound_nodes"][0]] == [[inputs[0], 0, 0], [inputs[1], 0, 0]]
    assert len(config["output_layers"]) == 1 and len(config["output_layers"][0]) == 3
    loaded = models.load_model(str(path))
    x = [np.ones((2, 4), "f4"), np.zeros((2, 4), "f4")]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
