"""BackupAndRestore: a run resumed after a crash applies each batch once, and with the same seed ends with the
same weights as a run that was never interrupted, bit for bit, with shuffling and random layers."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import callbacks, layers, models, utils


class Crash(callbacks.Callback):
    """Raise at the end of batch ``batch`` of epoch ``epoch`` (after the callbacks listed before it ran)."""

    def __init__(self, epoch, batch):
        super().__init__()
        self.at, self.epoch = (epoch, batch), -1

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            raise KeyboardInterrupt("simulated crash")


def data(n=64):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 6)).astype("float32")
    return x, (x[:, 0] + x[:, 1] > 0).astype(int)


def build(seeded_layers: bool):
    utils.set_random_seed(7)  # what the training script does first, in every run
    seed = {"seed": 3} if seeded_layers else {}
    m = models.Sequential([layers.Input(shape=(6,)), layers.Dense(16, activation="relu"),
                           layers.Dropout(0.3, **seed), layers.GaussianNoise(0.1, **seed),
                           layers.Dense(2, activation="softmax")])
    m.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    return m


def fit(model, extra=(), **kwargs):
    x, y = data()
    return model.fit(x, y, epochs=3, batch_size=8, verbose=0, callbacks=list(extra), **kwargs)


@pytest.mark.parametrize("save_freq, crash_at", [(3, (1, 5)), (4, (1, 3)), ("epoch", (2, 2)), (1, (0, 7))])
@pytest.mark.parametrize("seeded_layers", [False, True])
@pytest.mark.parametrize("shuffle", [True, "batch"])
def test_a_resumed_run_is_bit_identical_to_an_uninterrupted_one(tmp_path, save_freq, crash_at, seeded_layers,
                                                                 shuffle):
    reference = build(seeded_layers)
    fit(reference, shuffle=shuffle)
    backup = tmp_path / "backup"
    model = build(seeded_layers)
    with pytest.raises(KeyboardInterrupt):
        fit(model, [callbacks.BackupAndRestore(backup, save_freq=save_freq), Crash(*crash_at)], shuffle=shuffle)
    resumed = build(seeded_layers)
    fit(resumed, [callbacks.BackupAndRestore(backup, save_freq=save_freq)], shuffle=shuffle)
    assert int(resumed.optimizer.iterations) == int(reference.optimizer.iterations) == 24
    for a, b in zip(resumed.get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not os.path.exists(backup)


def test_save_freq_resumes_at_the_batch_after_the_backup(tmp_path):
    """8 batches an epoch; a backup every 3; a crash after batch 5 of epoch 1 (the backup after batch 3 of epoch 1
    is the last): the resumed run starts at batch 4 of epoch 1, so every batch is applied once."""
    seen = []

    class Record(callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_begin(self, batch, logs=None):
            seen.append((self.epoch, batch))

    model = build(False)
    with pytest.raises(KeyboardInterrupt):
        fit(model, [callbacks.BackupAndRestore(tmp_path, save_freq=3), Crash(1, 5)], shuffle=False)
    seen.clear()
    resumed = build(False)
    history = fit(resumed, [callbacks.BackupAndRestore(tmp_path, save_freq=3), Record()], shuffle=False)
    assert seen == [(1, b) for b in range(4, 8)] + [(2, b) for b in range(8)]
    assert history.epoch == [1, 2]
    assert int(resumed.optimizer.iterations) == 24


def test_a_backup_of_another_model_is_refused(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        fit(build(True), [callbacks.BackupAndRestore(tmp_path, save_freq=2), Crash(0, 3)])
    other = models.Sequential([layers.Input(shape=(6,)), layers.Dense(16, activation="relu"),
                               layers.Dense(2, activation="softmax")])
    other.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="different model"):
        fit(other, [callbacks.BackupAndRestore(tmp_path, save_freq=2)])


@pytest.mark.parametrize("save_freq", [0, -3, 2.5, "batch", True])
def test_save_freq_must_be_epoch_or_a_positive_count(tmp_path, save_freq):
    with pytest.raises(ValueError, match=r"save_freq must be 'epoch' or a positive number of batches"):
        callbacks.BackupAndRestore(tmp_path, save_freq=save_freq)


_SCRIPT = """
import sys, time
import numpy as np
import tensorlet as tf
from tensorlet.keras import callbacks, layers, models, utils

utils.set_random_seed(7)
m = models.Sequential([layers.Input(shape=(6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                       layers.Dense(2, activation="softmax")])
m.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
rng = np.random.default_rng(0)
x = rng.standard_normal((64, 6)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype(int)

class Slow(callbacks.Callback):
    def on_train_begin(self, logs=None):
        print("ready", flush=True)
    def on_train_batch_end(self, batch, logs=None):
        time.sleep(0.02)

cbs = [callbacks.BackupAndRestore(sys.argv[1], save_freq=3)] if sys.argv[1] != "-" else []
m.fit(x, y, epochs=int(sys.argv[3]), batch_size=8, verbose=0, shuffle=True, callbacks=cbs + [Slow()])
np.savez(sys.argv[2], *m.get_weights())
"""


def killed_and_resumed(tmp_path, kills: int, seed: int, epochs: int = 6, window: float = 0.8) -> tuple[int, int]:
    """Train in a subprocess, SIGKILL it up to ``kills`` times at random moments within ``window`` seconds of
    the start of training, resume until it completes; compare with an uninterrupted run. Returns (kills that
    landed during training, runs needed)."""
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = tmp_path / "train.py"
    script.write_text(_SCRIPT)
    subprocess.run([sys.executable, str(script), "-", str(tmp_path / "reference.npz"), str(epochs)], cwd=root,
                   check=True, stdout=subprocess.DEVNULL)
    rng = np.random.default_rng(seed)
    backup, out = tmp_path / "backup", tmp_path / "resumed.npz"
    landed, runs = 0, 0
    while True:
        runs += 1
        p = subprocess.Popen([sys.executable, str(script), str(backup), str(out), str(epochs)], cwd=root,
                             stdout=subprocess.PIPE)
        assert p.stdout is not None
        p.stdout.readline()  # training has begun
        if landed < kills:
            time.sleep(float(rng.uniform(0.0, window)))
            p.send_signal(signal.SIGKILL)
        p.wait(timeout=300)
        p.stdout.close()
        if p.returncode == 0:
            break
        landed += 1
    with np.load(tmp_path / "reference.npz") as ref, np.load(out) as got:
        for key in ref.files:
            np.testing.assert_array_equal(got[key], ref[key])
    return landed, runs


def test_sigkilled_training_resumes_to_the_same_weights(tmp_path):
    landed, _ = killed_and_resumed(tmp_path, kills=2, seed=0)
    assert landed >= 1


@pytest.mark.slow
def test_many_sigkills_still_resume_to_the_same_weights(tmp_path):
    landed, runs = killed_and_resumed(tmp_path, kills=int(os.environ.get("TENSORLET_CRASH_TRIALS", "30")), seed=1,
                                      epochs=60, window=0.3)
    print(f"\n{landed} SIGKILLs landed during training; {runs} runs to complete; final weights bit-identical")
