"""Training beside other processes (issue 26): W1 and the small CNN, quiet and under two kinds of load.

Loads, each started fresh for its phase and stopped after it:
- quiet:  nothing added (the machine's own background load is printed: on a shared machine it is not zero);
- busy:   one busy Python process (``while True: pass``) per core;
- numpy:  one NumPy process doing 512x512 float32 matrix products on its default (OpenBLAS) threads.

Each system runs in a process of its own, started once (imports, model, one warm-up epoch), and times one epoch
per request. A repeat runs every load in turn and, under each, every workload and system back to back; the ratios
are medians of per-repeat ratios (STYLE section 9). The table gives each system's epoch time per load, its
loaded/quiet slowdown, and tensorlet's time over that system's under the same load. The loads' runnable counts
(``/proc/loadavg``, sampled while they run) and the load average are printed beside it.

Workloads: W1 = MLP 784-256-256-128-10 (ReLU, softmax), SGD(0.001), batch 64, one epoch on ``--w1-samples``;
CNN = Conv2D(32,3)-MaxPool-Conv2D(64,3)-MaxPool-Dense(128)-Dense(10), Adam(1e-3), batch 64, ``--cnn-samples``.
Targets: tensorlet's slowdown <= 3x and tensorlet <= 1.0x PyTorch under each load.

    python benchmarks/contention.py [--repeats 3] [--only W1,CNN] [--references]

``--references`` adds tensorlet with the thread count fixed by ``OPENBLAS_NUM_THREADS`` (1, and 2 = NumPy's default
on two cores), which turns the thread policy off. The variables that fix thread counts are removed from the
environment of every other process, loads included, so each system runs as a user's would by default.

Loads run in the benchmark's own session. Where Linux groups tasks by session (``sched_autogroup_enabled``), a
machine shared with other sessions gives each session an equal share of the CPUs, so a load in our session takes
its CPU from the benchmark, as a grid-search worker started by a notebook would; ``--own-session`` starts each
load process in a session of its own instead (as a second notebook's kernel or a browser is).

``--steady 10`` runs ten successive full W1 epochs (45,000 samples and 15,000 for validation, as ``suite.py``) of
tensorlet and of tensorlet on one thread fixed (and the other references with ``--references``), no load added, and prints each epoch's wall and CPU time (the process's, all threads)
and their spread (slowest / fastest).
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
FIXING = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
NUMPY_LOAD = ("import numpy as np\na = np.random.default_rng(0).random((512, 512), dtype=np.float32)\n"
              "while True:\n    a @ a\n")


# -- the systems, each in its own process ------------------------------------------------------------------------
def _data(n: int) -> tuple[Any, Any]:
    sys.path.insert(0, HERE)
    from suite import fashion

    x, y = fashion()
    return x[:n], y[:n]


def _tensorlet(kind: str) -> Any:
    import tensorlet as tf
    from tensorlet.keras import layers, models

    if kind == "W1":
        stack: list[Any] = [layers.Input(shape=(784,))]
        for w in (256, 256, 128):
            stack += [layers.Dense(w), layers.Activation("relu")]
        m = models.Sequential(stack + [layers.Dense(10), layers.Activation("softmax")])
        m.compile(optimizer=tf.keras.optimizers.SGD(0.001), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    else:
        m = models.Sequential([layers.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3, activation="relu"),
                               layers.MaxPooling2D(), layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
                               layers.Flatten(), layers.Dense(128, activation="relu"),
                               layers.Dense(10, activation="softmax")])
        m.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    return m


def _tf_keras(kind: str) -> Any:
    import tensorflow as tf

    k = tf.keras
    if kind == "W1":
        stack: list[Any] = [k.Input(shape=(784,))]
        for w in (256, 256, 128):
            stack += [k.layers.Dense(w), k.layers.Activation("relu")]
        m = k.Sequential(stack + [k.layers.Dense(10), k.layers.Activation("softmax")])
        m.compile(optimizer=k.optimizers.SGD(0.001), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    else:
        m = k.Sequential([k.Input(shape=(28, 28, 1)), k.layers.Conv2D(32, 3, activation="relu"), k.layers.MaxPooling2D(),
                          k.layers.Conv2D(64, 3, activation="relu"), k.layers.MaxPooling2D(), k.layers.Flatten(),
                          k.layers.Dense(128, activation="relu"), k.layers.Dense(10, activation="softmax")])
        m.compile(optimizer=k.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy")
    return m


class _Torch:
    def __init__(self, kind: str) -> None:
        import torch

        nn = torch.nn
        if kind == "W1":
            self.net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                     nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
            self.opt = torch.optim.SGD(self.net.parameters(), lr=0.001)
        else:
            self.net = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                                     nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
            self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.loss, self.torch = nn.CrossEntropyLoss(), torch

    def fit(self, x: Any, y: Any, batch_size: int, **_: Any) -> None:
        torch = self.torch
        if x.ndim == 4:
            x = x.transpose(0, 3, 1, 2).copy()
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)
        perm = torch.randperm(len(xt))
        for s in range(0, len(xt), batch_size):
            idx = perm[s:s + batch_size]
            self.opt.zero_grad()
            self.loss(self.net(xt[idx]), yt[idx]).backward()
            self.opt.step()


def _worker(system: str, sizes: dict[str, int], validation: int, conn: Any) -> None:
    """Build the system's models, warm each up with one epoch, then time an epoch per request."""
    if system == "tf.keras":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    x, y = _data(max(sizes.values()) + validation)
    models, data = {}, {}
    extra = {"validation_data": (x[-validation:], y[-validation:])} if validation else {}
    for kind, n in sizes.items():
        data[kind] = (x[:n].reshape(-1, 28, 28, 1) if kind == "CNN" else x[:n], y[:n])
        models[kind] = (_Torch(kind) if system == "torch" else _tf_keras(kind) if system == "tf.keras"
                        else _tensorlet(kind))
        models[kind].fit(*data[kind], batch_size=64, epochs=1, verbose=0, **extra)
    conn.send("ready")
    while True:
        kind = conn.recv()
        if kind is None:
            return
        counts_before = _thread_steps(system, models[kind])
        t0, c0 = time.perf_counter(), time.process_time()
        models[kind].fit(*data[kind], batch_size=64, epochs=1, verbose=0, **extra)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        after = _thread_steps(system, models[kind])
        conn.send((elapsed, cpu, {c: after.get(c, 0) - counts_before.get(c, 0) for c in after}))


def _thread_steps(system: str, model: Any) -> dict[int, int]:
    if not system.startswith("tensorlet"):
        return {}
    from tensorlet.backend import threads

    return threads.steps_by_count(model).get("train", {})


class System:
    def __init__(self, name: str, sizes: dict[str, int], env: dict[str, str], validation: int = 0) -> None:
        ctx = mp.get_context("spawn")
        self.name = name
        self.conn, child = ctx.Pipe()
        saved = dict(os.environ)
        os.environ.update(env)  # a spawned child takes the environment it starts with
        try:
            self.proc = ctx.Process(target=_worker, args=(name, sizes, validation, child), daemon=True)
            self.proc.start()
        finally:
            os.environ.clear()
            os.environ.update(saved)
        if self.conn.recv() != "ready":
            raise RuntimeError(f"{name} did not start")

    def epoch(self, kind: str) -> tuple[float, float, dict[int, int]]:
        """Wall time, CPU time of the process (all its threads) and training steps by thread count of one epoch."""
        self.conn.send(kind)
        return self.conn.recv()

    def close(self) -> None:
        self.conn.send(None)
        self.proc.join(timeout=30)


# -- loads -------------------------------------------------------------------------------------------------------
def start_load(kind: str, cpus: int, own_session: bool) -> list[subprocess.Popen]:
    env = {k: v for k, v in os.environ.items() if k not in FIXING}
    code = {"busy": ["while True: pass"] * cpus, "numpy": [NUMPY_LOAD]}.get(kind, [])
    return [subprocess.Popen([sys.executable, "-c", c], env=env, start_new_session=own_session) for c in code]


def stop_load(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait()


class RunnableSampler:
    """The machine's runnable task count (``/proc/loadavg``'s fourth field), sampled every 0.25 s into phases."""

    def __init__(self) -> None:
        self.phase = "setup"
        self.samples: dict[str, list[int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            try:
                with open("/proc/loadavg") as f:
                    runnable = int(f.read().split()[3].split("/")[0])
            except (OSError, ValueError, IndexError):
                return
            self.samples.setdefault(self.phase, []).append(runnable)

    def mean(self, phase: str) -> str:
        s = self.samples.get(phase)
        return f"{statistics.mean(s):.1f}" if s else "-"

    def stop(self) -> None:
        self._stop.set()


def loadavg() -> str:
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


def autogroup() -> str:
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled") as f:
            on = f.read().strip() == "1"
    except OSError:
        return "scheduler autogroups: unknown"
    return "scheduler autogroups: " + ("on (CPU shared by session)" if on else "off")


def have(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


# -- the run -----------------------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="W1,CNN")
    parser.add_argument("--loads", default="quiet,busy,numpy")
    parser.add_argument("--w1-samples", type=int, default=12800)
    parser.add_argument("--cnn-samples", type=int, default=3200)
    parser.add_argument("--references", action="store_true")
    parser.add_argument("--own-session", action="store_true")
    parser.add_argument("--steady", type=int, default=0, metavar="EPOCHS")
    args = parser.parse_args()
    fixed = {k: os.environ.pop(k) for k in FIXING if k in os.environ}
    if fixed:
        print(f"removed from the environment of the benchmark's processes: {fixed}")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    sizes = {k: v for k, v in (("W1", args.w1_samples), ("CNN", args.cnn_samples)) if k in args.only.split(",")}
    loads = args.loads.split(",")
    specs: list[tuple[str, dict[str, str]]] = [("tensorlet", {})]
    if args.references:
        specs += [("tensorlet 1 thread (env)", {"OPENBLAS_NUM_THREADS": "1"}),
                  ("tensorlet 2 threads (env)", {"OPENBLAS_NUM_THREADS": str(cpus)})]
    specs += [(name, {}) for name, module in (("torch", "torch"), ("tf.keras", "tensorflow")) if have(module)]
    print(f"cpus {cpus}; load average before start: {loadavg()}; {autogroup()}", flush=True)
    if args.steady:  # the policy beside one thread fixed (and two, with --references)
        one = ("tensorlet 1 thread (env)", {"OPENBLAS_NUM_THREADS": "1"})
        steady([(n, e) for n, e in specs if n.startswith("tensorlet")] + ([] if args.references else [one]),
               args.steady)
        return
    sampler = RunnableSampler()
    systems = [System(name, sizes, env) for name, env in specs]
    times: dict[tuple[str, str, str], list[float]] = {}
    steps: dict[str, dict[int, int]] = {}
    start_avg = loadavg()
    try:
        for r in range(args.repeats):
            for load in loads:
                procs = start_load(load, cpus, args.own_session)
                time.sleep(1.0)
                sampler.phase = load
                for kind in sizes:
                    for s in systems:
                        elapsed, _cpu, counts = s.epoch(kind)
                        times.setdefault((kind, s.name, load), []).append(elapsed)
                        if s.name == "tensorlet":
                            for c, n in counts.items():
                                steps.setdefault(f"{kind} {load}", {}).setdefault(c, 0)
                                steps[f"{kind} {load}"][c] += n
                sampler.phase = "between"
                stop_load(procs)
                print(f"repeat {r + 1}/{args.repeats}, load {load}: " + ", ".join(
                    f"{k} {s.name} {times[(k, s.name, load)][-1]:.2f}s" for k in sizes for s in systems), flush=True)
                time.sleep(0.5)
    finally:
        for s in systems:
            s.close()
        sampler.stop()
    report(sizes, systems, loads, times, steps, sampler, start_avg)


def steady(specs: list[tuple[str, dict[str, str]]], epochs: int) -> None:
    """Successive full W1 epochs of each variant, no load added: wall time, and the process's CPU time."""
    print("| system | s | " + " | ".join(f"epoch {i + 1}" for i in range(epochs)) + " | max/min | load average |")
    print("|" + "---|" * (epochs + 4))
    for name, env in specs:
        system = System(name, {"W1": 45000}, env, validation=15000)
        try:
            runs = [system.epoch("W1") for _ in range(epochs)]
        finally:
            system.close()
        for i, what in ((0, "wall"), (1, "cpu")):
            t = [r[i] for r in runs]
            print(f"| {name} | {what} | " + " | ".join(f"{v:.2f}" for v in t) + f" | {max(t) / min(t):.2f}x | "
                  f"{loadavg()} |", flush=True)


def _median_ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(x / y for x, y in zip(a, b))


def report(sizes: dict[str, int], systems: list[System], loads: list[str],
           times: dict[tuple[str, str, str], list[float]], steps: dict[str, dict[int, int]], sampler: RunnableSampler,
           start_avg: str) -> None:
    loaded = [ld for ld in loads if ld != "quiet"]
    head = (["workload", "system"] + [f"{ld} s" for ld in loads] + [f"{ld}/quiet" for ld in loaded if "quiet" in loads]
            + [f"tl/this {ld}" for ld in loads])
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for kind in sizes:
        tl = {ld: times[(kind, "tensorlet", ld)] for ld in loads}
        for s in systems:
            t = {ld: times[(kind, s.name, ld)] for ld in loads}
            cells = [kind, s.name] + [f"{statistics.median(t[ld]):.2f}" for ld in loads]
            if "quiet" in loads:
                cells += [f"{_median_ratio(t[ld], t['quiet']):.2f}x" for ld in loaded]
            cells += ["-" if s.name == "tensorlet" else f"{_median_ratio(tl[ld], t[ld]):.2f}x" for ld in loads]
            print("| " + " | ".join(cells) + " |")
    print()
    print(f"load average at start {start_avg}, at end {loadavg()}; runnable tasks on the machine, mean while each "
          "load ran (all systems' epochs included): " + ", ".join(f"{ld} {sampler.mean(ld)}" for ld in loads))
    print("tensorlet's training steps by BLAS thread count: " + "; ".join(
        f"{k}: " + ", ".join(f"{c} thread{'s' if c > 1 else ''} {n}" for c, n in sorted(v.items()))
        for k, v in steps.items()))


if __name__ == "__main__":
    main()
