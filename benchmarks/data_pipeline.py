"""tf.data pipelines feeding ``fit`` (issue 20): one table, every ratio measured in the same run.

Rows (MNIST-shaped data, 784 pixels, random unless the shared MNIST file is there; the W1 MLP 784-256-256-128-10,
SGD(0.001), batch 64, one epoch of ``--samples`` images):

- W1 ``fit`` on ``from_tensor_slices((x, y)).shuffle(10000).batch(64).prefetch(AUTOTUNE)`` against the same fit
  on the arrays (``fit(x, y, batch_size=64)``, shuffled). Target: <= 1.15x.
- the same pipeline with the prefetch in a thread of its own (asked through ``tf.data.Options``; off by
  default, because of what this row shows);
- uint8 images normalised by a ``map`` before ``batch`` (``lambda x, y: (tf.cast(x, tf.float32) / 255., y)``),
  against the arrays. Target: the map adds <= 0.25x. Also with the chunk-wise (vectorized) replay switched off,
  which is what one plan replay per element costs;
- ``cache()``: two epochs over ``map(normalise).cache()``; the second must read no source element (counted) and
  the cache hold what it stores (traced allocation);
- ``shuffle(buffer_size)``: the peak of traced allocations while shuffling 60k images with a buffer of 1000 must
  be near the buffer's size, far below the dataset's.

Each repeat runs the systems of a row back to back; the ratio column is the median of the per-repeat ratios
(benchmarks/README.md). Times are CPU seconds of the process (the machine is shared).

    OPENBLAS_NUM_THREADS=1 python benchmarks/data_pipeline.py [--repeats 5] [--samples 20000]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
from typing import Any, Callable

import numpy as np

MNIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "datasets", "mnist.npz")


def images(n: int) -> tuple[np.ndarray, np.ndarray]:
    if os.path.exists(MNIST):
        with np.load(MNIST) as f:
            x, y = f["x_train"][:n], f["y_train"][:n]
        return x.reshape(len(x), 784), y.astype(np.int64)
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (n, 784), dtype=np.uint8), rng.integers(0, 10, n)


def w1() -> Any:
    import tensorlet as tf
    from tensorlet.keras import layers, models

    model = models.Sequential([layers.Input((784,)), layers.Dense(256, activation="relu"),
                               layers.Dense(256, activation="relu"), layers.Dense(128, activation="relu"),
                               layers.Dense(10, activation="softmax")])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.001), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def cpu(fn: Callable[[], Any]) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(CPU seconds of the process, all threads; wall seconds)."""
    c, w = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - c, time.perf_counter() - w


def paired(systems: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[tuple[float, float]]]:
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in systems}
    for _ in range(repeats):
        for name, fn in systems.items():
            times[name].append(timed(fn))
    return times


def ratio(times: dict[str, list[tuple[float, float]]], a: str, b: str, k: int = 0) -> float:
    return statistics.median(x[k] / y[k] for x, y in zip(times[a], times[b]))


def med(times: dict[str, list[tuple[float, float]]], a: str) -> str:
    return f"{statistics.median(x[0] for x in times[a]):.3f} / {statistics.median(x[1] for x in times[a]):.3f}"


def both(times: dict[str, list[tuple[float, float]]], a: str, b: str) -> str:
    return f"{ratio(times, a, b):.2f}x / {ratio(times, a, b, 1):.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--samples", type=int, default=20000)
    args = parser.parse_args()

    import tensorlet as tf
    from tensorlet.data import element_function

    raw, y = images(args.samples)
    x = (raw / 255.0).astype(np.float32)
    rows: list[tuple[str, str, str, str]] = []

    # -- W1 on a shuffled, batched, prefetched dataset against the arrays ------------------------------------
    model = w1()
    model.fit(x[:640], y[:640], batch_size=64, epochs=1, verbose=0)  # trace the step once, outside the timing
    pipeline = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(10000).batch(64).prefetch(tf.data.AUTOTUNE)

    options = tf.data.Options()
    options.threading.private_threadpool_size = 2
    threaded = pipeline.with_options(options)  # prefetch in a thread of its own (off by default)

    t = paired({"arrays": lambda: model.fit(x, y, batch_size=64, epochs=1, verbose=0),
                "dataset": lambda: model.fit(pipeline, epochs=1, verbose=0),
                "dataset, prefetch thread": lambda: model.fit(threaded, epochs=1, verbose=0)}, args.repeats)
    rows.append(("W1 fit, arrays", med(t, "arrays"), "1.00x", ""))
    rows.append(("W1 fit, from_tensor_slices.shuffle(10000).batch(64).prefetch", med(t, "dataset"),
                 both(t, "dataset", "arrays"), "target <= 1.15x"))
    rows.append(("  same, prefetch in a thread (private_threadpool_size=2)", med(t, "dataset, prefetch thread"),
                 both(t, "dataset, prefetch thread", "arrays"), "default: no thread"))

    # -- a map normalising uint8 images before batch ---------------------------------------------------------
    def normalise(image: Any, label: Any) -> Any:
        return tf.cast(image, tf.float32) / 255.0, label

    mapped = (tf.data.Dataset.from_tensor_slices((raw, y)).shuffle(10000).map(normalise)
              .batch(64).prefetch(tf.data.AUTOTUNE))
    per_element = (tf.data.Dataset.from_tensor_slices((raw, y)).shuffle(10000).map(normalise)
                   .batch(64).prefetch(tf.data.AUTOTUNE))
    per_element._input._input._fn._batched = None  # the map's chunk-wise replay off: one replay per element
    assert mapped._input._input._fn.vectorized
    t = paired({"arrays": lambda: model.fit(x, y, batch_size=64, epochs=1, verbose=0),
                "plain": lambda: model.fit(pipeline, epochs=1, verbose=0),
                "map": lambda: model.fit(mapped, epochs=1, verbose=0),
                "map per element": lambda: model.fit(per_element, epochs=1, verbose=0)}, args.repeats)
    rows.append(("W1 fit, ...shuffle.map(normalise).batch(64).prefetch (chunk-wise plan)", med(t, "map"),
                 both(t, "map", "arrays"), f"the map adds {ratio(t, 'map', 'plain') - 1:+.2f}x (CPU) over the same "
                 "pipeline without it (target <= 0.25x)"))
    rows.append(("  same, one plan replay per element", med(t, "map per element"), both(t, "map per element", "arrays"),
                 f"adds {ratio(t, 'map per element', 'plain') - 1:+.2f}x"))

    # -- cache(): the second epoch reads no source ----------------------------------------------------------
    reads = [0]

    def counted(image: Any, label: Any) -> Any:
        def count(v: Any) -> Any:
            reads[0] += 1
            return v
        return tf.py_function(count, [image], tf.uint8), label

    cached_source = tf.data.Dataset.from_tensor_slices((raw[:5000], y[:5000])).map(counted)
    cached = cached_source.map(normalise).cache().batch(64)
    tracemalloc.start()
    first = cpu(lambda: [None for _ in cached])
    after_first = tracemalloc.get_traced_memory()[0]
    reads_first = reads[0]
    second = cpu(lambda: [None for _ in cached])
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    data_mib = 5000 * 784 * 4 / 2**20
    rows.append(("cache(): epoch 1 / epoch 2 over 5000 mapped images", f"{first:.3f} / {second:.3f}",
                 f"{second / first:.2f}x", f"source reads {reads_first} then {reads[0] - reads_first}; cache holds "
                 f"{after_first / 2**20:.1f} MiB for {data_mib:.1f} MiB of float32 images "
                 f"({held / 2**20:.1f} MiB after epoch 2)"))

    # -- shuffle memory is bounded by its buffer --------------------------------------------------------------
    big = np.zeros((60000, 784), np.float32)
    ds = tf.data.Dataset.from_tensor_slices(big).shuffle(1000).batch(64)
    tracemalloc.start()
    for _ in ds:
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows.append(("shuffle(1000) over 60000 images of 3 KiB", "", "",
                 f"peak traced allocation {peak / 2**20:.1f} MiB; buffer {1000 * 784 * 4 / 2**20:.1f} MiB, "
                 f"dataset {big.nbytes / 2**20:.0f} MiB"))

    load = os.getloadavg()
    print(f"samples {args.samples}, repeats {args.repeats}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, element_function.MAX_SHAPES="
          f"{element_function.MAX_SHAPES}\n")
    print("| workload | CPU s / wall s | ratio to arrays (CPU / wall) | notes |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
