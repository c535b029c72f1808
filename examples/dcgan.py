"""TensorFlow's DCGAN tutorial on MNIST: a generator and a discriminator trained together, each with its own Adam
optimizer, in a @tf.function step over two GradientTapes.

    python examples/dcgan.py [--epochs 5] [--samples 60000] [--plot images.png]
"""
from __future__ import annotations

import argparse
import os

import numpy as np

import tensorlet as tf
from tensorlet.keras import layers

BATCH_SIZE = 64
NOISE_DIM = 100


def make_generator_model():
    model = tf.keras.Sequential()
    model.add(layers.Dense(7 * 7 * 256, use_bias=False, input_shape=(100,)))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Reshape((7, 7, 256)))
    model.add(layers.Conv2DTranspose(128, (5, 5), strides=(1, 1), padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding="same", use_bias=False))
    model.add(layers.BatchNormalization())
    model.add(layers.LeakyReLU())
    model.add(layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding="same", use_bias=False, activation="tanh"))
    return model


def make_discriminator_model():
    model = tf.keras.Sequential()
    model.add(layers.Conv2D(64, (5, 5), strides=(2, 2), padding="same", input_shape=[28, 28, 1]))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Conv2D(128, (5, 5), strides=(2, 2), padding="same"))
    model.add(layers.LeakyReLU())
    model.add(layers.Dropout(0.3))
    model.add(layers.Flatten())
    model.add(layers.Dense(1))
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 5)))
    parser.add_argument("--samples", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 60000)))
    parser.add_argument("--plot", default=None)
    args = parser.parse_args()
    (train_images, _), (_, _) = tf.keras.datasets.mnist.load_data()
    train_images = train_images[:args.samples].reshape(-1, 28, 28, 1).astype("float32")
    train_images = (train_images - 127.5) / 127.5

    generator, discriminator = make_generator_model(), make_discriminator_model()
    cross_entropy = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    generator_optimizer = tf.keras.optimizers.Adam(1e-4)
    discriminator_optimizer = tf.keras.optimizers.Adam(1e-4)

    def discriminator_loss(real_output, fake_output):
        return cross_entropy(tf.ones_like(real_output), real_output) + \
            cross_entropy(tf.zeros_like(fake_output), fake_output)

    def generator_loss(fake_output):
        return cross_entropy(tf.ones_like(fake_output), fake_output)

    @tf.function
    def train_step(images):
        noise = tf.random.normal([BATCH_SIZE, NOISE_DIM])
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated_images = generator(noise, training=True)
            real_output = discriminator(images, training=True)
            fake_output = discriminator(generated_images, training=True)
            gen_loss = generator_loss(fake_output)
            disc_loss = discriminator_loss(real_output, fake_output)
        gradients_of_generator = gen_tape.gradient(gen_loss, generator.trainable_variables)
        gradients_of_discriminator = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
        generator_optimizer.apply_gradients(zip(gradients_of_generator, generator.trainable_variables))
        discriminator_optimizer.apply_gradients(zip(gradients_of_discriminator, discriminator.trainable_variables))
        return gen_loss, disc_loss

    rng = np.random.default_rng(0)
    for epoch in range(args.epochs):
        order = rng.permutation(len(train_images))
        losses = [train_step(train_images[order[s:s + BATCH_SIZE]])
                  for s in range(0, len(order) - BATCH_SIZE + 1, BATCH_SIZE)]
        g, d = np.mean([float(a) for a, _ in losses]), np.mean([float(b) for _, b in losses])
        print(f"epoch {epoch + 1}: generator loss {g:.4f}, discriminator loss {d:.4f}")
    print(f"traced train_step {train_step.experimental_get_tracing_count()} time(s)")
    if args.plot:
        import matplotlib.pyplot as plt

        images = generator(tf.random.normal([16, NOISE_DIM]), training=False).numpy()
        fig = plt.figure(figsize=(4, 4))
        for i in range(16):
            plt.subplot(4, 4, i + 1)
            plt.imshow(images[i, :, :, 0] * 127.5 + 127.5, cmap="gray")
            plt.axis("off")
        fig.savefig(args.plot)


if __name__ == "__main__":
    main()
