"""Custom training loops (issue 21): tensorlet's ``tf.function`` against real TensorFlow and PyTorch, one run.

Workloads, each timed per epoch (median of ``--repeats``, systems alternated within a repeat, after a warm-up):
- quickstart  TensorFlow's "quickstart for experts": a subclassed model (Conv2D(32, 3, relu), Flatten,
              Dense(128, relu), Dense(10)), GradientTape, Adam, ``@tf.function`` step, Mean and
              SparseCategoricalAccuracy metric objects; MNIST, batch 32, ``--samples`` images per epoch
- w1-loop     the W1 MLP (784-256-256-128-10, SGD 0.001, batch 64) in a ``@tf.function`` GradientTape loop,
              against tensorlet's own ``fit`` of the same model
- dcgan       one epoch of DCGAN steps on 28x28 images (TensorFlow's DCGAN tutorial models, batch 64, two Adam
              optimizers, ``--gan-samples`` images)

All systems get the same NumPy batches (no tf.data), so the loops differ only in the framework.

    python benchmarks/custom_training.py [--repeats 3] [--only quickstart,w1-loop,dcgan]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from suite import fashion, have, tl_mlp  # noqa: E402

MNIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "datasets", "mnist.npz")


def mnist(n: int) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(MNIST) as f:
            x, y = f["x_train"][:n], f["y_train"][:n]
    except OSError:
        rng = np.random.default_rng(0)
        x, y = rng.integers(0, 256, (n, 28, 28)).astype(np.uint8), rng.integers(0, 10, n)
    return (x / 255.0).astype(np.float32)[..., None], y.astype(np.int64)


def batches(n: int, bs: int, seed: int) -> list[np.ndarray]:
    perm = np.random.default_rng(seed).permutation(n)
    return [perm[s:s + bs] for s in range(0, n - bs + 1, bs)]


# -- quickstart ------------------------------------------------------------------------------------------------
def quickstart_keras_like(tf: Any) -> Callable[[np.ndarray, np.ndarray], None]:
    """The tutorial's code, for ``tf`` = tensorlet or tensorflow."""
    class MyModel(tf.keras.Model):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = tf.keras.layers.Conv2D(32, 3, activation="relu")
            self.flatten = tf.keras.layers.Flatten()
            self.d1 = tf.keras.layers.Dense(128, activation="relu")
            self.d2 = tf.keras.layers.Dense(10)

        def call(self, x: Any) -> Any:
            return self.d2(self.d1(self.flatten(self.conv1(x))))

    model = MyModel()
    loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = tf.keras.optimizers.Adam()
    train_loss = tf.keras.metrics.Mean(name="train_loss")
    train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")

    @tf.function
    def train_step(images: Any, labels: Any) -> None:
        with tf.GradientTape() as tape:
            predictions = model(images, training=True)
            loss = loss_object(labels, predictions)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        train_loss(loss)
        train_accuracy(labels, predictions)

    def epoch(x: np.ndarray, y: np.ndarray) -> None:
        train_loss.reset_states() if hasattr(train_loss, "reset_states") else train_loss.reset_state()
        train_accuracy.reset_state()
        for idx in batches(len(x), 32, 0):
            train_step(x[idx], y[idx])
        float(train_loss.result())

    return epoch


def quickstart_torch() -> Callable[[np.ndarray, np.ndarray], None]:
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                              torch.nn.Linear(26 * 26 * 32, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    lossf = torch.nn.CrossEntropyLoss()

    def epoch(x: np.ndarray, y: np.ndarray) -> None:
        xt, yt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy()), torch.from_numpy(y)
        total, correct, n = 0.0, 0, 0
        for idx in batches(len(x), 32, 0):
            ti = torch.from_numpy(idx)
            opt.zero_grad()
            out = net(xt[ti])
            loss = lossf(out, yt[ti])
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
            correct += int((out.argmax(1) == yt[ti]).sum())
            n += len(idx)

    return epoch


# -- W1 in a tf.function loop ------------------------------------------------------------------------------------
def w1_loop(tf: Any, model: Any) -> Callable[[np.ndarray, np.ndarray], None]:
    opt = tf.keras.optimizers.SGD(0.001)
    lossf = tf.keras.losses.SparseCategoricalCrossentropy()

    @tf.function
    def step(xb: Any, yb: Any) -> Any:
        with tf.GradientTape() as tape:
            loss = lossf(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    def epoch(x: np.ndarray, y: np.ndarray) -> None:
        for idx in batches(len(x), 64, 0):
            step(x[idx], y[idx])

    return epoch


# -- DCGAN --------------------------------------------------------------------------------------------------------
def dcgan_keras_like(tf: Any) -> Callable[[np.ndarray], None]:
    L = tf.keras.layers
    gen = tf.keras.Sequential([L.Input((100,)), L.Dense(7 * 7 * 256, use_bias=False), L.BatchNormalization(),
                               L.LeakyReLU(), L.Reshape((7, 7, 256)),
                               L.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
                               L.BatchNormalization(), L.LeakyReLU(),
                               L.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
                               L.BatchNormalization(), L.LeakyReLU(),
                               L.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False,
                                                 activation="tanh")])
    disc = tf.keras.Sequential([L.Input((28, 28, 1)), L.Conv2D(64, 5, strides=2, padding="same"), L.LeakyReLU(),
                                L.Dropout(0.3), L.Conv2D(128, 5, strides=2, padding="same"), L.LeakyReLU(),
                                L.Dropout(0.3), L.Flatten(), L.Dense(1)])
    bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    g_opt, d_opt = tf.keras.optimizers.Adam(1e-4), tf.keras.optimizers.Adam(1e-4)

    @tf.function
    def step(images: Any, noise: Any) -> None:
        with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
            generated = gen(noise, training=True)
            real = disc(images, training=True)
            fake = disc(generated, training=True)
            gen_loss = bce(tf.ones_like(fake), fake)
            disc_loss = bce(tf.ones_like(real), real) + bce(tf.zeros_like(fake), fake)
        g_opt.apply_gradients(zip(gen_tape.gradient(gen_loss, gen.trainable_variables), gen.trainable_variables))
        d_opt.apply_gradients(zip(disc_tape.gradient(disc_loss, disc.trainable_variables),
                                  disc.trainable_variables))

    rng = np.random.default_rng(0)

    def epoch(x: np.ndarray) -> None:
        for idx in batches(len(x), 64, 0):
            step(x[idx] * 2 - 1, rng.standard_normal((64, 100)).astype(np.float32))

    return epoch


def dcgan_torch() -> Callable[[np.ndarray], None]:
    import torch
    from torch import nn

    torch.set_num_threads(os.cpu_count() or 1)

    class Reshape(nn.Module):
        def forward(self, x: Any) -> Any:
            return x.view(-1, 256, 7, 7)

    gen = nn.Sequential(nn.Linear(100, 7 * 7 * 256, bias=False), nn.BatchNorm1d(7 * 7 * 256), nn.LeakyReLU(0.3),
                        Reshape(), nn.ConvTranspose2d(256, 128, 5, 1, 2, bias=False), nn.BatchNorm2d(128),
                        nn.LeakyReLU(0.3), nn.ConvTranspose2d(128, 64, 5, 2, 2, output_padding=1, bias=False),
                        nn.BatchNorm2d(64), nn.LeakyReLU(0.3),
                        nn.ConvTranspose2d(64, 1, 5, 2, 2, output_padding=1, bias=False), nn.Tanh())
    disc = nn.Sequential(nn.Conv2d(1, 64, 5, 2, 2), nn.LeakyReLU(0.3), nn.Dropout(0.3), nn.Conv2d(64, 128, 5, 2, 2),
                         nn.LeakyReLU(0.3), nn.Dropout(0.3), nn.Flatten(), nn.Linear(7 * 7 * 128, 1))
    bce = nn.BCEWithLogitsLoss()
    g_opt, d_opt = torch.optim.Adam(gen.parameters(), 1e-4), torch.optim.Adam(disc.parameters(), 1e-4)
    rng = np.random.default_rng(0)

    def epoch(x: np.ndarray) -> None:
        xt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy()) * 2 - 1
        for idx in batches(len(x), 64, 0):
            noise = torch.from_numpy(rng.standard_normal((64, 100)).astype(np.float32))
            images = xt[torch.from_numpy(idx)]
            generated = gen(noise)
            real, fake = disc(images), disc(generated)
            gen_loss = bce(fake, torch.ones_like(fake))
            disc_loss = bce(real, torch.ones_like(real)) + bce(fake, torch.zeros_like(fake))
            g_opt.zero_grad()
            d_opt.zero_grad()
            grads_g = torch.autograd.grad(gen_loss, list(gen.parameters()), retain_graph=True)
            grads_d = torch.autograd.grad(disc_loss, list(disc.parameters()))
            for p, g in zip(gen.parameters(), grads_g):
                p.grad = g
            for p, g in zip(disc.parameters(), grads_d):
                p.grad = g
            g_opt.step()
            d_opt.step()

    return epoch


# -- measurement ---------------------------------------------------------------------------------------------------
def time_runs(fns: dict[str, Callable[[], None]], repeats: int) -> dict[str, list[float]]:
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


def ratio(times: dict[str, list[float]], a: str, b: str) -> str:
    if a not in times or b not in times:
        return "-"
    return f"{statistics.median(x / y for x, y in zip(times[a], times[b])):.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=6400)
    parser.add_argument("--gan-samples", type=int, default=1280)
    parser.add_argument("--only", default="quickstart,w1-loop,dcgan")
    args = parser.parse_args()
    import tensorlet

    real = None
    if have("tensorflow"):
        import tensorflow as real  # noqa: F811
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print("| workload | tensorlet | tensorflow | torch | tl fit | tl/tf | tl/torch | loop/fit |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    only = args.only.split(",")
    if "quickstart" in only:
        x, y = mnist(args.samples)
        fns: dict[str, Callable[[], None]] = {}
        tl_epoch = quickstart_keras_like(tensorlet)
        fns["tensorlet"] = lambda: tl_epoch(x, y)
        if real is not None:
            tf_epoch = quickstart_keras_like(real)
            fns["tensorflow"] = lambda: tf_epoch(x, y)
        if have("torch"):
            th_epoch = quickstart_torch()
            fns["torch"] = lambda: th_epoch(x, y)
        report("quickstart", time_runs(fns, args.repeats))
    if "w1-loop" in only:
        xa, ya = fashion()
        x, y = xa[:12800], ya[:12800]
        loop_model = tl_mlp([784, 256, 256, 128, 10], "softmax", "sgd", 0.001)
        fit_model = tl_mlp([784, 256, 256, 128, 10], "softmax", "sgd", 0.001)
        loop_epoch = w1_loop(tensorlet, loop_model)
        fns = {"tensorlet": lambda: loop_epoch(x, y),
               "tl fit": lambda: fit_model.fit(x, y, batch_size=64, epochs=1, verbose=0, shuffle=True)}
        report("w1-loop", time_runs(fns, args.repeats))
    if "dcgan" in only:
        x, _ = mnist(args.gan_samples)
        tl_gan = dcgan_keras_like(tensorlet)
        fns = {"tensorlet": lambda: tl_gan(x)}
        if real is not None:
            tf_gan = dcgan_keras_like(real)
            fns["tensorflow"] = lambda: tf_gan(x)
        if have("torch"):
            th_gan = dcgan_torch()
            fns["torch"] = lambda: th_gan(x)
        report("dcgan", time_runs(fns, args.repeats))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def report(name: str, times: dict[str, list[float]]) -> None:
    cell = {k: f"{statistics.median(v):.3f}" for k, v in times.items()}
    print(f"| {name} | {cell.get('tensorlet', '-')} | {cell.get('tensorflow', '-')} | {cell.get('torch', '-')} | "
          f"{cell.get('tl fit', '-')} | {ratio(times, 'tensorlet', 'tensorflow')} | "
          f"{ratio(times, 'tensorlet', 'torch')} | {ratio(times, 'tensorlet', 'tl fit')} |", flush=True)


if __name__ == "__main__":
    main()
