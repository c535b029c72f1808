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


def test_predict_with_hundreds_of_batch_sizes_keeps_memory_bounded():
    from tensorlet.keras import layers, models

    model = models.Sequential([layers.Input(shape=(256,)), layers.Dense(512, activation="relu"),
                               layers.Dense(512, activation="relu"), layers.Dense(10)])
    x = np.random.default_rng(0).random((1000, 256)).astype("float32")
    for n in range(700, 750):  # warm up: allocator pools, first traces
        model.predict(x[:n], batch_size=n, verbose=0)
    gc.collect()
    before = rss_mib()
    for n in range(750, 1000):  # 250 more distinct sizes, each a new plan for its full batch
        model.predict(x[:n], batch_size=n, verbose=0)
    gc.collect()
    growth = rss_mib() - before
    assert len(model._runner.plans) <= 4
    assert growth < 60, f"RSS grew by {growth:.1f} MiB over 250 batch sizes"  # one plan per size: >1 GiB


def test_predict_pads_the_last_short_batch_instead_of_tracing_it():
    from tensorlet.keras import layers, models

    model = models.Sequential([layers.Input(shape=(6,)), layers.Dense(5, activation="tanh"), layers.Dense(2)])
    x = np.random.default_rng(1).random((1000, 6)).astype("float32")
    expected = model(x).numpy()
    for n in range(1, 200, 7):  # every last batch differs in length
        np.testing.assert_allclose(model.predict(x[:n], batch_size=32, verbose=0), expected[:n], rtol=1e-6,
                                   atol=1e-7)
    assert [k[1][0][0][0] for k, _ in model._runner.plans.items()] == [32]


def test_predict_does_not_pad_a_model_whose_rows_see_each_other():
    import tensorlet as tf
    from tensorlet.keras import layers, models

    centre = layers.Lambda(lambda t: t - tf.reduce_mean(t, axis=0, keepdims=True))
    model = models.Sequential([layers.Input(shape=(3,)), centre])
    x = np.random.default_rng(2).random((40, 3)).astype("float32")
    out = model.predict(x, batch_size=32, verbose=0)
    np.testing.assert_allclose(out[32:], x[32:] - x[32:].mean(axis=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out[:32], x[:32] - x[:32].mean(axis=0), rtol=1e-5, atol=1e-6)
