"""TensorFlow's "quickstart for experts" on MNIST, written as the tutorial writes it: a subclassed model, a
GradientTape training step under @tf.function, and Keras metric objects.

    python examples/quickstart_experts.py [--epochs 2] [--samples 60000]

Only the import differs from the tutorial (and tf.data, for which this example batches NumPy arrays itself).
"""
from __future__ import annotations

import argparse
import os

import numpy as np

import tensorlet as tf
from tensorlet.keras.layers import Conv2D, Dense, Flatten


class MyModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.conv1 = Conv2D(32, 3, activation="relu")
        self.flatten = Flatten()
        self.d1 = Dense(128, activation="relu")
        self.d2 = Dense(10)

    def call(self, x):
        x = self.conv1(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)


def batches(x, y, size, rng):
    order = rng.permutation(len(x))
    for s in range(0, len(x), size):
        idx = order[s:s + size]
        yield x[idx], y[idx]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 5)))
    parser.add_argument("--samples", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 60000)))
    args = parser.parse_args()
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    x_train, x_test = x_train[:args.samples] / 255.0, x_test[:max(args.samples // 6, 100)] / 255.0
    y_train, y_test = y_train[:args.samples], y_test[:max(args.samples // 6, 100)]
    x_train = x_train[..., tf.newaxis].astype("float32")
    x_test = x_test[..., tf.newaxis].astype("float32")

    model = MyModel()
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = tf.keras.optimizers.Adam()
    train_loss = tf.keras.metrics.Mean(name="train_loss")
    train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
    test_loss = tf.keras.metrics.Mean(name="test_loss")
    test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")

    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            predictions = model(images, training=True)
            loss = loss_object(labels, predictions)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        train_loss(loss)
        train_accuracy(labels, predictions)

    @tf.function
    def test_step(images, labels):
        predictions = model(images, training=False)
        t_loss = loss_object(labels, predictions)
        test_loss(t_loss)
        test_accuracy(labels, predictions)

    rng = np.random.default_rng(0)
    for epoch in range(args.epochs):
        train_loss.reset_states()
        train_accuracy.reset_states()
        test_loss.reset_states()
        test_accuracy.reset_states()
        for images, labels in batches(x_train, y_train, 32, rng):
            train_step(images, labels)
        for images, labels in batches(x_test, y_test, 32, rng):
            test_step(images, labels)
        print(f"Epoch {epoch + 1}, Loss: {train_loss.result():.4f}, Accuracy: {train_accuracy.result() * 100:.2f}, "
              f"Test Loss: {test_loss.result():.4f}, Test Accuracy: {test_accuracy.result() * 100:.2f}")
    print(f"traced train_step {train_step.experimental_get_tracing_count()} time(s)")


if __name__ == "__main__":
    main()
