"""Text benchmarks (issue 23): recurrent epochs and a transformer training step against PyTorch (and tf.keras),
TextVectorization.adapt + vectorizing against tf.keras. Systems alternate within each repeat; the ratio columns
are medians of per-repeat ratios, the time columns medians.

Workloads:
- LSTM  Embedding(10000, 32) + LSTM(32) + Dense(1, sigmoid), 20k sequences of length 80 (IMDB-shaped random ids),
        batch 128, Adam: seconds per epoch; PyTorch runs the same model with ``nn.LSTM`` in a plain loop
- GRU   the same with GRU(32) (PyTorch: ``nn.GRU``; its reset gate is applied after the recurrent product, as
        Keras' reset_after=True)
- TRF   a 2-block transformer encoder (d_model 64, 4 heads, feed-forward 128, post-norm, no dropout) over token +
        position embeddings, mean pooling and Dense(2), sequences of 128, batch 64, Adam: seconds per step
        (PyTorch: ``nn.TransformerEncoder`` with the same sizes)
- VEC   TextVectorization(max_tokens=20000, output_sequence_length=200): ``adapt`` on 25k reviews of about 230
        words (drawn from a Zipf vocabulary), then vectorizing all of them in batches of 1000

    python benchmarks/text.py [--repeats 3] [--only LSTM,GRU,TRF,VEC] [--samples 20000] [--contention]

``--contention`` runs one busy process per core beside the benchmark (users' machines are never idle). PyTorch gets
as many threads as NumPy's BLAS (``OPENBLAS_NUM_THREADS`` / ``OMP_NUM_THREADS``).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np

VOCAB, LENGTH, UNITS, BATCH = 10000, 80, 32, 128


def torch_threads() -> int:
    """PyTorch gets the threads NumPy's BLAS gets (OPENBLAS_NUM_THREADS / OMP_NUM_THREADS), else every core."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        if os.environ.get(var):
            return int(os.environ[var])
    return os.cpu_count() or 1


# -- recurrent classifiers ---------------------------------------------------------------------------------------
def tl_rnn(kind: str) -> Any:
    import tensorlet as tf

    L = tf.keras.layers
    model = tf.keras.Sequential([L.Input((LENGTH,)), L.Embedding(VOCAB, 32), getattr(L, kind)(UNITS),
                                 L.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def tk_rnn(kind: str) -> Any:
    import tensorflow as tf

    L = tf.keras.layers
    model = tf.keras.Sequential([L.Input((LENGTH,)), L.Embedding(VOCAB, 32), getattr(L, kind)(UNITS),
                                 L.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


class TorchRNN:
    def __init__(self, kind: str) -> None:
        import torch

        torch.set_num_threads(torch_threads())
        self.torch = torch

        class Net(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.emb = torch.nn.Embedding(VOCAB, 32)
                self.rnn = (torch.nn.LSTM if kind == "LSTM" else torch.nn.GRU)(32, UNITS, batch_first=True)
                self.out = torch.nn.Linear(UNITS, 1)

            def forward(self, x: Any) -> Any:
                _, h = self.rnn(self.emb(x))
                h = h[0] if isinstance(h, tuple) else h
                return torch.sigmoid(self.out(h[-1]))

        self.net = Net()
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.loss = torch.nn.BCELoss()

    def fit(self, x: np.ndarray, y: np.ndarray) -> None:
        torch = self.torch
        xt, yt = torch.from_numpy(x.astype(np.int64)), torch.from_numpy(y.reshape(-1, 1).astype(np.float32))
        perm = torch.randperm(len(x))
        for s in range(0, len(x), BATCH):
            idx = perm[s:s + BATCH]
            self.opt.zero_grad()
            loss = self.loss(self.net(xt[idx]), yt[idx])
            loss.backward()
            self.opt.step()


# -- transformer encoder -------------------------------------------------------------------------------------------
SEQ, D_MODEL, HEADS, FF, TRF_BATCH = 128, 64, 4, 128, 64


def tl_transformer() -> Any:
    import tensorlet as tf

    L = tf.keras.layers

    class PositionEmbedding(L.Layer):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.tokens = L.Embedding(VOCAB, D_MODEL)
            self.positions = L.Embedding(SEQ, D_MODEL)

        def call(self, x: Any) -> Any:
            return self.tokens(x) + self.positions(tf.range(SEQ))

    inp = L.Input((SEQ,))
    x = PositionEmbedding()(inp)
    for _ in range(2):
        a = L.MultiHeadAttention(num_heads=HEADS, key_dim=D_MODEL // HEADS)(x, x)
        x = L.LayerNormalization(epsilon=1e-5)(x + a)
        f = L.Dense(D_MODEL)(L.Dense(FF, activation="relu")(x))
        x = L.LayerNormalization(epsilon=1e-5)(x + f)
    out = L.Dense(2, activation="softmax")(L.GlobalAveragePooling1D()(x))
    model = tf.keras.Model(inp, out)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


class TorchTransformer:
    def __init__(self) -> None:
        import torch

        torch.set_num_threads(torch_threads())
        self.torch = torch

        class Net(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.tokens = torch.nn.Embedding(VOCAB, D_MODEL)
                self.positions = torch.nn.Embedding(SEQ, D_MODEL)
                layer = torch.nn.TransformerEncoderLayer(D_MODEL, HEADS, FF, dropout=0.0, batch_first=True)
                self.encoder = torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
                self.out = torch.nn.Linear(D_MODEL, 2)

            def forward(self, x: Any) -> Any:
                h = self.tokens(x) + self.positions(torch.arange(SEQ))
                return self.out(self.encoder(h).mean(dim=1))

        self.net = Net()
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.loss = torch.nn.CrossEntropyLoss()

    def steps(self, x: np.ndarray, y: np.ndarray) -> None:
        torch = self.torch
        xt, yt = torch.from_numpy(x.astype(np.int64)), torch.from_numpy(y.astype(np.int64))
        for s in range(0, len(x), TRF_BATCH):
            self.opt.zero_grad()
            loss = self.loss(self.net(xt[s:s + TRF_BATCH]), yt[s:s + TRF_BATCH])
            loss.backward()
            self.opt.step()


# -- TextVectorization ---------------------------------------------------------------------------------------------
def reviews(n: int = 25000, words: int = 230, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(60000)])
    lengths = rng.integers(words // 2, words * 3 // 2, n)
    ids = np.minimum(rng.zipf(1.2, lengths.sum()) - 1, len(vocab) - 1)
    tokens = vocab[ids]
    out, start = [], 0
    for k in lengths:
        out.append(" ".join(tokens[start:start + k]) + ".")
        start += k
    return out


def vectorize_run(module: Any, texts: Any) -> Callable[[], None]:
    def run() -> None:
        layer = module.layers.TextVectorization(max_tokens=20000, output_sequence_length=200)
        layer.adapt(texts)
        for s in range(0, len(texts), 1000):
            np.asarray(layer(texts[s:s + 1000]))
    return run


# -- harness -------------------------------------------------------------------------------------------------------
def timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def burn() -> None:  # pragma: no cover - a busy process for --contention
    x = 0
    while True:
        x = (x * 1103515245 + 12345) % 2147483648


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="LSTM,GRU,TRF,VEC")
    parser.add_argument("--samples", type=int, default=20000, help="sequences per recurrent epoch")
    parser.add_argument("--trf-steps", type=int, default=20)
    parser.add_argument("--contention", action="store_true")
    args = parser.parse_args()
    only = set(args.only.split(","))
    busy = [multiprocessing.Process(target=burn, daemon=True) for _ in range(os.cpu_count() or 1)] \
        if args.contention else []
    for p in busy:
        p.start()
    try:
        import torch  # noqa: F401
        has_torch = True
    except ImportError:
        has_torch = False
    try:
        import tensorflow  # noqa: F401
        has_tf = True
    except ImportError:
        has_tf = False
    rng = np.random.default_rng(0)
    rows = []
    for kind in ("LSTM", "GRU"):
        if kind not in only:
            continue
        x = rng.integers(1, VOCAB, (args.samples, LENGTH)).astype(np.float32)
        y = rng.integers(0, 2, args.samples).astype(np.float32)
        ours, theirs = tl_rnn(kind), TorchRNN(kind) if has_torch else None
        keras_model = tk_rnn(kind) if has_tf else None
        ours.fit(x[:BATCH * 2], y[:BATCH * 2], batch_size=BATCH, epochs=1, verbose=0)  # trace the steps
        if keras_model is not None:
            keras_model.fit(x[:BATCH * 2], y[:BATCH * 2], batch_size=BATCH, epochs=1, verbose=0)
        times: dict[str, list[float]] = {"tl": [], "torch": [], "tf": []}
        for _ in range(args.repeats):
            times["tl"].append(timed(lambda m=ours, x=x, y=y: m.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)))
            if theirs is not None:
                times["torch"].append(timed(lambda m=theirs, x=x, y=y: m.fit(x, y.astype(np.float32))))
            if keras_model is not None:
                times["tf"].append(timed(lambda m=keras_model, x=x, y=y: m.fit(x, y, batch_size=BATCH, epochs=1,
                                                                          verbose=0)))
        rows.append((f"{kind} epoch (s)", times))
    if "TRF" in only:
        n = TRF_BATCH * args.trf_steps
        x = rng.integers(0, VOCAB, (n, SEQ)).astype(np.float32)
        y = rng.integers(0, 2, n)
        ours_t = tl_transformer()
        ours_t.fit(x[:TRF_BATCH * 2], y[:TRF_BATCH * 2], batch_size=TRF_BATCH, epochs=1, verbose=0)
        theirs_t = TorchTransformer() if has_torch else None
        times = {"tl": [], "torch": [], "tf": []}
        for _ in range(args.repeats):
            times["tl"].append(timed(lambda: ours_t.fit(x, y, batch_size=TRF_BATCH, epochs=1, verbose=0,
                                                        shuffle=False)) / args.trf_steps)
            if theirs_t is not None:
                times["torch"].append(timed(lambda: theirs_t.steps(x, y)) / args.trf_steps)
        rows.append(("transformer step (s)", times))
    if "VEC" in only:
        texts = reviews()
        import tensorlet as tl

        times = {"tl": [], "torch": [], "tf": []}
        tl_run = vectorize_run(tl.keras, np.array(texts, dtype=object))
        tf_run = None
        if has_tf:
            import tensorflow as tf

            tf_run = vectorize_run(tf.keras, np.array(texts))
        for _ in range(args.repeats):
            times["tl"].append(timed(tl_run))
            if tf_run is not None:
                times["tf"].append(timed(tf_run))
        rows.append(("adapt + vectorize 25k (s)", times))
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} cores"
          f"{', one busy process per core beside it' if busy else ''}\n")
    print("| workload | tensorlet | torch | tf.keras | tl/torch | tl/tf.keras |")
    print("|---|---|---|---|---|---|")
    for name, t in rows:
        def med(key: str, t: dict[str, list[float]] = t) -> str:
            return f"{statistics.median(t[key]):.3f}" if t[key] else "-"

        def ratio(key: str, t: dict[str, list[float]] = t) -> str:
            if not t[key]:
                return "-"
            return f"{statistics.median(a / b for a, b in zip(t['tl'], t[key])):.2f}x"

        print(f"| {name} | {med('tl')} | {med('torch')} | {med('tf')} | {ratio('torch')} | {ratio('tf')} |")
    for p in busy:
        p.terminate()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
