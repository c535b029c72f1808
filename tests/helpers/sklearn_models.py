"""Model-building functions for the scikit-learn wrapper tests, importable by joblib and Dask workers."""
from __future__ import annotations

import tensorlet as tf
from tensorlet.keras import layers, models


def build_classifier(n_hidden=1, width=16, optimizer="adam"):
    m = models.Sequential()
    for _ in range(n_hidden):
        m.add(layers.Dense(width, activation="relu"))
    m.add(layers.Dense(8, activation="softmax"))
    m.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


class AdaptiveClassifierBuild:
    """A callable instance as build_fn (sparse labels, up to 10 classes)."""

    def __call__(self, hidden=32, optimizer="adam"):
        m = models.Sequential([layers.Dense(hidden, activation="relu"), layers.Dense(10, activation="softmax")])
        m.compile(optimizer=tf.keras.optimizers.Adam(0.05) if optimizer == "adam" else optimizer,
                  loss="sparse_categorical_crossentropy")
        return m


def build_regressor(hidden=32):
    m = models.Sequential([layers.Dense(hidden, activation="relu"), layers.Dense(1)])
    m.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="mse")
    return m


def keras3_model(X, y, width=8):
    """Keras 3 wrapper style: receives X and y; one-hot y gives a softmax classifier, 1-D y a regressor."""
    m = models.Sequential([layers.Input(shape=(X.shape[1],)), layers.Dense(width, activation="relu"),
                           layers.Dense(y.shape[1] if y.ndim == 2 else 1,
                                        activation="softmax" if y.ndim == 2 else None)])
    m.compile(optimizer="adam", loss="categorical_crossentropy" if y.ndim == 2 else "mse")
    return m


def mlp_for_target(X, y, loss, out_activation="softmax", hidden=(10,)):
    """The model of Keras 3's own wrapper checks: a Functional MLP whose output width follows ``y``, compiled
    with RMSprop."""
    inputs = layers.Input(shape=(X.shape[1],))
    h = inputs
    for width in hidden:
        h = layers.Dense(width, activation="relu")(h)
    outputs = layers.Dense(y.shape[1] if y.ndim > 1 else 1, activation=out_activation)(h)
    m = models.Model(inputs, [outputs])
    m.compile(loss=loss, optimizer="rmsprop")
    return m


def seeded_mlp_for_target(X, y, loss, out_activation="softmax", hidden=(10,), seed=0):
    """``mlp_for_target`` with the global seed set first, so that every fit (initial weights and shuffling)
    is reproducible."""
    tf.keras.utils.set_random_seed(seed)
    return mlp_for_target(X, y, loss, out_activation, hidden)
