"""One optimizer step: tensorlet's ``apply_gradient_arrays`` against a hand-written NumPy update of the same maths.

Two hand-written versions: the natural one (``p -= lr * g``, temporaries allocated per step, as in
``fit_mlp.py``'s NumPy loop) and an in-place one with preallocated buffers (the floor for unfused NumPy).

Parameter sets: the handout MLP 784-256-256-128-10 (W1, 8 arrays, 269k floats) and the tiny 8-10-1
regression (W3, 4 arrays), where per-call overhead dominates. Gradients are fixed random float32 arrays; each
figure is the median over ``--repeats`` runs of the mean time of ``--steps`` steps.

    python benchmarks/optimizer_step.py [--steps 2000] [--repeats 5]
"""
from __future__ import annotations

import argparse
import math
import statistics
import time
from typing import Any, Callable

import numpy as np

import tensorlet as tf
from tensorlet.optimizers import SGD, Adam


def parameters(sizes: list[int]) -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    out = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        out.append((rng.standard_normal((n_in, n_out)) * 0.05).astype(np.float32))
        out.append(np.zeros(n_out, np.float32))
    return out


def hand_sgd(params: list[np.ndarray], lr: float) -> Callable[[list[np.ndarray]], None]:
    def step(grads: list[np.ndarray]) -> None:
        for p, g in zip(params, grads):
            p -= lr * g
    return step


def hand_adam(params: list[np.ndarray], lr: float) -> Callable[[list[np.ndarray]], None]:
    b1, b2, eps = 0.9, 0.999, 1e-7
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = [0]

    def step(grads: list[np.ndarray]) -> None:
        t[0] += 1
        lr_t = lr * np.sqrt(1 - b2 ** t[0]) / (1 - b1 ** t[0])
        for p, g, mi, vi in zip(params, grads, m, v):
            mi *= b1
            mi += (1 - b1) * g
            vi *= b2
            vi += (1 - b2) * g * g
            p -= lr_t * mi / (np.sqrt(vi) + eps)
    return step


def hand_sgd_inplace(params: list[np.ndarray], lr: float) -> Callable[[list[np.ndarray]], None]:
    tmp = [np.empty_like(p) for p in params]

    def step(grads: list[np.ndarray]) -> None:
        for p, g, t in zip(params, grads, tmp):
            np.multiply(g, lr, out=t)
            np.subtract(p, t, out=p)
    return step


def hand_adam_inplace(params: list[np.ndarray], lr: float) -> Callable[[list[np.ndarray]], None]:
    """The same maths with preallocated buffers and ``out=``: the best a NumPy loop can do without fusion."""
    b1, b2, eps = 0.9, 0.999, 1e-7
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    tmp = [np.empty_like(p) for p in params]
    t = [0]

    def step(grads: list[np.ndarray]) -> None:
        t[0] += 1
        lr_t = lr * math.sqrt(1 - b2 ** t[0]) / (1 - b1 ** t[0])  # a Python float: np.sqrt would give float64
        for p, g, mi, vi, ti in zip(params, grads, m, v, tmp):
            np.subtract(g, mi, out=ti)
            np.multiply(ti, 1 - b1, out=ti)
            np.add(mi, ti, out=mi)
            np.multiply(g, g, out=ti)
            np.subtract(ti, vi, out=ti)
            np.multiply(ti, 1 - b2, out=ti)
            np.add(vi, ti, out=vi)
            np.sqrt(vi, out=ti)
            np.add(ti, eps, out=ti)
            np.divide(mi, ti, out=ti)
            np.multiply(ti, lr_t, out=ti)
            np.subtract(p, ti, out=p)
    return step


def ours(params: list[np.ndarray], optimizer: Any) -> Callable[[list[np.ndarray]], None]:
    variables = [tf.Variable(p) for p in params]
    return lambda grads: optimizer.apply_gradient_arrays(grads, variables)


def ours_public(params: list[np.ndarray], optimizer: Any) -> Callable[[list[np.ndarray]], None]:
    variables = [tf.Variable(p) for p in params]
    return lambda grads: optimizer.apply_gradients(zip(grads, variables))


def time_step(step: Callable[[list[np.ndarray]], None], grads: list[np.ndarray], steps: int) -> float:
    step(grads)  # build
    start = time.perf_counter()
    for _ in range(steps):
        step(grads)
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    print(f"{'parameters':<22} {'optimizer':<6} {'hand NumPy':>11} {'in-place':>10} {'tensorlet':>10} "
          f"{'vs hand':>8} {'vs in-place':>12} {'apply_gradients':>16}")
    for label, sizes in (("MLP 784-256-256-128-10", [784, 256, 256, 128, 10]), ("MLP 8-10-1", [8, 10, 1])):
        grads = [(rng.standard_normal(p.shape) * 1e-2).astype(np.float32) for p in parameters(sizes)]
        cases = (("SGD", hand_sgd, hand_sgd_inplace, lambda: SGD(0.001)),
                 ("Adam", hand_adam, hand_adam_inplace, lambda: Adam(1e-3)))
        for name, hand, inplace, make in cases:
            times: dict[str, list[float]] = {"hand": [], "inplace": [], "ours": [], "public": []}
            for _ in range(args.repeats):  # alternate the systems
                times["hand"].append(time_step(hand(parameters(sizes), 0.001), grads, args.steps))
                times["inplace"].append(time_step(inplace(parameters(sizes), 0.001), grads, args.steps))
                times["ours"].append(time_step(ours(parameters(sizes), make()), grads, args.steps))
                public = ours_public(parameters(sizes), make())
                times["public"].append(time_step(public, grads, args.steps // 4))
            h, i, o, p = (statistics.median(times[k]) * 1e6 for k in ("hand", "inplace", "ours", "public"))
            print(f"{label:<22} {name:<6} {h:>9.1f}us {i:>8.1f}us {o:>8.1f}us {o / h:>7.2f}x {o / i:>11.2f}x "
                  f"{p:>14.1f}us")

if __name__ == "__main__":
    main()
