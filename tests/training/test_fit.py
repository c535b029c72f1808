"""fit / evaluate / predict semantics (Keras' documented behaviour)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import callbacks, layers, models, utils


def mlp(n_in=4, n_out=3, activation="softmax"):
    return models.Sequential([layers.Input(shape=(n_in,)), layers.Dense(8, activation="relu"),
                              layers.Dense(n_out, activation=activation)])


def data(n=64, n_in=4, n_out=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, n_in)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0)
    return x, np.minimum(y, n_out - 1)


def test_fit_learns_and_returns_history():
    utils.set_random_seed(0)
    x, y = data(256)
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0, validation_split=0.25)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.epoch == list(range(30))
    assert model.history is history
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.6


def test_metric_named_as_given_acc():
    x, y = data()
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["acc"])
    h = model.fit(x, y, epochs=1, verbose=0)
    assert "acc" in h.history and "accuracy" not in h.history
    assert model.metrics_names == ["loss", "acc"]


def test_validation_split_takes_the_tail():
    x, y = data(100)
    model = mlp()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    h = model.fit(x, y, epochs=1, verbose=0, validation_split=0.2, shuffle=True)
    tail = model.evaluate(x[80:], y[80:], verbose=0)
    assert h.history["val_loss"][0] == pytest.approx(tail, rel=1e-5)


@pytest.mark.parametrize("split", [-0.1, 1.0, 0.001])
def test_bad_validation_split(split):
    x, y = data(100)
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(x, y, epochs=1, verbose=0, validation_split=split)


def test_epoch_loss_includes_l1_penalty():
    x, y = data(32)
    model = models.Sequential([layers.Input(shape=(4,)),
                               layers.Dense(3, activation="softmax", kernel_regularizer=tf.keras.regularizers.l1(0.1))])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    h = model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    probs = model.predict(x, verbose=0)
    ce = -np.mean(np.log(probs[np.arange(32), y]))
    penalty = 0.1 * np.abs(model.layers[0].get_weights()[0]).sum()
    assert h.history["loss"][0] == pytest.approx(ce + penalty, rel=1e-4)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(ce + penalty, rel=1e-4)


def test_fit_before_compile_raises():
    model = mlp()
    x, y = data()
    for call in (lambda: model.fit(x, y, verbose=0), lambda: model.evaluate(x, y, verbose=0),
                 lambda: model.train_on_batch(x, y)):
        with pytest.raises(RuntimeError, match="compile"):
            call()


def test_length_mismatch_names_both():
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x, y = data(10)
    with pytest.raises(ValueError, match=r"10.*9|x sizes: 10, y sizes: 9"):
        model.fit(x, y[:9], verbose=0)


@pytest.mark.parametrize("bad", [3, -1])
def test_sparse_label_out_of_range(bad):
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x, y = data(10)
    y = y.copy()
    y[4] = bad
    with pytest.raises(ValueError, match="3 classes"):
        model.fit(x, y, verbose=0)


def test_one_hot_with_sparse_loss_suggests_categorical():
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x, y = data(10)
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        model.fit(x, utils.to_categorical(y, 3), verbose=0)


def test_integer_labels_with_categorical_loss_suggests_sparse():
    model = mlp()
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    x, y = data(10)
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        model.fit(x, y, verbose=0)


def test_unknown_strings_list_valid_names():
    model = mlp()
    with pytest.raises(ValueError, match="sgd"):
        model.compile(optimizer="sgdd", loss="mse")
    with pytest.raises(ValueError, match="mse|mean_squared_error"):
        model.compile(optimizer="sgd", loss="msee")


def test_nan_input_warns_once():
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x, y = data(16)
    x[3, 1] = np.nan
    with pytest.warns(RuntimeWarning, match="NaN"):
        h = model.fit(x, y, epochs=1, verbose=0)
    assert np.isnan(h.history["loss"][0])


def test_evaluate_return_forms_and_predict():
    x, y = data(40)
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    values = model.evaluate(x, y, verbose=0)
    assert isinstance(values, list) and len(values) == 2
    d = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(d) == {"loss", "accuracy"}
    assert d["loss"] == pytest.approx(values[0])
    p = model.predict(x, batch_size=7, verbose=0)
    assert p.shape == (40, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_allclose(model.predict_on_batch(x), p, rtol=1e-5)
    model2 = mlp()
    model2.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    assert isinstance(model2.evaluate(x, y, verbose=0), float)


def test_train_and_test_on_batch():
    x, y = data(16)
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, acc = model.train_on_batch(x, y)
    assert np.isfinite(loss) and 0 <= acc <= 1
    assert set(model.test_on_batch(x, y, return_dict=True)) == {"loss", "accuracy"}


def test_determinism_with_set_random_seed():
    def run():
        utils.set_random_seed(123)
        x, y = data(128)
        model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                                   layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        h = model.fit(x, y, epochs=3, batch_size=16, verbose=0, validation_split=0.2)
        return model.get_weights(), h.history

    w1, h1 = run()
    w2, h2 = run()
    assert h1 == h2
    for a, b in zip(w1, w2):
        np.testing.assert_array_equal(a, b)


def test_stop_training_from_callback():
    class Stop(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    x, y = data()
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    h = model.fit(x, y, epochs=10, verbose=0, callbacks=[Stop()])
    assert h.epoch == [0, 1]


def test_callback_hook_order():
    events = []

    class Spy(callbacks.Callback):
        def on_train_begin(self, logs=None):
            events.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            events.append(f"epoch_begin{epoch}")

        def on_train_batch_end(self, batch, logs=None):
            events.append("batch")

        def on_epoch_end(self, epoch, logs=None):
            events.append(f"epoch_end{epoch}:{sorted(logs)}")

        def on_train_end(self, logs=None):
            events.append("train_end")

    x, y = data(8)
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, batch_size=4, verbose=0, callbacks=[Spy()], validation_data=(x, y))
    assert events == ["train_begin", "epoch_begin0", "batch", "batch", "epoch_end0:['loss', 'val_loss']",
                      "epoch_begin1", "batch", "batch", "epoch_end1:['loss', 'val_loss']", "train_end"]


def test_generator_and_sequence_inputs():
    x, y = data(64)

    def gen():
        while True:
            for s in range(0, 64, 16):
                yield x[s:s + 16], y[s:s + 16]

    class Seq(utils.Sequence):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 16:(i + 1) * 16], y[i * 16:(i + 1) * 16]

    for source, kwargs in ((gen(), {"steps_per_epoch": 4}), (Seq(), {})):
        model = mlp()
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        h = model.fit(source, epochs=2, verbose=0, **kwargs)
        assert len(h.history["loss"]) == 2


def test_multi_input_multi_output_dicts():
    a = layers.Input(shape=(3,), name="a")
    b = layers.Input(shape=(2,), name="b")
    h = layers.Concatenate()([a, b])
    out1 = layers.Dense(1, name="reg")(h)
    out2 = layers.Dense(2, activation="softmax", name="cls")(h)
    model = models.Model({"a": a, "b": b}, {"reg": out1, "cls": out2})
    model.compile(optimizer="adam", loss={"reg": "mse", "cls": "sparse_categorical_crossentropy"},
                  loss_weights={"reg": 0.5, "cls": 1.0}, metrics={"cls": ["accuracy"]})
    rng = np.random.default_rng(0)
    xa, xb = rng.standard_normal((32, 3)).astype("float32"), rng.standard_normal((32, 2)).astype("float32")
    h = model.fit({"a": xa, "b": xb}, {"reg": xa[:, :1], "cls": (xb[:, 0] > 0).astype(int)}, epochs=2, verbose=0)
    assert "cls_accuracy" in h.history
    preds = model.predict({"a": xa, "b": xb}, verbose=0)
    assert {k: v.shape for k, v in preds.items()} == {"reg": (32, 1), "cls": (32, 2)}


def test_class_weight_and_sample_weight_change_loss():
    x, y = data(32)
    model = mlp()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    base = model.fit(x, y, epochs=1, verbose=0, batch_size=32).history["loss"][0]
    weighted = model.fit(x, y, epochs=1, verbose=0, batch_size=32, class_weight={0: 5.0, 1: 1.0, 2: 1.0})
    assert weighted.history["loss"][0] != pytest.approx(base)
    sw = np.ones(32, "float32")
    same = model.fit(x, y, epochs=1, verbose=0, batch_size=32, sample_weight=sw).history["loss"][0]
    assert same == pytest.approx(base, rel=1e-5)


def test_legacy_methods_warn_and_work():
    x, y = data(32)
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.warns(DeprecationWarning):
        classes = model.predict_classes(x)
    assert classes.shape == (32,)
    with pytest.warns(DeprecationWarning):
        assert model.predict_proba(x).shape == (32, 3)
    with pytest.warns(DeprecationWarning):
        model.fit(x, y, nb_epoch=1, verbose=0)

    def gen():
        while True:
            yield x, y

    with pytest.warns(DeprecationWarning):
        model.fit_generator(gen(), steps_per_epoch=2, epochs=1, verbose=0)
    with pytest.warns(DeprecationWarning):
        model.evaluate_generator(gen(), steps=2)
    with pytest.warns(DeprecationWarning):
        assert model.predict_generator(gen(), steps=2).shape == (64, 3)


def test_custom_train_step_loop_with_gradient_tape():
    x, y = data(64)
    model = mlp()
    opt = tf.keras.optimizers.Adam(0.01)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
    first = None
    for _ in range(20):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_weights)
        opt.apply_gradients(zip(grads, model.trainable_weights))
        first = first if first is not None else float(loss)
    assert float(loss) < first


def test_subclassed_model_trains_and_overrides_train_step_call():
    class MLP(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = [layers.Dense(8, activation="relu")]
            self.out = layers.Dense(3, activation="softmax")

        def call(self, inputs, training=None):
            h = inputs
            for layer in self.hidden:
                h = layer(h)
            return self.out(h)

    x, y = data(64)
    model = MLP()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    h = model.fit(x, y, epochs=3, verbose=0)
    assert len(model.trainable_weights) == 4
    assert h.history["loss"][-1] < h.history["loss"][0]


def test_eager_and_traced_steps_agree():
    x, y = data(64)
    weights = None
    results = []
    for eager in (False, True):
        utils.set_random_seed(3)
        model = mlp()
        if weights is None:
            weights = model.get_weights()
        model.set_weights(weights)
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                      run_eagerly=eager)
        results.append(model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False).history["loss"])
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5)


def test_nan_inputs_warn_once_and_large_finite_ones_do_not():
    from tensorlet.training.data_adapter import check_finite

    x = np.ones((8, 3), "float32")
    x[2, 1] = np.nan
    with pytest.warns(RuntimeWarning, match="1 NaN or infinite"):
        check_finite(x)
    check_finite(np.full((10, 10), 3e38, "float32"))  # the sum overflows, the values are finite: silent


def test_validation_runs_in_larger_batches_only_when_nothing_can_tell():
    """fit validates in 4x larger batches when no callback sees validation batches: same val_loss (up to
    rounding); a callback with test-batch hooks, or validation_batch_size, keeps the batch size asked for."""
    import math

    from tensorlet.keras import callbacks, layers, models

    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((200, 5)).astype("float32"), rng.integers(0, 3, 200)
    xv, yv = rng.standard_normal((70, 5)).astype("float32"), rng.integers(0, 3, 70)
    model = models.Sequential([layers.Input((5,)), layers.Dense(8, activation="relu"),
                               layers.Dense(3, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    h = model.fit(x, y, batch_size=8, epochs=1, validation_data=(xv, yv), verbose=0)
    assert any(k[0] == "test" and k[1][0][0][0] == 32 for k in model._runner.plans)  # validated 32 rows at a time
    loss, acc = model.evaluate(xv, yv, batch_size=8, verbose=0)
    np.testing.assert_allclose(h.history["val_loss"][0], loss, rtol=1e-5)
    np.testing.assert_allclose(h.history["val_accuracy"][0], acc, rtol=1e-6)

    class Count(callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.batches = 0

        def on_test_batch_end(self, batch, logs=None):
            self.batches += 1

    counter = Count()
    model.fit(x, y, batch_size=8, epochs=1, validation_data=(xv, yv), verbose=0, callbacks=[counter])
    assert counter.batches == math.ceil(70 / 8)
    counter.batches = 0
    model.fit(x, y, batch_size=8, epochs=1, validation_data=(xv, yv), validation_batch_size=5, verbose=0,
              callbacks=[counter])
    assert counter.batches == 14
