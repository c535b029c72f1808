"""Side-by-side CPU training benchmarks (issues 9 and 26): tensorlet against PyTorch, a hand-written JAX ``jit``
loop, Keras 3 on JAX, tf.keras, a hand-written NumPy loop and the GEMM floor, measured in one run, systems
alternated, median of ``--repeats`` runs.

Each repeat times every system once, back to back, so its ratios compare runs seconds apart. The ratio columns
are the medians of those per-repeat ratios: on a machine whose speed drifts between repeats (a shared VM's
swings 2x within minutes), they are steadier than the ratio of the medians. The time columns are medians.
"best" is the fastest of PyTorch, the JAX loop, Keras-on-JAX and tf.keras in each repeat.

Workloads (Fashion-MNIST from /usr/share/datasets/fashion-mnist when installed, else random data of the same shape):
- W1  MLP 784-256-256-128-10, SGD(0.001) and Adam(1e-3), batch 64; s/epoch (45k train + 15k validation)
- W2  MLP 3072-256-256-128-10 (CIFAR-shaped), SGD, batch 64
- W3  8-10-1 regression, MSE, SGD, batch 32; s/epoch (11.6k train + 3.9k validation)
- W4  predict on 10k images, batch 32
- CNN Conv2D(32,3)-MaxPool-Conv2D(64,3)-MaxPool-Flatten-Dense(128)-Dense(10) on MNIST-shaped data, batch 64, Adam
  (one epoch on --cnn-samples images)
- CIFAR  TensorFlow's CNN tutorial (Conv32-Pool-Conv64-Pool-Conv64-Dense64-Dense10), 10k random 32x32x3 images,
  batch 64, Adam; CIFAR-predict: its inference on the 10k images, batch 64
- LSTM, GRU  Embedding(10000,32)+LSTM(32) (or GRU(32))+Dense(1), 20k random sequences of 80, batch 128, Adam

    python benchmarks/suite.py [--repeats 3] [--only W1,W3,LSTM] [--cnn-samples 6000] [--cifar-samples 10000]
                               [--imdb-samples 20000] [--no-keras-jax]

Systems that are not installed are skipped. PyTorch: ``pip install torch==2.13.0`` (the CPU wheel on disk);
tf.keras: ``pip install tensorflow-cpu``; JAX and Keras 3: ``pip install jax keras``.
"""
from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import course_models as cm  # noqa: E402
from anchors import JaxMLP, KerasJaxWorker, available  # noqa: E402
from fit_mlp import NumpyMLP  # noqa: E402

FASHION = "/usr/share/datasets/fashion-mnist"


def fashion() -> tuple[np.ndarray, np.ndarray]:
    try:
        with gzip.open(os.path.join(FASHION, "train-images-idx3-ubyte.gz")) as f:
            x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
        with gzip.open(os.path.join(FASHION, "train-labels-idx1-ubyte.gz")) as f:
            y = np.frombuffer(f.read(), np.uint8, offset=8)
        return ((x.astype(np.float32) - 127.5) / 127.5), y.astype(np.int64)
    except OSError:
        rng = np.random.default_rng(0)
        return rng.uniform(-1, 1, (60000, 784)).astype(np.float32), rng.integers(0, 10, 60000)


# -- systems ---------------------------------------------------------------------------------------------------
def tl_mlp(sizes: list[int], head: str, opt: str, lr: float) -> Any:
    import tensorlet as tf
    from tensorlet.keras import layers, models

    stack: list[Any] = [layers.Input(shape=(sizes[0],))]
    for w in sizes[1:-1]:
        stack += [layers.Dense(w), layers.Activation("relu")]
    stack += [layers.Dense(sizes[-1])] + ([layers.Activation("softmax")] if head == "softmax" else [])
    m = models.Sequential(stack)
    o = tf.keras.optimizers.SGD(lr) if opt == "sgd" else tf.keras.optimizers.Adam(lr)
    m.compile(optimizer=o, loss="sparse_categorical_crossentropy" if head == "softmax" else "mse",
              metrics=["accuracy"] if head == "softmax" else None)
    return m


def tk_mlp(sizes: list[int], head: str, opt: str, lr: float) -> Any:
    import tensorflow as tf

    stack: list[Any] = [tf.keras.Input(shape=(sizes[0],))]
    for w in sizes[1:-1]:
        stack += [tf.keras.layers.Dense(w), tf.keras.layers.Activation("relu")]
    stack += [tf.keras.layers.Dense(sizes[-1])] + ([tf.keras.layers.Activation("softmax")] if head == "softmax" else [])
    m = tf.keras.Sequential(stack)
    o = tf.keras.optimizers.SGD(lr) if opt == "sgd" else tf.keras.optimizers.Adam(lr)
    m.compile(optimizer=o, loss="sparse_categorical_crossentropy" if head == "softmax" else "mse",
              metrics=["accuracy"] if head == "softmax" else None)
    return m


class TorchLoop:
    def __init__(self, sizes: list[int], head: str, opt: str, lr: float) -> None:
        import torch

        torch.set_num_threads(cm.torch_threads())
        mods: list[Any] = []
        for a, b in zip(sizes[:-2], sizes[1:-1]):
            mods += [torch.nn.Linear(a, b), torch.nn.ReLU()]
        mods.append(torch.nn.Linear(sizes[-2], sizes[-1]))
        self.net = torch.nn.Sequential(*mods)
        self.opt = (torch.optim.SGD if opt == "sgd" else torch.optim.Adam)(self.net.parameters(), lr=lr)
        self.loss = torch.nn.CrossEntropyLoss() if head == "softmax" else torch.nn.MSELoss()
        self.head = head
        self.torch = torch

    def fit(self, x: np.ndarray, y: np.ndarray, xv: np.ndarray, yv: np.ndarray, bs: int) -> None:
        torch = self.torch
        xt, xvt = torch.from_numpy(x), torch.from_numpy(xv)
        yt = torch.from_numpy(y if self.head == "softmax" else y.reshape(-1, 1))
        yvt = torch.from_numpy(yv if self.head == "softmax" else yv.reshape(-1, 1))
        perm = torch.randperm(len(x))
        for s in range(0, len(x), bs):
            idx = perm[s:s + bs]
            self.opt.zero_grad()
            out = self.net(xt[idx])
            loss = self.loss(out, yt[idx])
            loss.backward()
            self.opt.step()
        with torch.no_grad():
            for s in range(0, len(xv), bs):
                self.loss(self.net(xvt[s:s + bs]), yvt[s:s + bs])

    def predict(self, x: np.ndarray, bs: int) -> None:
        with self.torch.no_grad():
            xt = self.torch.from_numpy(x)
            for s in range(0, len(x), bs):
                self.net(xt[s:s + bs])


def gemm_floor(sizes: list[int], n_train: int, n_val: int, bs: int) -> Callable[[], None]:
    """The matrix products of one epoch alone (forward, weight gradients, input gradients but the first layer)."""
    rng = np.random.default_rng(0)
    ws = [rng.standard_normal((a, b)).astype(np.float32) for a, b in zip(sizes[:-1], sizes[1:])]
    acts = [rng.standard_normal((bs, s)).astype(np.float32) for s in sizes]

    def run() -> None:
        for _ in range(n_train // bs):
            for i, w in enumerate(ws):
                acts[i] @ w
            for i in reversed(range(len(ws))):
                acts[i].T @ acts[i + 1]
                if i > 0:
                    acts[i + 1] @ ws[i].T
        for _ in range(n_val // bs):
            for i, w in enumerate(ws):
                acts[i] @ w

    return run


# -- measurement -----------------------------------------------------------------------------------------------
def time_runs(fns: dict[str, Callable[[], None]], repeats: int) -> dict[str, list[float]]:
    """Every system's time in each repeat (systems alternated within a repeat, after one warm-up run each)."""
    for fn in fns.values():  # warm-up (traces, allocations)
        fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for name, fn in fns.items():  # alternate the systems
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return times


have = available
KERAS_JAX = [True]  # --no-keras-jax turns the worker process off


def with_keras_jax(workload: str, fns: dict[str, Callable[[], None]], repeats: int) -> dict[str, list[float]]:
    """``time_runs`` with Keras 3 on JAX added (in its worker process) where installed."""
    worker = None
    if KERAS_JAX[0] and have("keras") and have("jax"):
        worker = KerasJaxWorker(workload)
        fns["keras-jax"] = worker.run
    try:
        return time_runs(fns, repeats)
    finally:
        if worker is not None:
            worker.close()


def hand_epoch(hand: NumpyMLP, x: np.ndarray, y: np.ndarray, xv: np.ndarray, bs: int) -> None:
    hand.epoch(x, y, bs)
    for s in range(0, len(xv), bs):
        hand.forward(xv[s:s + bs])


def mlp_workload(name: str, sizes: list[int], head: str, opt: str, lr: float, x: np.ndarray, y: np.ndarray,
                 xv: np.ndarray, yv: np.ndarray, bs: int, repeats: int) -> dict[str, list[float]]:
    tl = tl_mlp(sizes, head, opt, lr)
    hand = NumpyMLP(sizes, head, opt, lr)
    fns: dict[str, Callable[[], None]] = {
        "tensorlet": lambda: tl.fit(x, y, batch_size=bs, epochs=1, verbose=0, validation_data=(xv, yv)),
        "numpy": lambda: hand_epoch(hand, x, y, xv, bs),
        "gemm": gemm_floor(sizes, len(x), len(xv), bs),
    }
    if have("torch"):
        tt = TorchLoop(sizes, head, opt, lr)
        fns["torch"] = lambda: tt.fit(x, y, xv, yv, bs)
    if have("jax") and head == "softmax":
        jx = JaxMLP(sizes, opt, lr)
        fns["jax"] = lambda: jx.fit(x, y, xv, yv, bs)
    if have("tensorflow"):
        tk = tk_mlp(sizes, head, opt, lr)
        fns["tf.keras"] = lambda: tk.fit(x, y, batch_size=bs, epochs=1, verbose=0, validation_data=(xv, yv))
    if name in ("W1", "W1-Adam"):
        return with_keras_jax(name, fns, repeats)
    return time_runs(fns, repeats)


def predict_workload(x: np.ndarray, repeats: int) -> dict[str, list[float]]:
    sizes = [784, 256, 256, 128, 10]
    tl = tl_mlp(sizes, "softmax", "sgd", 0.001)
    fns: dict[str, Callable[[], None]] = {"tensorlet": lambda: tl.predict(x, batch_size=32, verbose=0)}
    hand = NumpyMLP(sizes, "softmax", "sgd", 0.001)
    ws = hand.params[0::2]

    def numpy_predict() -> None:
        for s in range(0, len(x), 32):
            hand.forward(x[s:s + 32])

    def gemm_predict() -> None:
        for s in range(0, len(x), 32):
            h = x[s:s + 32]
            for w in ws:
                h = h @ w

    fns["numpy"] = numpy_predict
    fns["gemm"] = gemm_predict
    if have("torch"):
        tt = TorchLoop(sizes, "softmax", "sgd", 0.001)
        fns["torch"] = lambda: tt.predict(x, 32)
    if have("tensorflow"):
        tk = tk_mlp(sizes, "softmax", "sgd", 0.001)
        fns["tf.keras"] = lambda: tk.predict(x, batch_size=32, verbose=0)
    return time_runs(fns, repeats)


def model_workload(name: str, x: np.ndarray, y: np.ndarray, bs: int, repeats: int,
                   predict: bool = False) -> dict[str, list[float]]:
    """A course model (``course_models``): one epoch (or one pass of predict) per system."""
    import tensorlet as tf

    m = cm.keras_model(tf.keras, name)
    fns: dict[str, Callable[[], None]] = {
        "tensorlet": cm.keras_predict(m, x, bs) if predict else cm.keras_fit(m, x, y, bs)}
    if have("torch"):
        fns["torch"] = cm.torch_predict(name, x, bs) if predict else cm.torch_fit(name, x, y, bs)
    if have("tensorflow"):
        import tensorflow

        tk = cm.keras_model(tensorflow.keras, name)
        fns["tf.keras"] = cm.keras_predict(tk, x, bs) if predict else cm.keras_fit(tk, x, y, bs)
    return with_keras_jax(name + ("-predict" if predict else ""), fns, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="W1,W1-Adam,W2,W3,W4,CNN,CIFAR,CIFAR-predict,LSTM,GRU")
    parser.add_argument("--cnn-samples", type=int, default=6000)
    parser.add_argument("--cifar-samples", type=int, default=10000, help="images of the CIFAR workloads")
    parser.add_argument("--imdb-samples", type=int, default=20000, help="sequences of the LSTM and GRU workloads")
    parser.add_argument("--torch-threads", type=int, default=0,
                        help="PyTorch's intra-op threads (default: one per core); 1 on a crowded machine, where "
                             "its spinning OpenMP threads collapse as two-thread OpenBLAS does")
    parser.add_argument("--no-keras-jax", action="store_true", help="leave Keras 3 on JAX out")
    args = parser.parse_args()
    KERAS_JAX[0] = not args.no_keras_jax
    os.environ["SUITE_CNN_SAMPLES"] = str(args.cnn_samples)  # the Keras-on-JAX worker reads them
    os.environ["SUITE_CIFAR_SAMPLES"] = str(args.cifar_samples)
    os.environ["SUITE_IMDB_SAMPLES"] = str(args.imdb_samples)
    if args.torch_threads:
        os.environ["SUITE_TORCH_THREADS"] = str(args.torch_threads)
    only = set(args.only.split(","))
    x, y = fashion()
    xtr, ytr, xva, yva = x[:45000], y[:45000], x[45000:], y[45000:]
    systems = ["tensorlet", "torch", "jax", "keras-jax", "tf.keras", "numpy", "gemm"]
    versus = ["torch", "jax", "keras-jax", "tf.keras", "best", "gemm"]
    print(f"load average at start: {os.getloadavg()}")
    print("| workload | " + " | ".join(systems) + " | " + " | ".join(f"tl/{v}" for v in versus) + " |")
    print("|---|" + "---|" * (len(systems) + len(versus)), flush=True)

    def row(name: str, t: dict[str, list[float]]) -> None:  # printed as soon as measured
        anchors = [k for k in ("torch", "jax", "keras-jax", "tf.keras") if k in t]
        if anchors:
            t["best"] = [min(t[k][i] for k in anchors) for i in range(len(t["tensorlet"]))]
        cells = [f"{statistics.median(t[s]):.3f}" if s in t else "-" for s in systems]
        ratios = [f"{statistics.median([a / b for a, b in zip(t['tensorlet'], t[s])]):.2f}x" if s in t else "-"
                  for s in versus]
        print(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(ratios) + f" | load {os.getloadavg()[0]:.1f}",
              flush=True)

    mlp = [784, 256, 256, 128, 10]
    if "W1" in only:
        row("W1 MLP 784, SGD", mlp_workload("W1", mlp, "softmax", "sgd", 0.001, xtr, ytr, xva, yva, 64, args.repeats))
    if "W1-Adam" in only:
        row("W1 MLP 784, Adam", mlp_workload("W1-Adam", mlp, "softmax", "adam", 1e-3, xtr, ytr, xva, yva, 64,
                                             args.repeats))
    if "W2" in only:
        rng = np.random.default_rng(1)
        x2 = rng.uniform(-1, 1, (60000, 3072)).astype(np.float32)
        row("W2 MLP 3072, SGD", mlp_workload("W2", [3072, 256, 256, 128, 10], "softmax", "sgd", 0.001,
                                             x2[:45000], ytr, x2[45000:], yva, 64, args.repeats))
    if "W3" in only:
        rng = np.random.default_rng(2)
        x3 = rng.standard_normal((15480, 8)).astype(np.float32)
        y3 = (x3 @ rng.standard_normal(8)).astype(np.float32)
        row("W3 8-10-1, SGD", mlp_workload("W3", [8, 10, 1], "mse", "sgd", 0.001, x3[:11610], y3[:11610],
                                           x3[11610:], y3[11610:], 32, args.repeats))
    if "W4" in only:
        row("W4 predict 10k", predict_workload(x[:10000], args.repeats))
    if "CNN" in only:
        n = args.cnn_samples
        row("CNN MNIST-shaped", model_workload("CNN", x[:n].reshape(-1, 28, 28, 1), y[:n], 64, args.repeats))
    if "CIFAR" in only or "CIFAR-predict" in only:
        xc, yc = cm.cifar_data(args.cifar_samples)
        if "CIFAR" in only:
            row(f"CIFAR CNN, {len(xc)} images", model_workload("CIFAR", xc, yc, 64, args.repeats))
        if "CIFAR-predict" in only:
            row(f"CIFAR CNN predict {len(xc)}", model_workload("CIFAR", xc, yc, 64, args.repeats, predict=True))
    for name in ("LSTM", "GRU"):
        if name in only:
            xi, yi = cm.imdb_data(args.imdb_samples)
            row(f"{name} IMDB-shaped, {len(xi)} seqs", model_workload(name, xi, yi, 128, args.repeats))


if __name__ == "__main__":
    main()
