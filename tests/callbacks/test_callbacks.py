"""Callbacks: Keras' documented arguments and semantics."""
from __future__ import annotations

import csv
import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import callbacks, layers, models, utils


def make_model(lr=0.05):
    utils.set_random_seed(0)
    m = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                           layers.Dense(3, activation="softmax")])
    m.compile(optimizer=tf.keras.optimizers.SGD(lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def data(n=96):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype(int) + (x[:, 1] > 0).astype(int)


class Scripted(callbacks.Callback):
    """Replace the epoch's val_loss with scripted values, to test monitors deterministically."""

    def __init__(self, values):
        super().__init__()
        self.values = values

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.values[epoch]


def test_early_stopping_patience_and_restore_best_weights():
    x, y = data()
    model = make_model()
    values = [1.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]
    seen = []

    class Snap(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(self.model.get_weights())

    es = callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    h = model.fit(x, y, epochs=8, verbose=0, validation_data=(x, y), callbacks=[Scripted(values), Snap(), es])
    assert h.epoch == [0, 1, 2, 3]
    assert es.stopped_epoch == 3 and es.best_epoch == 1
    for a, b in zip(model.get_weights(), seen[1]):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_min_delta_mode_baseline_start_from_epoch():
    x, y = data()
    es = callbacks.EarlyStopping(monitor="val_loss", min_delta=0.2, patience=1)
    h = make_model().fit(x, y, epochs=5, verbose=0, validation_data=(x, y),
                         callbacks=[Scripted([1.0, 0.9, 0.85, 0.8, 0.7]), es])
    assert h.epoch == [0, 1]  # 0.9 is not 0.2 better than 1.0
    es = callbacks.EarlyStopping(monitor="val_accuracy", patience=0)
    assert es.watch.mode == "max"
    es = callbacks.EarlyStopping(monitor="val_loss", patience=1, start_from_epoch=3)
    h = make_model().fit(x, y, epochs=6, verbose=0, validation_data=(x, y),
                         callbacks=[Scripted([5, 6, 7, 1, 2, 3]), es])
    assert h.epoch == [0, 1, 2, 3, 4]


def test_model_checkpoint_every_two_epochs_only_when_better(tmp_path):
    """Seed 002, question 12, in one constructor call (the classic `period`)."""
    x, y = data()
    path = str(tmp_path / "ckpt.{epoch:02d}.keras")
    with pytest.warns(DeprecationWarning, match="period"):
        ck = callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True, period=2)
    values = [1.0, 0.9, 0.8, 0.95, 0.7, 0.6]
    make_model().fit(x, y, epochs=6, verbose=0, validation_data=(x, y), callbacks=[Scripted(values), ck])
    assert sorted(os.listdir(tmp_path)) == ["ckpt.02.keras", "ckpt.06.keras"]  # epoch 4 (0.95) is worse
    loaded = models.load_model(str(tmp_path / "ckpt.06.keras"))
    assert loaded.predict(x, verbose=0).shape == (96, 3)


def test_model_checkpoint_formats_and_weights_only(tmp_path):
    x, y = data()
    ck = callbacks.ModelCheckpoint(str(tmp_path / "w-{epoch:02d}-{val_loss:.2f}.weights.h5"), save_weights_only=True)
    model = make_model()
    model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y), callbacks=[ck])
    files = sorted(os.listdir(tmp_path))
    assert len(files) == 2 and files[0].startswith("w-01-") and files[0].endswith(".weights.h5")
    fresh = make_model()
    fresh.load_weights(str(tmp_path / files[1]))
    np.testing.assert_allclose(fresh.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    ck = callbacks.ModelCheckpoint(str(tmp_path / "b{batch}.keras"), save_freq=3)
    make_model().fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[ck])
    assert {"b3.keras", "b6.keras"} <= set(os.listdir(tmp_path))


def test_csv_logger(tmp_path):
    x, y = data()
    path = tmp_path / "log.csv"
    make_model().fit(x, y, epochs=2, verbose=0, validation_data=(x, y),
                     callbacks=[callbacks.CSVLogger(str(path), separator=";")])
    rows = list(csv.reader(open(path), delimiter=";"))
    assert rows[0] == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert [r[0] for r in rows[1:]] == ["0", "1"]
    make_model().fit(x, y, epochs=1, verbose=0, validation_data=(x, y),
                     callbacks=[callbacks.CSVLogger(str(path), separator=";", append=True)])
    assert len(list(csv.reader(open(path), delimiter=";"))) == 4


def test_lambda_callback_and_terminate_on_nan():
    x, y = data()
    events = []
    cb = callbacks.LambdaCallback(on_epoch_end=lambda e, logs: events.append(("epoch", e)),
                                  on_batch_end=lambda b, logs: events.append(("batch", b)))
    make_model().fit(x, y, epochs=1, batch_size=48, verbose=0, callbacks=[cb])
    assert events == [("batch", 0), ("batch", 1), ("epoch", 0)]
    bad = x.copy()
    bad[0, 0] = np.inf
    with pytest.warns(RuntimeWarning):
        h = make_model().fit(bad, y, epochs=5, batch_size=32, verbose=0, callbacks=[callbacks.TerminateOnNaN()])
    assert len(h.epoch) == 1


def test_learning_rate_scheduler_and_reduce_lr_on_plateau():
    x, y = data()
    model = make_model(lr=0.1)
    h = model.fit(x, y, epochs=3, verbose=0,
                  callbacks=[callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))])
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.05, 0.1 / 3], rtol=1e-6)
    model = make_model(lr=0.1)
    rl = callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1, min_lr=0.02)
    h = model.fit(x, y, epochs=5, verbose=0, validation_data=(x, y),
                  callbacks=[Scripted([1, 1, 1, 1, 1]), rl])
    np.testing.assert_allclose(h.history["learning_rate"], [0.1, 0.1, 0.05, 0.025, 0.02], rtol=1e-6)
    assert float(np.asarray(model.optimizer.learning_rate)) == pytest.approx(0.02)


def test_backup_and_restore_resumes_at_the_right_epoch(tmp_path):
    x, y = data()

    class Crash(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 2:
                raise KeyboardInterrupt

    reference = make_model()
    ref = reference.fit(x, y, epochs=5, verbose=0, shuffle=False)
    model = make_model()
    backup = callbacks.BackupAndRestore(str(tmp_path / "backup"))
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=5, verbose=0, shuffle=False, callbacks=[backup, Crash()])
    resumed = make_model()
    h = resumed.fit(x, y, epochs=5, verbose=0, shuffle=False, callbacks=[callbacks.BackupAndRestore(str(tmp_path / "backup"))])
    assert h.epoch == [3, 4]
    np.testing.assert_allclose(h.history["loss"], ref.history["loss"][3:], rtol=1e-5)
    for a, b in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
    assert not os.path.exists(tmp_path / "backup")


def test_tensorboard_event_files_match_history(tmp_path):
    from tests.helpers.event_files import scalars

    x, y = data()
    model = make_model()
    h = model.fit(x, y, epochs=3, verbose=0, validation_data=(x, y),
                  callbacks=[callbacks.TensorBoard(str(tmp_path), histogram_freq=1)])
    for key, run, tag in (("loss", "train", "epoch_loss"), ("accuracy", "train", "epoch_accuracy"),
                          ("val_loss", "validation", "epoch_loss"), ("val_accuracy", "validation", "epoch_accuracy")):
        events = scalars(tmp_path / run, tag)
        assert [step for step, _ in events] == [0, 1, 2]
        np.testing.assert_allclose([v for _, v in events], h.history[key], rtol=1e-6)
