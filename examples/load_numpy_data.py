"""TensorFlow's "load NumPy data" pattern: arrays from an ``.npz`` file become a ``tf.data.Dataset`` with
``from_tensor_slices``, shuffled and batched, and ``fit``/``evaluate`` take the datasets.

    python examples/load_numpy_data.py [--epochs 3] [--samples 60000]

The MNIST arrays come from ``tf.keras.datasets.mnist`` (``TENSORLET_DATASETS_MIRROR`` points at an offline copy).
"""
from __future__ import annotations

import argparse
import os

import tensorlet as tf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 3)))
    parser.add_argument("--samples", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 60000)))
    args = parser.parse_args()

    (train_examples, train_labels), (test_examples, test_labels) = tf.keras.datasets.mnist.load_data()
    train_examples, train_labels = train_examples[:args.samples], train_labels[:args.samples]
    n_test = max(args.samples // 6, 500)
    test_examples, test_labels = test_examples[:n_test], test_labels[:n_test]

    train_dataset = tf.data.Dataset.from_tensor_slices((train_examples, train_labels))
    test_dataset = tf.data.Dataset.from_tensor_slices((test_examples, test_labels))
    print("element_spec:", train_dataset.element_spec)

    batch_size, shuffle_buffer_size = 64, 100
    train_dataset = train_dataset.shuffle(shuffle_buffer_size).batch(batch_size)
    test_dataset = test_dataset.batch(batch_size)

    model = tf.keras.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Rescaling(1 / 255.0),
        tf.keras.layers.Dense(128, activation="relu"),
        tf.keras.layers.Dense(10),
    ])
    model.compile(optimizer=tf.keras.optimizers.RMSprop(),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["sparse_categorical_accuracy"])
    model.fit(train_dataset, epochs=args.epochs, verbose=2)
    loss, accuracy = model.evaluate(test_dataset, verbose=0)
    print(f"test loss {loss:.4f}, test accuracy {accuracy:.4f} on {len(test_examples)} images "
          f"({len(test_dataset)} batches)")


if __name__ == "__main__":
    main()
