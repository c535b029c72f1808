"""Epoch time of ``Model.fit`` against a hand-written NumPy training loop of the same maths.

Workloads (MNIST-shaped random data, so no download is needed):
- the handout MLP 784-256-256-128-10 (ReLU, softmax, sparse crossentropy), batch 64, SGD(0.01) and Adam(1e-3);
- the tiny regression 8-10-1 (ReLU, MSE), batch 32, SGD(0.01).

Each system runs alternately, ``--repeats`` times (median reported). Targets (issue 4): fit ≤ 1.3x the hand loop
for the MLP, ≤ 2x for the tiny regression.

    python benchmarks/fit_mlp.py [--repeats 3] [--samples 45000]
"""
from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np


# -- the hand-written loop -----------------------------------------------------------------------------------
def glorot(rng: np.random.Generator, fan_in: int, fan_out: int) -> np.ndarray:
    lim = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-lim, lim, (fan_in, fan_out)).astype(np.float32)


class NumpyMLP:
    """Dense-ReLU stack with a softmax-crossentropy or MSE head, trained with SGD or Adam, by hand."""

    def __init__(self, sizes: list[int], head: str, optimizer: str, lr: float, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.params = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            self.params += [glorot(rng, a, b), np.zeros(b, np.float32)]
        self.head, self.optimizer, self.lr = head, optimizer, np.float32(lr)
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def forward(self, x: np.ndarray) -> np.ndarray:
        n_layers = len(self.params) // 2
        h = x
        for i in range(n_layers):
            h = h @ self.params[2 * i] + self.params[2 * i + 1]
            if i < n_layers - 1:
                np.maximum(h, 0, out=h)
        return h

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        acts = [x]
        n_layers = len(self.params) // 2
        for i in range(n_layers):
            z = acts[-1] @ self.params[2 * i] + self.params[2 * i + 1]
            if i < n_layers - 1:
                np.maximum(z, 0, out=z)
            acts.append(z)
        out = acts[-1]
        n = len(x)
        if self.head == "softmax":
            z = out - out.max(axis=1, keepdims=True)
            e = np.exp(z)
            s = e.sum(axis=1, keepdims=True)
            p = e / s
            loss = float(np.mean(np.log(s[:, 0]) - z[np.arange(n), y]))
            g = p
            g[np.arange(n), y] -= 1
            g /= n
        else:
            diff = out - y.reshape(out.shape)
            loss = float(np.mean(diff * diff))
            g = diff * (2.0 / diff.size)
        grads = [None] * len(self.params)
        for i in reversed(range(n_layers)):
            grads[2 * i] = acts[i].T @ g
            grads[2 * i + 1] = g.sum(axis=0)
            if i > 0:
                g = g @ self.params[2 * i].T
                g *= acts[i] > 0
        self.t += 1
        if self.optimizer == "sgd":
            for p, gr in zip(self.params, grads):
                p -= self.lr * gr
        else:
            b1, b2, eps = 0.9, 0.999, 1e-7
            lr_t = float(self.lr) * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)  # a Python float: stays float32
            for p, gr, m, v in zip(self.params, grads, self.m, self.v):
                m *= b1
                m += (1 - b1) * gr
                v *= b2
                v += (1 - b2) * gr * gr
                p -= lr_t * m / (np.sqrt(v) + eps)
        return loss

    def epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        order = np.random.permutation(len(x))
        for s in range(0, len(x), batch_size):
            idx = order[s: s + batch_size]
            self.step(x[idx], y[idx])


# -- tensorlet -----------------------------------------------------------------------------------------------
def tensorlet_model(sizes: list[int], head: str, optimizer: str, lr: float):  # type: ignore[no-untyped-def]
    import tensorlet as tf
    from tensorlet.keras import layers, models

    stack: list = [layers.Input(shape=(sizes[0],))]
    for width in sizes[1:-1]:
        stack += [layers.Dense(width), layers.Activation("relu")]
    stack.append(layers.Dense(sizes[-1]))
    if head == "softmax":
        stack.append(layers.Activation("softmax"))
    model = models.Sequential(stack)
    opt = tf.keras.optimizers.SGD(lr) if optimizer == "sgd" else tf.keras.optimizers.Adam(lr)
    loss = "sparse_categorical_crossentropy" if head == "softmax" else "mse"
    model.compile(optimizer=opt, loss=loss, metrics=["accuracy"] if head == "softmax" else None)
    return model


def bench(name: str, sizes: list[int], head: str, optimizer: str, lr: float, n: int, batch: int,
          repeats: int) -> tuple[str, float, float]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], n) if head == "softmax" else rng.standard_normal(n).astype(np.float32)
    hand = NumpyMLP(sizes, head, optimizer, lr)
    model = tensorlet_model(sizes, head, optimizer, lr)
    model.fit(x[: batch * 4], y[: batch * 4], batch_size=batch, epochs=1, verbose=0)  # trace outside the timing
    hand.epoch(x[: batch * 4], y[: batch * 4], batch)
    t_hand, t_tl = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        hand.epoch(x, y, batch)
        t_hand.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
        t_tl.append(time.perf_counter() - t0)
    return name, statistics.median(t_tl), statistics.median(t_hand)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--samples", type=int, default=45000)
    args = parser.parse_args()
    mlp = [784, 256, 256, 128, 10]
    rows = [
        bench("MLP 784-256-256-128-10, SGD, batch 64", mlp, "softmax", "sgd", 0.01, args.samples, 64, args.repeats),
        bench("MLP 784-256-256-128-10, Adam, batch 64", mlp, "softmax", "adam", 1e-3, args.samples, 64, args.repeats),
        bench("regression 8-10-1, SGD, batch 32", [8, 10, 1], "mse", "sgd", 0.01, 11610, 32, args.repeats),
    ]
    targets = [1.3, 1.3, 2.0]
    print("| workload | tensorlet fit s/epoch | hand NumPy loop s/epoch | ratio | target |")
    print("|---|---|---|---|---|")
    for (name, tl, hand), target in zip(rows, targets):
        ratio = tl / hand
        print(f"| {name} | {tl:.3f} | {hand:.3f} | {ratio:.2f}x | <= {target}x {'ok' if ratio <= target else 'MISSED'} |")


if __name__ == "__main__":
    main()
