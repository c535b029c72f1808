"""tf.function with datasets: input_signature and reduce_retracing over batches of varying size, and datasets
iterated inside a traced function."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def batches():
    x = np.arange(50, dtype=np.float32).reshape(25, 2)
    return tf.data.Dataset.from_tensor_slices((x, np.arange(25))).batch(8)  # 8, 8, 8, 1


def test_input_signature_traces_once_for_every_batch_size():
    @tf.function(input_signature=[tf.TensorSpec((None, 2), tf.float32), tf.TensorSpec((None,), tf.int64)])
    def step(x, y):
        return tf.reduce_sum(x, axis=1) + tf.cast(y, tf.float32)

    out = [step(x, y).numpy() for x, y in batches()]
    assert [len(o) for o in out] == [8, 8, 8, 1] and step.experimental_get_tracing_count() == 1
    assert out[0][1] == 2 + 3 + 1
    with pytest.raises(ValueError, match="input_signature"):
        step(tf.zeros((3, 5)), tf.zeros((3,), tf.int64))


def test_reduce_retracing_relaxes_the_batch_dimension():
    @tf.function(reduce_retracing=True)
    def total(x):
        return tf.reduce_sum(x * 2.0)

    sums = [float(total(x)) for x, _ in batches()]
    assert sums[-1] == 2 * (48 + 49) and total.experimental_get_tracing_count() == 1


def test_a_training_loop_over_a_dataset_inside_tf_function_runs_eagerly_and_correctly():
    w = tf.Variable(0.0)
    ds = tf.data.Dataset.from_tensor_slices(np.ones(10, np.float32)).batch(3)

    @tf.function
    def epoch(dataset):
        for x in dataset:
            w.assign_add(tf.reduce_sum(x))
        return w

    with pytest.warns(UserWarning, match="runs eagerly: a tf.data.Dataset is iterated inside it"):
        assert float(epoch(ds)) == 10.0
    assert float(epoch(ds)) == 20.0  # a second call iterates the dataset again


def test_a_traced_step_called_from_a_loop_over_a_dataset_traces_once():
    model = tf.keras.Sequential([tf.keras.layers.Input((2,)), tf.keras.layers.Dense(1)])
    opt = tf.keras.optimizers.SGD(0.01)

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(x)[:, 0] - tf.cast(y, tf.float32)) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    data = np.random.default_rng(0).random((64, 2)).astype("float32")
    ds = tf.data.Dataset.from_tensor_slices((data, np.arange(64) % 3)).batch(16)
    epochs = [np.mean([float(train_step(x, y)) for x, y in ds]) for _ in range(3)]  # same batches each epoch
    assert train_step.experimental_get_tracing_count() == 1
    assert epochs[2] < epochs[1] < epochs[0]
