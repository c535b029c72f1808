"""A model or a tape used from several threads: each thread sees only its own ops, and plans stay right."""
from __future__ import annotations

import threading

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models


def _together(fns: list, timeout: float = 60.0) -> list:
    """Run the functions in threads released at the same moment; return their results (re-raising errors)."""
    go = threading.Barrier(len(fns))
    results: list = [None] * len(fns)
    errors: list = []

    def run(i: int) -> None:
        try:
            go.wait()
            results[i] = fns[i]()
        except BaseException as e:  # noqa: BLE001 - re-raised in the main thread
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(fns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if errors:
        raise errors[0]
    return results


def _lstm() -> models.Model:
    return models.Sequential([layers.Input(shape=(7, 3)), layers.LSTM(8), layers.Dense(2)])


def _cnn() -> models.Model:
    return models.Sequential([layers.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3), layers.MaxPooling2D(),
                              layers.Flatten(), layers.Dense(3)])


@pytest.mark.parametrize("build,shape", [(_lstm, (7, 3)), (_cnn, (8, 8, 1))])
@pytest.mark.parametrize("method", ["predict", "evaluate"])
def test_first_calls_from_two_threads_leave_the_model_right(build, shape, method):
    rng = np.random.default_rng(0)
    for _ in range(8):
        m = build()
        m.compile(loss="mse")
        ref = models.clone_model(m)
        ref.set_weights(m.get_weights())
        ref.compile(loss="mse")
        x = rng.random((100,) + shape).astype("float32")
        y = rng.random((100, m.output_shape[-1])).astype("float32")
        if method == "predict":
            outs = _together([lambda m=m, x=x: m.predict(x, batch_size=32, verbose=0)] * 2)
            expected = ref.predict(x, batch_size=32, verbose=0)
            for out in outs:
                np.testing.assert_array_equal(out, expected)
        else:
            outs = _together([lambda m=m, x=x, y=y: m.evaluate(x, y, batch_size=32, verbose=0)] * 2)
            expected = ref.evaluate(x, y, batch_size=32, verbose=0)
            for out in outs:
                assert out == pytest.approx(expected, rel=1e-6)
        # and every later single-threaded call is right too (the cached plan was not corrupted)
        np.testing.assert_array_equal(m.predict(x, batch_size=32, verbose=0),
                                      ref.predict(x, batch_size=32, verbose=0))


def test_gradient_tapes_in_two_threads_record_only_their_own_ops():
    def work(scale: float) -> tuple:
        w = tf.Variable(np.full((3,), scale, "float32"))
        with tf.GradientTape() as tape:
            loss = tf.constant(0.0)
            for _ in range(200):  # many small ops, interleaved with the other thread's
                loss = loss + tf.reduce_sum(w * w)
        return tape.gradient(loss, w).numpy(), len(tape._records)

    results = _together([lambda: work(1.0), lambda: work(2.0)])
    np.testing.assert_allclose(results[0][0], np.full(3, 400.0))
    np.testing.assert_allclose(results[1][0], np.full(3, 800.0))
    assert results[0][1] == results[1][1]  # neither tape holds the other thread's records


def test_a_tape_in_one_thread_does_not_watch_variables_read_in_another():
    started, done = threading.Event(), threading.Event()
    w_other = tf.Variable([1.0, 2.0])

    def other() -> None:
        started.wait()
        for _ in range(50):
            _ = w_other * 3.0
        done.set()

    t = threading.Thread(target=other)
    t.start()
    w = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        started.set()
        done.wait(10)
        y = w * 2.0
    t.join()
    assert [v.name for v in tape.watched_variables()] == [w.name]
    assert float(tape.gradient(y, w)) == 2.0


def test_training_and_predicting_from_two_threads_raises_nothing_and_stays_finite():
    m = _lstm()
    m.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(1).random((64, 7, 3)).astype("float32")
    y = np.zeros((64, 2), "float32")
    _together([lambda: m.fit(x, y, epochs=2, batch_size=16, verbose=0),
               lambda: [m.predict(x, batch_size=16, verbose=0) for _ in range(3)]])
    assert np.isfinite(m.predict(x, verbose=0)).all()
