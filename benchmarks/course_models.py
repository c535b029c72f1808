"""The suite's model workloads, written once in the Keras API (for tensorlet.keras, tf.keras and Keras 3 on JAX)
and once by hand in PyTorch: the MNIST CNN, the CIFAR-10 CNN of TensorFlow's CNN tutorial, and the IMDB-shaped
LSTM and GRU classifiers (issue 26).

Each ``*_data()`` returns seeded random arrays of the workload's shape (no dataset download), so every system and
the Keras-on-JAX worker process (``anchors.py``) train on the same numbers.
"""
from __future__ import annotations

import os
from typing import Any, Callable

import numpy as np

IMDB_VOCAB, IMDB_LEN = 10000, 80


def torch_threads() -> int:
    """PyTorch's intra-op threads: ``SUITE_TORCH_THREADS`` (suite.py's --torch-threads), else one per core."""
    return int(os.environ.get("SUITE_TORCH_THREADS") or os.cpu_count() or 1)


def cifar_data(n: int = 10000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    return rng.random((n, 32, 32, 3), dtype=np.float32), rng.integers(0, 10, n).astype(np.int64)


def imdb_data(n: int = 20000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(6)
    return (rng.integers(1, IMDB_VOCAB, (n, IMDB_LEN)).astype(np.int32),
            rng.integers(0, 2, n).astype(np.float32))


def keras_model(keras: Any, name: str) -> Any:
    """The compiled model of workload ``name`` ("CNN", "CIFAR", "LSTM", "GRU") in a Keras namespace."""
    L = keras.layers
    if name == "CNN":
        stack = [keras.Input(shape=(28, 28, 1)), L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(),
                 L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(), L.Flatten(), L.Dense(128, activation="relu"),
                 L.Dense(10, activation="softmax")]
        loss = "sparse_categorical_crossentropy"
    elif name == "CIFAR":  # tensorflow.org/tutorials/images/cnn
        stack = [keras.Input(shape=(32, 32, 3)), L.Conv2D(32, 3, activation="relu"), L.MaxPooling2D(),
                 L.Conv2D(64, 3, activation="relu"), L.MaxPooling2D(), L.Conv2D(64, 3, activation="relu"),
                 L.Flatten(), L.Dense(64, activation="relu"), L.Dense(10)]
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    elif name in ("LSTM", "GRU"):
        stack = [keras.Input(shape=(IMDB_LEN,), dtype="int32"), L.Embedding(IMDB_VOCAB, 32),
                 getattr(L, name)(32), L.Dense(1, activation="sigmoid")]
        loss = "binary_crossentropy"
    else:
        raise ValueError(f"unknown workload {name!r}")
    m = keras.Sequential(stack)
    m.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
    return m


def keras_fit(m: Any, x: np.ndarray, y: np.ndarray, bs: int) -> Callable[[], None]:
    return lambda: m.fit(x, y, batch_size=bs, epochs=1, verbose=0)


def keras_predict(m: Any, x: np.ndarray, bs: int) -> Callable[[], None]:
    return lambda: m.predict(x, batch_size=bs, verbose=0)


def torch_model(name: str) -> Any:
    import torch

    nn = torch.nn
    if name == "CNN":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "CIFAR":
        return nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 64),
                             nn.ReLU(), nn.Linear(64, 10))

    class Recurrent(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = nn.Embedding(IMDB_VOCAB, 32)
            self.rnn = (nn.LSTM if name == "LSTM" else nn.GRU)(32, 32, batch_first=True)
            self.out = nn.Linear(32, 1)

        def forward(self, x: Any) -> Any:
            seq, _ = self.rnn(self.embed(x))
            return self.out(seq[:, -1])[:, 0]

    return Recurrent()


def torch_fit(name: str, x: np.ndarray, y: np.ndarray, bs: int) -> Callable[[], None]:
    import torch

    torch.set_num_threads(torch_threads())
    net = torch_model(name)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    xt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy() if x.ndim == 4 else x.astype(np.int64))
    yt = torch.from_numpy(y)
    lossf = torch.nn.BCEWithLogitsLoss() if name in ("LSTM", "GRU") else torch.nn.CrossEntropyLoss()

    def epoch() -> None:
        perm = torch.randperm(len(xt))
        for s in range(0, len(xt), bs):
            idx = perm[s:s + bs]
            opt.zero_grad()
            lossf(net(xt[idx]), yt[idx]).backward()
            opt.step()

    return epoch


def torch_predict(name: str, x: np.ndarray, bs: int) -> Callable[[], None]:
    import torch

    torch.set_num_threads(torch_threads())
    net = torch_model(name).eval()
    xt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy())

    def run() -> None:
        with torch.no_grad():
            for s in range(0, len(xt), bs):
                net(xt[s:s + bs])

    return run
