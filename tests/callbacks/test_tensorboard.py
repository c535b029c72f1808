"""The TensorBoard callback writes what tf.keras 2 writes (issue 24, item 8): the same (run, tag, plugin) set and
steps, read back with the real ``tensorboard`` package as its dashboards read them."""
from __future__ import annotations

import json

import numpy as np
import pytest

import tensorlet
from tests.helpers.event_files import dashboard, scalars, values

pytest.importorskip("tensorboard")

X = np.random.default_rng(3).standard_normal((32, 4)).astype("float32")
Y = (X[:, 0] > 0).astype("int32")


def _model(K, schedule=False):
    K.backend.clear_session()  # layer names from dense, as in a fresh notebook
    K.utils.set_random_seed(0)
    model = K.Sequential([K.Input((4,)), K.layers.Dense(3, activation="relu"),
                          K.layers.Dense(2, activation="softmax")])
    lr = K.optimizers.schedules.ExponentialDecay(0.01, 10, 0.5) if schedule else 0.01
    model.compile(K.optimizers.Adam(lr), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _run(K, log_dir, schedule=False, **kwargs):
    model = _model(K, schedule)
    tb = K.callbacks.TensorBoard(str(log_dir), histogram_freq=1, write_graph=True, update_freq="epoch", **kwargs)
    model.fit(X, Y, epochs=2, batch_size=16, validation_data=(X, Y), verbose=0, callbacks=[tb])
    return model


def _expected_tags():
    out = {("train", "keras", "graph_keras_model"): [0]}
    for metric in ("loss", "accuracy"):
        out[("train", f"epoch_{metric}", "scalars")] = [0, 1]
        out[("validation", f"epoch_{metric}", "scalars")] = [0, 1]
        out[("validation", f"evaluation_{metric}_vs_iterations", "scalars")] = [2, 4]  # the optimizer's steps
    for layer in ("dense", "dense_1"):
        for weight in ("kernel", "bias"):
            out[("train", f"{layer}/{weight}_0/histogram", "histograms")] = [0, 1]
    return out


def test_fit_writes_the_tags_tf_keras_writes(tmp_path):
    model = _run(tensorlet.keras, tmp_path)
    assert dashboard(tmp_path) == _expected_tags()
    (config,) = values(tmp_path / "train", "keras")
    rebuilt = tensorlet.keras.models.model_from_json(config.decode())
    assert json.loads(config)["class_name"] == "Sequential" and len(rebuilt.layers) == len(model.layers)
    (table,) = values(tmp_path / "train", "dense/kernel_0/histogram")[-1:]
    assert table.shape == (30, 3) and table[:, 2].sum() == 12  # 4 x 3 kernel entries
    assert table[0, 0] == pytest.approx(float(model.layers[0].kernel.numpy().min()))


def test_evaluation_scalars_are_the_validation_results(tmp_path):
    model = _model(tensorlet.keras)
    tb = tensorlet.keras.callbacks.TensorBoard(str(tmp_path))
    history = model.fit(X, Y, epochs=2, batch_size=16, validation_data=(X, Y), verbose=0, callbacks=[tb])
    evaluated = scalars(tmp_path / "validation", "evaluation_loss_vs_iterations")
    assert [s for s, _ in evaluated] == [2, 4]
    np.testing.assert_allclose([v for _, v in evaluated], history.history["val_loss"], rtol=1e-6)


def test_learning_rate_is_logged_only_for_a_schedule_and_steps_per_second_on_request(tmp_path):
    _run(tensorlet.keras, tmp_path / "constant")
    _run(tensorlet.keras, tmp_path / "schedule", schedule=True, write_steps_per_second=True)
    assert not any(tag == "epoch_learning_rate" for _, tag, _ in dashboard(tmp_path / "constant"))
    lr = scalars(tmp_path / "schedule" / "train", "epoch_learning_rate")
    np.testing.assert_allclose([v for _, v in lr], [0.01 * 0.5 ** (2 / 10), 0.01 * 0.5 ** (4 / 10)], rtol=1e-6)
    assert [s for s, _ in scalars(tmp_path / "schedule" / "train", "epoch_steps_per_second")] == [0, 1]


def test_a_subclassed_model_has_no_keras_graph(tmp_path):
    K = tensorlet.keras
    K.backend.clear_session()

    class Net(K.Model):
        def __init__(self):
            super().__init__()
            self.dense = K.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Net()
    model.compile("sgd", "mse")
    model.fit(X, X[:, :2], epochs=1, verbose=0, callbacks=[K.callbacks.TensorBoard(str(tmp_path), histogram_freq=1)])
    assert set(dashboard(tmp_path)) == {("train", "epoch_loss", "scalars"),
                                        ("train", "dense/kernel_0/histogram", "histograms"),
                                        ("train", "dense/bias_0/histogram", "histograms")}


@pytest.mark.parity
@pytest.mark.parametrize("schedule", [False, True])
def test_parity_same_dashboard_as_a_tf_keras_run(tmp_path, schedule):
    tf_keras = pytest.importorskip("tf_keras")
    _run(tf_keras, tmp_path / "tf_keras", schedule=schedule)
    _run(tensorlet.keras, tmp_path / "tensorlet", schedule=schedule)
    theirs, ours = dashboard(tmp_path / "tf_keras"), dashboard(tmp_path / "tensorlet")
    assert ours == theirs
    if not schedule:
        assert ours == _expected_tags()
    # the model graph: the same model config (names and versions aside)
    (their_json,), (our_json,) = values(tmp_path / "tf_keras" / "train", "keras"), values(
        tmp_path / "tensorlet" / "train", "keras")
    their_layers = json.loads(their_json)["config"]["layers"]
    our_layers = json.loads(our_json)["config"]["layers"]
    assert [la["class_name"] for la in our_layers] == [la["class_name"] for la in their_layers]
