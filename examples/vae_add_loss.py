"""A variational autoencoder on MNIST whose KL term is an ``add_loss`` inside a sampling layer, trained with
``fit`` (Keras 2's idiom in Géron's and Chollet's books).

    python examples/vae_add_loss.py [--epochs 5] [--samples 60000]
"""
from __future__ import annotations

import argparse
import os

import numpy as np

import tensorlet as tf
from tensorlet import keras
from tensorlet.keras import layers


class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * eps, and the KL divergence to N(0, 1) as an added loss."""

    def call(self, inputs):
        mean, log_var = inputs
        kl = -0.5 * tf.reduce_sum(1 + log_var - tf.square(mean) - tf.exp(log_var), axis=-1)
        self.add_loss(tf.reduce_mean(kl) / 784.0)
        return mean + tf.exp(log_var / 2) * tf.random.normal(tf.shape(log_var))


def build(latent_dim: int = 2) -> keras.Model:
    inputs = layers.Input(shape=(28, 28))
    z = layers.Flatten()(inputs)
    z = layers.Dense(150, activation="relu")(z)
    z = layers.Dense(100, activation="relu")(z)
    mean = layers.Dense(latent_dim)(z)
    log_var = layers.Dense(latent_dim)(z)
    codings = Sampling()([mean, log_var])
    x = layers.Dense(100, activation="relu")(codings)
    x = layers.Dense(150, activation="relu")(x)
    x = layers.Dense(784, activation="sigmoid")(x)
    outputs = layers.Reshape((28, 28))(x)
    return keras.Model(inputs=inputs, outputs=outputs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 5)))
    parser.add_argument("--samples", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 60000)))
    args = parser.parse_args()
    (x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
    x_train = (x_train[:args.samples] / 255.0).astype("float32")
    x_test = (x_test[:max(args.samples // 6, 100)] / 255.0).astype("float32")
    vae = build()
    vae.compile(loss="binary_crossentropy", optimizer="nadam")
    history = vae.fit(x_train, x_train, epochs=args.epochs, batch_size=128, validation_data=(x_test, x_test),
                      verbose=2)
    print(f"KL terms per batch: {len(vae.losses)}; final loss {history.history['loss'][-1]:.4f}, "
          f"val_loss {history.history['val_loss'][-1]:.4f}")
    recon = vae.predict(x_test[:8], verbose=0)
    print(f"reconstruction error on 8 test digits: {float(np.mean((recon - x_test[:8]) ** 2)):.4f}")


if __name__ == "__main__":
    main()
