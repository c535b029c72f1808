"""Accuracy parity with Keras (issue 4), a slow test: the handout MLP on Fashion-MNIST, split 45k/15k with
train_test_split(random_state=42), inputs in [-1, 1], batch 64, 3 epochs, median of 3 seeds. Keras' validation
accuracy measured on this machine (tensorflow 2.21): 0.764 with SGD(0.001), 0.866 with Adam(1e-3); tensorlet must
land within 1.5 points."""
from __future__ import annotations

import statistics
from pathlib import Path

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models

DEBIAN = Path("/usr/share/datasets/fashion-mnist")


def run(optimizer, seed, x, y, xv, yv):
    tf.keras.utils.set_random_seed(seed)
    m = models.Sequential([layers.Input(shape=(28, 28, 1)), layers.Flatten(), layers.Dense(256),
                           layers.Activation("relu"), layers.Dense(256), layers.Activation("relu"),
                           layers.Dense(128), layers.Activation("relu"), layers.Dense(10),
                           layers.Activation("softmax")])
    m.compile(loss="sparse_categorical_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    h = m.fit(x, y, epochs=3, batch_size=64, validation_data=(xv, yv), verbose=0)
    return h.history["val_accuracy"][-1]


@pytest.mark.slow
@pytest.mark.skipif(not DEBIAN.exists(), reason="apt-get install dataset-fashion-mnist")
@pytest.mark.parametrize("name,reference", [("sgd", 0.764), ("adam", 0.866)])
def test_fashion_mnist_accuracy_within_keras_band(name, reference, tmp_path, monkeypatch):
    sklearn = pytest.importorskip("sklearn.model_selection")
    monkeypatch.setenv("TENSORLET_HOME", str(tmp_path))
    (x, y), _ = tf.keras.datasets.fashion_mnist.load_data()
    x = (x.reshape(-1, 28, 28, 1).astype("float32") - 127.5) / 127.5
    x, xv, y, yv = sklearn.train_test_split(x, y, random_state=42)
    accs = []
    for seed in (0, 1, 2):
        opt = tf.keras.optimizers.SGD(0.001) if name == "sgd" else tf.keras.optimizers.Adam(1e-3)
        accs.append(run(opt, seed, x, y, xv, yv))
    median = statistics.median(accs)
    print(f"{name}: validation accuracies {np.round(accs, 4).tolist()}, median {median:.4f} (Keras {reference})")
    assert abs(median - reference) <= 0.015
