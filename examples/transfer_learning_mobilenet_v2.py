"""Transfer learning with MobileNetV2, as the TensorFlow tutorial does it: a frozen ImageNet base and a new head,
then the top 20 layers unfrozen and fine-tuned at a lower learning rate.

The images are generated (two classes of 96x96 pictures: stripes running across, or running down, under noise
and random brightness), so the script needs no download besides the weights:

    python examples/transfer_learning_mobilenet_v2.py [--weights imagenet|none] [--epochs 3] [--samples 400]

``--weights imagenet`` (the default) fetches Keras' official file
``mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5`` once (or reads it from
``$TENSORLET_DATASETS_MIRROR``); ``--weights none`` starts from random weights (what the tests run).
"""
from __future__ import annotations

import argparse
import os

import numpy as np

import tensorlet as tf

keras = tf.keras
SIZE = 96


def make_images(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n RGB images in [0, 255]: label 0 has horizontal stripes, label 1 vertical ones."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    period = rng.integers(6, 16, n)[:, None]
    phase = rng.uniform(0, 2 * np.pi, n)[:, None]
    t = np.arange(SIZE)[None, :]
    wave = 0.5 + 0.5 * np.sin(2 * np.pi * t / period + phase)  # (n, SIZE)
    stripes = np.where(labels[:, None, None] == 0, wave[:, :, None], wave[:, None, :])  # (n, SIZE, SIZE)
    colour = rng.uniform(0.3, 1.0, (n, 1, 1, 3))
    images = stripes[..., None] * colour * 200 + rng.normal(0, 25, (n, SIZE, SIZE, 3)) + 25
    return np.clip(images, 0, 255).astype("float32"), labels.astype("float32")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default=os.environ.get("TENSORLET_EXAMPLE_WEIGHTS", "imagenet"))
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 3)))
    parser.add_argument("--samples", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 400)))
    args = parser.parse_args()
    tf.random.set_seed(0)
    x_train, y_train = make_images(args.samples, seed=1)
    x_val, y_val = make_images(max(args.samples // 4, 16), seed=2)

    weights = None if args.weights.lower() == "none" else args.weights
    base = keras.applications.MobileNetV2(input_shape=(SIZE, SIZE, 3), alpha=0.35, include_top=False,
                                          weights=weights)
    base.trainable = False  # feature extraction: the base's weights and batch statistics stay as they are

    inputs = keras.Input((SIZE, SIZE, 3))
    x = keras.applications.mobilenet_v2.preprocess_input(inputs)
    x = base(x, training=False)  # inference-mode batch normalization, also once the base is unfrozen
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dropout(0.2)(x)
    outputs = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)

    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])
    model.summary()
    history = model.fit(x_train, y_train, epochs=args.epochs, batch_size=32, validation_data=(x_val, y_val))
    print(f"head only: validation accuracy {history.history['val_binary_accuracy'][-1]:.3f}")

    base.trainable = True
    for layer in base.layers[:-20]:  # fine-tune the top 20 layers only
        layer.trainable = False
    model.compile(optimizer=keras.optimizers.RMSprop(1e-4), loss=keras.losses.BinaryCrossentropy(from_logits=True),
                  metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)])
    model.summary()
    history = model.fit(x_train, y_train, epochs=2 * args.epochs, initial_epoch=args.epochs, batch_size=32,
                        validation_data=(x_val, y_val))
    print(f"fine-tuned: validation accuracy {history.history['val_binary_accuracy'][-1]:.3f}")


if __name__ == "__main__":
    main()
