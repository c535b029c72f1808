"""The JAX anchors of the suite (issue 26): a hand-written ``jax.jit`` training loop of the W1 MLP, and Keras 3 on
JAX, which runs in a worker process of its own (``KERAS_BACKEND`` is read once, at ``import keras``, and tf.keras
lives in the parent).

The worker builds one workload and answers each ``run`` line on its stdin with one epoch (or predict), then
``done``; the parent times the round trip, so the worker's epochs alternate with the other systems' as the
in-process ones do.
"""
from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, Callable

import numpy as np


class JaxMLP:
    """The W1 MLP (ReLU layers, softmax cross-entropy) in JAX: one jitted step with SGD or Adam written out."""

    def __init__(self, sizes: list[int], opt: str, lr: float) -> None:
        import jax
        import jax.numpy as jnp

        self.jax, self.jnp = jax, jnp
        key = jax.random.PRNGKey(0)
        params = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            key, sub = jax.random.split(key)
            lim = (6.0 / (a + b)) ** 0.5
            params.append((jax.random.uniform(sub, (a, b), jnp.float32, -lim, lim), jnp.zeros((b,), jnp.float32)))
        self.params = params
        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
        self.state = (zeros, zeros, jnp.zeros((), jnp.float32))

        def forward(p: Any, x: Any) -> Any:
            for w, b in p[:-1]:
                x = jax.nn.relu(x @ w + b)
            w, b = p[-1]
            return x @ w + b

        def loss(p: Any, x: Any, y: Any) -> Any:
            logits = forward(p, x)
            return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))

        def sgd(p: Any, s: Any, x: Any, y: Any) -> Any:
            g = jax.grad(loss)(p, x, y)
            return jax.tree_util.tree_map(lambda a, b: a - lr * b, p, g), s

        def adam(p: Any, s: Any, x: Any, y: Any) -> Any:
            g = jax.grad(loss)(p, x, y)
            m, v, t = s
            t = t + 1
            m = jax.tree_util.tree_map(lambda a, b: 0.9 * a + 0.1 * b, m, g)
            v = jax.tree_util.tree_map(lambda a, b: 0.999 * a + 0.001 * b * b, v, g)
            step = lr * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
            p = jax.tree_util.tree_map(lambda a, b, c: a - step * b / (jnp.sqrt(c) + 1e-7), p, m, v)
            return p, (m, v, t)

        self.step = jax.jit(sgd if opt == "sgd" else adam)
        self.evaluate = jax.jit(loss)

    def fit(self, x: np.ndarray, y: np.ndarray, xv: np.ndarray, yv: np.ndarray, bs: int) -> None:
        perm = np.random.default_rng().permutation(len(x))
        p, s = self.params, self.state
        for i in range(0, len(x) - bs + 1, bs):  # whole batches only: a ragged last batch would compile again
            idx = perm[i:i + bs]
            p, s = self.step(p, s, x[idx], y[idx])
        last = None
        for i in range(0, len(xv) - bs + 1, bs):
            last = self.evaluate(p, xv[i:i + bs], yv[i:i + bs])
        self.jax.block_until_ready((p, last))
        self.params, self.state = p, s


class KerasJaxWorker:
    """Keras 3 on JAX in a child process, one workload; ``run()`` times one of its epochs (or predictions)."""

    def __init__(self, workload: str) -> None:
        env = dict(os.environ, KERAS_BACKEND="jax", PYTHONPATH=os.pathsep.join(sys.path))
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), workload], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, env=env)
        self._expect("ready")

    def _expect(self, word: str) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.strip() == word:
                return
        raise RuntimeError(f"the Keras-on-JAX worker exited before answering {word!r}")

    def run(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        self._expect("done")

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def available(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def _worker_task(workload: str) -> Callable[[], None]:
    import keras

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import course_models as cm
    from suite import fashion

    if workload in ("W1", "W1-Adam"):
        x, y = fashion()
        m = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(256), keras.layers.Activation("relu"),
                              keras.layers.Dense(256), keras.layers.Activation("relu"), keras.layers.Dense(128),
                              keras.layers.Activation("relu"), keras.layers.Dense(10),
                              keras.layers.Activation("softmax")])
        opt = keras.optimizers.SGD(0.001) if workload == "W1" else keras.optimizers.Adam(1e-3)
        m.compile(optimizer=opt, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return lambda: m.fit(x[:45000], y[:45000], batch_size=64, epochs=1, verbose=0,
                             validation_data=(x[45000:], y[45000:]))
    if workload == "CNN":
        x, y = fashion()
        n = int(os.environ.get("SUITE_CNN_SAMPLES", "6000"))
        return cm.keras_fit(cm.keras_model(keras, "CNN"), x[:n].reshape(-1, 28, 28, 1), y[:n], 64)
    if workload in ("CIFAR", "CIFAR-predict"):
        x, y = cm.cifar_data(int(os.environ.get("SUITE_CIFAR_SAMPLES", "10000")))
        m = cm.keras_model(keras, "CIFAR")
        return cm.keras_fit(m, x, y, 64) if workload == "CIFAR" else cm.keras_predict(m, x, 64)
    x, y = cm.imdb_data(int(os.environ.get("SUITE_IMDB_SAMPLES", "20000")))
    return cm.keras_fit(cm.keras_model(keras, workload), x, y, 128)


def _worker_main(workload: str) -> None:
    task = _worker_task(workload)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "run":
            task()
            print("done", flush=True)


if __name__ == "__main__":
    _worker_main(sys.argv[1])
