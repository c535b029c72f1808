"""A custom training loop over a ``tf.data`` pipeline: ``@tf.function`` step, GradientTape, metric objects.

The pipeline decodes uint8 images with a ``map`` (replayed once per chunk of elements, not per image), keeps the
decoded images with ``cache()`` (later epochs read nothing again), shuffles with a buffer, batches and prefetches.
The step is traced once; every batch after that replays it.

    python examples/dataset_training_loop.py [--epochs 2] [--samples 60000]
"""
from __future__ import annotations

import argparse
import os
import time

import tensorlet as tf


def pipeline(images, labels, batch_size, training):
    ds = tf.data.Dataset.from_tensor_slices((images, labels))
    ds = ds.map(lambda x, y: (tf.cast(x, tf.float32) / 255.0, y), num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.cache()
    if training:
        ds = ds.shuffle(10000)
    return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 2)))
    parser.add_argument("--samples", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 60000)))
    args = parser.parse_args()

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    n_test = max(args.samples // 6, 500)
    train_ds = pipeline(x_train[:args.samples].reshape(-1, 784), y_train[:args.samples], 64, training=True)
    test_ds = pipeline(x_test[:n_test].reshape(-1, 784), y_test[:n_test], 256, training=False)

    model = tf.keras.Sequential([tf.keras.layers.Input((784,)), tf.keras.layers.Dense(128, activation="relu"),
                                 tf.keras.layers.Dense(10)])
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = tf.keras.optimizers.Adam(1e-3)
    train_loss = tf.keras.metrics.Mean(name="train_loss")
    train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
    test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")

    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            logits = model(images, training=True)
            loss = loss_fn(labels, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        train_loss(loss)
        train_accuracy(labels, logits)

    @tf.function
    def test_step(images, labels):
        test_accuracy(labels, model(images, training=False))

    for epoch in range(args.epochs):
        start = time.perf_counter()
        for metric in (train_loss, train_accuracy, test_accuracy):
            metric.reset_state()
        for images, labels in train_ds:
            train_step(images, labels)
        for images, labels in test_ds:
            test_step(images, labels)
        print(f"epoch {epoch + 1}: loss {float(train_loss.result()):.4f}, "
              f"accuracy {float(train_accuracy.result()):.4f}, test accuracy {float(test_accuracy.result()):.4f} "
              f"({time.perf_counter() - start:.1f} s)")
    print(f"traced train_step {train_step.experimental_get_tracing_count()} time(s)")


if __name__ == "__main__":
    main()
