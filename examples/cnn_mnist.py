"""The course's next module: a small CNN on MNIST (target: >= 98.5% test accuracy in <= 3 epochs).

    python examples/cnn_mnist.py [--epochs 3] [--samples N]
"""
from __future__ import annotations

import argparse

import tensorlet as tf
from tensorlet.keras import layers, models


def build(input_shape=(28, 28, 1)):
    model = models.Sequential([
        layers.Input(shape=input_shape),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax"),
    ], name="cnn")
    model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def main(dataset=tf.keras.datasets.mnist, default_epochs=3) -> float:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=default_epochs)
    parser.add_argument("--samples", type=int, default=0)
    args = parser.parse_args()
    tf.keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = dataset.load_data()
    if args.samples:
        x_train, y_train = x_train[:args.samples], y_train[:args.samples]
    x_train = x_train.reshape(-1, 28, 28, 1).astype("float32") / 255.0
    x_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255.0
    model = build()
    model.summary()
    model.fit(x_train, y_train, epochs=args.epochs, batch_size=64, validation_split=0.1, verbose=2)
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"Test accuracy: {accuracy:.4f}")
    return accuracy


if __name__ == "__main__":
    main()
