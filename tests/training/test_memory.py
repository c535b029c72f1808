"""Nothing grows across epochs or repeated fit() calls (issue 9): 50 fits, bounded RSS, one plan per shape."""
from __future__ import annotations

import gc

import numpy as np

import tensorlet as tf
from tensorlet.keras import layers, models


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_fifty_fits_do_not_grow_memory_or_plans():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((512, 64)).astype("float32")
    y = rng.integers(0, 10, 512)
    model = models.Sequential([layers.Input(shape=(64,)), layers.Dense(128, activation="relu"), layers.Dropout(0.1),
                               layers.Dense(10, activation="softmax")])
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=64, verbose=0, validation_split=0.2)
    gc.collect()
    before = rss_mib()
    for _ in range(50):
        model.fit(x, y, epochs=1, batch_size=64, verbose=0, validation_split=0.2)
        model.evaluate(x, y, verbose=0)
        model.predict(x, verbose=0)
    gc.collect()
    growth = rss_mib() - before
    assert growth < 20, f"RSS grew by {growth:.1f} MiB over 50 fits"
    assert len(model._runner.plans) <= 6  # train/test/predict x (full batch, last partial batch)
