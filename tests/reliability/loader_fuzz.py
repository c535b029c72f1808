"""A bounded fuzzer for every file loader: seed files, crafted hostile files, a seeded mutator, and a worker that
loads each file in a forked child under a memory and CPU limit and a wall-clock timeout.

The test (``test_loader_fuzz.py``) and the command line use it::

    python -m tests.reliability.loader_fuzz --files 3000 --seed 1

prints, per kind of file, how many were tried, loaded, refused cleanly (a ``ValueError``, or for dataset pickles
an ``UnpicklingError``, whose message names the file), refused uncleanly, hung or crashed, and the peak RSS.

The worker is its own process: it imports tensorlet and h5py once, then forks one child per file (the worker has
a single thread, so forking is safe) and reads the child's peak RSS from ``wait4``.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import pickle
import resource
import select
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 768 << 20  # address space a load may add to the worker's
CPU_SECONDS = 60
WALL_SECONDS = 120.0
OUTCOMES = ("loaded", "clean", "unclean", "hang", "crash")

# -- seed files ------------------------------------------------------------------------------------------------


def _seed_models(folder: Path) -> dict[str, Path]:
    import warnings

    import tensorlet as tf
    from tensorlet.keras import layers, models

    tf.keras.utils.set_random_seed(0)
    seq = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu", name="hidden"),
                             layers.Dropout(0.1), layers.Dense(3, activation="softmax", name="out")], name="seq")
    seq.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                metrics=["accuracy"])
    x = np.random.default_rng(0).standard_normal((16, 4)).astype("float32")
    seq.fit(x, (x[:, 0] > 0).astype(int), epochs=1, verbose=0)
    a = layers.Input(shape=(6, 3), name="a")
    h = layers.LSTM(4, name="lstm")(a)
    b = layers.Input(shape=(5, 5, 1), name="b")
    c = layers.Flatten()(layers.MaxPooling2D()(layers.Conv2D(2, 3, name="conv")(b)))
    out = layers.Dense(2, name="head")(layers.Concatenate()([h, c]))
    fun = models.Model([a, b], out, name="two")
    fun.compile(optimizer="sgd", loss="mse")
    paths = {"keras": folder / "seq.keras", "keras_functional": folder / "two.keras", "h5": folder / "seq.h5",
             "weights_h5": folder / "seq.weights.h5", "legacy_weights_h5": folder / "seq_legacy.h5"}
    seq.save(str(paths["keras"]))
    fun.save(str(paths["keras_functional"]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        seq.save(str(paths["h5"]))
    seq.save_weights(str(paths["weights_h5"]))
    seq.save_weights(str(paths["legacy_weights_h5"]))
    return paths


def _seed_datasets(folder: Path) -> dict[str, Path]:
    rng = np.random.default_rng(0)
    batch = {b"batch_label": b"training batch 1 of 5", b"data": rng.integers(0, 256, (3, 3072), dtype=np.uint8),
             b"labels": [3, 1, 4], b"filenames": [b"a.png", b"b.png", b"c.png"]}
    meta = {b"label_names": [b"airplane", b"automobile", b"bird"], b"num_cases_per_batch": 3, b"num_vis": 3072}
    seqs = np.empty(5, dtype=object)
    for i in range(5):
        seqs[i] = [int(v) for v in rng.integers(1, 500, 3 + i)]
    paths = {"cifar": folder / "data_batch_1", "cifar_meta": folder / "batches.meta",
             "npz": folder / "mnist.npz", "npz_sequences": folder / "imdb.npz"}
    paths["cifar"].write_bytes(pickle.dumps(batch, protocol=2))
    paths["cifar_meta"].write_bytes(pickle.dumps(meta, protocol=2))
    np.savez_compressed(paths["npz"], x_train=rng.integers(0, 256, (6, 4, 4), dtype=np.uint8),
                        y_train=rng.integers(0, 10, 6).astype(np.uint8), x_test=np.zeros((2, 4, 4), np.uint8),
                        y_test=np.ones(2, np.uint8))
    np.savez(paths["npz_sequences"], x=seqs, y=np.arange(5))
    return paths


def seed_files(folder: Path) -> dict[str, Path]:
    """One valid file of each kind, written into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return {**_seed_models(folder), **_seed_datasets(folder)}


# -- hostile files -----------------------------------------------------------------------------------------------


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write_zip(path: Path, members: dict[str, bytes], bombs: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            if name in (bombs or {}):
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with z.open(info, "w", force_zip64=True) as out:
                    out.write(data)
                    left, block = bombs[name] - len(data), b" " * (1 << 20)  # type: ignore[index]
                    while left > 0:
                        out.write(block[:left])
                        left -= len(block)
            else:
                z.writestr(name, data)
    return path


def _h5_copy(seed: Path, path: Path, edit: Callable[[Any], None]) -> Path:
    import h5py

    path.write_bytes(seed.read_bytes())
    with h5py.File(path, "r+") as f:
        edit(f)
    return path


def _replace(f: Any, name: str, **create: Any) -> None:
    parent, leaf = name.rsplit("/", 1)
    del f[name]
    f[parent].create_dataset(leaf, **create)


def _keras_config_edit(seed: Path, path: Path, edit: Callable[[dict], None]) -> Path:
    members = _zip_members(seed)
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    return _write_zip(path, members)


def _shared_lists(levels: int, fanout: int) -> bytes:
    out = bytearray(b"\x80\x02}U\x06labels](" + b"K\x00" * fanout + b"eq\x00")
    for i in range(1, levels):
        out += b"0](" + (b"h" + bytes([i - 1])) * fanout + b"eq" + bytes([i])
    return bytes(out + b"s.")


class _RunsCode:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return os.system, (f"touch {self.marker}",)


def hostile_files(folder: Path, seeds: dict[str, Path], marker: Path) -> list[tuple[str, Path, str]]:
    """Crafted attacks, one per defect class: ``(kind, path, what it tries)``."""
    import h5py

    folder.mkdir(parents=True, exist_ok=True)
    secret = folder / "secret.txt"
    secret.write_bytes(b"S3CRET" * 64)
    out: list[tuple[str, Path, str]] = []

    def add(kind: str, path: Path, what: str) -> None:
        out.append((kind, path, what))

    w, m, k = seeds["weights_h5"], seeds["h5"], seeds["keras"]
    kernel = "layers/dense/vars/0"
    add("weights_h5", _h5_copy(w, folder / "huge.weights.h5", lambda f: _replace(
        f, kernel, shape=(30000, 30000), dtype="f4", chunks=(1000, 1000))), "30000x30000 declared, never written")
    add("weights_h5", _h5_copy(w, folder / "external.weights.h5", lambda f: _replace(
        f, kernel, shape=(4, 8), dtype="f4", external=[(str(secret), 0, 128)])), "external storage")

    def link(f: Any) -> None:
        del f[kernel]
        f[kernel] = h5py.ExternalLink(str(seeds["h5"]), "/model_weights/hidden/hidden/kernel:0")
    add("weights_h5", _h5_copy(w, folder / "link.weights.h5", link), "external link")

    def virtual(f: Any) -> None:
        layout = h5py.VirtualLayout(shape=(4, 8), dtype="f4")
        layout[:] = h5py.VirtualSource(str(seeds["h5"]), "/model_weights/hidden/hidden/kernel:0", shape=(4, 8))
        del f[kernel]
        f["layers/dense/vars"].create_virtual_dataset("0", layout)
    add("weights_h5", _h5_copy(w, folder / "virtual.weights.h5", virtual), "virtual dataset")
    add("weights_h5", _h5_copy(w, folder / "complex.weights.h5", lambda f: _replace(
        f, kernel, data=np.ones((4, 8), np.complex64))), "complex weights")
    add("legacy_weights_h5", _h5_copy(seeds["legacy_weights_h5"], folder / "huge_legacy.h5", lambda f: _replace(
        f, "hidden/hidden/kernel:0", shape=(30000, 30000), dtype="f4", chunks=(1000, 1000))),
        "legacy weights, 30000x30000 declared")
    hang = folder / "gheap.h5"
    blob = bytearray(m.read_bytes())
    at = blob.find(b"GCOL\x01")
    blob[at + 8:at + 16] = (len(blob) - at).to_bytes(8, "little")
    hang.write_bytes(bytes(blob))
    add("h5", hang, "global heap walk that never ends in libhdf5")

    members = _zip_members(k)
    add("keras", _write_zip(folder / "config_bomb.keras", members, {"config.json": 160 << 20}),
        "config.json inflating to 160 MiB")
    add("keras", _write_zip(folder / "weights_bomb.keras", members, {"model.weights.h5": 160 << 20}),
        "model.weights.h5 inflating to 160 MiB")
    add("keras", _keras_config_edit(k, folder / "empty_layers.keras",
                                    lambda c: c["config"].__setitem__("layers", {})), '"layers": {}')
    add("keras", _keras_config_edit(k, folder / "units.keras",
                                    lambda c: c["config"]["layers"][-1]["config"].__setitem__("units", 10**10)),
        "a config asking for 10^10 units")
    add("keras", _keras_config_edit(k, folder / "build_config.keras",
                                    lambda c: c["config"]["layers"][-1].__setitem__("build_config", True)),
        "build_config=True")
    deep = dict(members, **{"config.json": b'{"class_name": "Sequential", "config": {"layers": '
                            + b"[" * 200_000 + b"]" * 200_000 + b"}}"})
    add("keras", _write_zip(folder / "deep.keras", deep), "JSON nested 200,000 deep")

    def lam(c: dict) -> None:
        import base64
        import marshal

        code = compile(f"__import__('os').system('touch {marker}')", "x", "eval")
        c["config"]["layers"].append({"class_name": "Lambda", "config": {"name": "evil", "function": {
            "class_name": "__lambda__", "config": {"code": base64.b64encode(marshal.dumps(code)).decode(),
                                                   "defaults": None, "closure": None}}}})
    add("keras", _keras_config_edit(k, folder / "lambda.keras", lam), "Lambda bytecode under safe_mode")

    pk = folder / "pickles"
    pk.mkdir(exist_ok=True)
    (pk / "shared").write_bytes(_shared_lists(7, 10))
    add("cifar", pk / "shared", "lists shared through the memo: 10^7 elements from 194 bytes")
    (pk / "memo").write_bytes(b"\x80\x02K\x00r\xff\xff\xff\x0f.")
    add("cifar", pk / "memo", "LONG_BINPUT 2^28: a 4 GiB memo table from 12 bytes")
    (pk / "system").write_bytes(pickle.dumps({b"data": _RunsCode(marker)}, protocol=2))
    add("cifar", pk / "system", "os.system through REDUCE")
    (pk / "big_int").write_bytes(b"\x80\x02}U\x06labels\x8b\x00\x00\x10\x00" + b"\x07" * (1 << 20) + b"s.")
    add("cifar", pk / "big_int", "an 8-megabit integer")
    seqs = np.empty(2000, dtype=object)
    shared = list(range(2000))
    for i in range(len(seqs)):
        seqs[i] = shared
    np.savez(folder / "shared_seq.npz", x=seqs, y=np.arange(2000))
    add("npz_sequences", folder / "shared_seq.npz", "one list shared by every sequence")
    evil = np.empty(2, dtype=object)
    evil[0], evil[1] = [1], _RunsCode(marker)
    np.savez(folder / "evil_seq.npz", x=evil, y=np.arange(2))
    add("npz_sequences", folder / "evil_seq.npz", "os.system inside an object array")
    zeros = io.BytesIO()
    np.lib.format.write_array(zeros, np.zeros(160 << 20, np.uint8))
    members = {"x_train.npy": zeros.getvalue()}
    del zeros
    for name in ("y_train", "x_test", "y_test"):
        small = io.BytesIO()
        np.lib.format.write_array(small, np.zeros(4, np.uint8))
        members[name + ".npy"] = small.getvalue()
    add("npz", _write_zip(folder / "bomb.npz", members), "x_train.npy inflating to 160 MiB")
    return out


# -- the mutator -------------------------------------------------------------------------------------------------

_INTERESTING = (0, 1, 0x7F, 0x80, 0xFF)


def mutate_bytes(data: bytes, rng: np.random.Generator) -> bytes:
    """One of: bit flips, interesting bytes, truncation, a deleted or duplicated chunk, random bytes inserted."""
    out = bytearray(data)
    choice = int(rng.integers(0, 6))
    n = len(out)
    if n == 0:
        return bytes(rng.integers(0, 256, 16, dtype=np.uint8))
    if choice == 0:
        for _ in range(int(rng.integers(1, 9))):
            i = int(rng.integers(0, n))
            out[i] ^= 1 << int(rng.integers(0, 8))
    elif choice == 1:
        for _ in range(int(rng.integers(1, 5))):
            out[int(rng.integers(0, n))] = _INTERESTING[int(rng.integers(0, len(_INTERESTING)))]
    elif choice == 2:
        out = out[: int(rng.integers(0, n))]
    elif choice == 3:
        a = int(rng.integers(0, n))
        b = min(n, a + int(rng.integers(1, 256)))
        del out[a:b]
    elif choice == 4:
        a = int(rng.integers(0, n))
        b = min(n, a + int(rng.integers(1, 512)))
        out[a:a] = out[a:b] * int(rng.integers(1, 4))
    else:
        a = int(rng.integers(0, n))
        out[a:a] = bytes(rng.integers(0, 256, int(rng.integers(1, 64)), dtype=np.uint8))
    return bytes(out)


def _nodes(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, v in value.items():
            found += _nodes(v, path + (key,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _nodes(v, path + (i,))
    return found


def mutate_json(config: Any, rng: np.random.Generator) -> Any:
    """Replace one node of a config with a value of another type, a scaled number, or drop a key."""
    nodes = [p for p in _nodes(config) if p]
    if not nodes:
        return config
    path = nodes[int(rng.integers(0, len(nodes)))]
    parent = config
    for key in path[:-1]:
        parent = parent[key]
    leaf = path[-1]
    current = parent[leaf]
    choice = int(rng.integers(0, 8))
    if choice == 0 and isinstance(parent, dict):
        del parent[leaf]
        return config
    if choice == 1 and isinstance(current, (int, float)) and not isinstance(current, bool):
        parent[leaf] = current * 10 ** int(rng.integers(1, 7)) * (-1 if rng.random() < 0.3 else 1)
        return config
    replacements = [None, True, -1, 0, 3.5, "", "relu", [], {}, [None], {"class_name": "Dense"}, 2**40,
                    [[[[[]]]]], "x" * 300]
    parent[leaf] = replacements[int(rng.integers(0, len(replacements)))]
    return config


def mutate_keras(data: bytes, rng: np.random.Generator) -> bytes:
    """A .keras archive: mutate the zip itself, or one member (config.json as JSON or as bytes) and re-zip."""
    if rng.random() < 0.3:
        return mutate_bytes(data, rng)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = ["config.json", "model.weights.h5", "metadata.json"][int(rng.integers(0, 3))]
    if name == "config.json" and rng.random() < 0.7:
        members[name] = json.dumps(mutate_json(json.loads(members[name]), rng)).encode()
    else:
        members[name] = mutate_bytes(members[name], rng)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for n, member in members.items():
            z.writestr(n, member)
    return buffer.getvalue()


def mutated_files(folder: Path, seeds: dict[str, Path], count: int, seed: int) -> list[tuple[str, Path, str]]:
    """``count`` mutated copies of the seeds, spread over the kinds."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    weights = {"keras": 4, "keras_functional": 2, "h5": 4, "weights_h5": 3, "legacy_weights_h5": 2, "cifar": 3,
               "cifar_meta": 1, "npz": 1, "npz_sequences": 2}
    kinds = [k for k, w in weights.items() for _ in range(w)]
    out = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        data = seeds[kind].read_bytes()
        mutated = mutate_keras(data, rng) if kind.startswith("keras") else mutate_bytes(data, rng)
        path = folder / f"{i:05d}_{seeds[kind].name}"
        path.write_bytes(mutated)
        out.append((kind, path, "mutated"))
    return out


# -- loading in a bounded child ------------------------------------------------------------------------------------


def _loader(kind: str) -> tuple[Callable[[str], Any], tuple[type[BaseException], ...]]:
    """How a kind of file is loaded, and the exception types that count as a clean refusal."""
    from tensorlet.datasets.cifar_pickle import load_batch, load_pickle
    from tensorlet.datasets.npz_sequences import load_npz
    from tensorlet.keras import layers, models

    def weights(path: str) -> Any:
        m = models.Sequential([layers.Input(shape=(4,)), layers.Dense(8, activation="relu", name="hidden"),
                               layers.Dropout(0.1), layers.Dense(3, activation="softmax", name="out")])
        m.load_weights(path)

    if kind in ("keras", "keras_functional", "h5"):
        return models.load_model, (ValueError,)
    if kind in ("weights_h5", "legacy_weights_h5"):
        return weights, (ValueError,)
    if kind == "cifar":
        return load_batch, (ValueError, pickle.UnpicklingError)
    if kind == "cifar_meta":
        return load_pickle, (ValueError, pickle.UnpicklingError)
    if kind == "npz":
        from tensorlet.datasets.mnist import _read

        return _read, (ValueError, pickle.UnpicklingError, KeyError)
    return (lambda p: load_npz(p, ("x", "y"))), (ValueError, pickle.UnpicklingError, KeyError)


def _child(kind: str, path: str, limit: int, out_fd: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 5))
    load, clean = _loader(kind)
    try:
        load(path)
        result = {"outcome": "loaded"}
    except clean as e:
        named = path in str(e)
        result = {"outcome": "clean" if named else "unclean", "error": f"{type(e).__name__}: {str(e)[:300]}"}
    except BaseException as e:  # noqa: BLE001 - reported to the parent
        result = {"outcome": "unclean", "error": f"{type(e).__name__}: {str(e)[:300]}"}
    os.write(out_fd, json.dumps(result).encode())
    os._exit(0)


def _vm_size() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 1 << 31


def load_bounded(kind: str, path: str) -> dict[str, Any]:
    """Load one file in a forked child; the outcome, the error, the wall time and the child's peak RSS."""
    read_fd, write_fd = os.pipe()
    limit = _vm_size() + MEMORY_LIMIT
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        _child(kind, path, limit, write_fd)
    os.close(write_fd)
    chunks, status, usage = [], None, None
    while status is None:
        ready, _, _ = select.select([read_fd], [], [], 0.05)
        if ready:
            chunk = os.read(read_fd, 65536)
            if chunk:
                chunks.append(chunk)
        done, raw_status, ru = os.wait4(pid, os.WNOHANG)
        if done:
            status, usage = raw_status, ru
        elif time.monotonic() - start > WALL_SECONDS:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            os.close(read_fd)
            return {"outcome": "hang", "seconds": time.monotonic() - start, "rss_mib": usage.ru_maxrss / 1024}
    while True:
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    seconds = time.monotonic() - start
    if chunks:
        result = json.loads(b"".join(chunks))
    else:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        result = {"outcome": "crash", "error": f"signal {sig}" if sig else f"exit {os.WEXITSTATUS(status)}"}
    result.update(seconds=seconds, rss_mib=usage.ru_maxrss / 1024)
    return result


def worker() -> None:
    """Read ``{"kind", "path"}`` lines on stdin, answer each with a result line on stdout."""
    import warnings

    warnings.simplefilter("ignore")
    for kind in ("keras", "cifar", "npz"):
        _loader(kind)  # import everything before the first fork
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"ready": True, "base_rss_mib": base}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        print(json.dumps(load_bounded(job["kind"], job["path"])), flush=True)


def run(jobs: list[tuple[str, Path, str]]) -> tuple[list[dict[str, Any]], float]:
    """Load every job in a fresh worker process; the results (in order) and the worker's own RSS."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "tests.reliability.loader_fuzz", "--worker"], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    base = json.loads(proc.stdout.readline())["base_rss_mib"]
    results = []
    try:
        for kind, path, what in jobs:
            proc.stdin.write(json.dumps({"kind": kind, "path": str(path)}) + "\n")
            proc.stdin.flush()
            result = json.loads(proc.stdout.readline())
            result.update(kind=kind, path=str(path), what=what)
            results.append(result)
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    return results, base


def summary(results: list[dict[str, Any]], base_rss: float) -> str:
    rows = defaultdict(Counter)
    peak: dict[str, float] = defaultdict(float)
    for r in results:
        rows[r["kind"]][r["outcome"]] += 1
        peak[r["kind"]] = max(peak[r["kind"]], r["rss_mib"])
    lines = [f"{'kind':<20}{'tried':>7}" + "".join(f"{o:>9}" for o in OUTCOMES) + f"{'peak RSS MiB':>14}"]
    for kind, counts in sorted(rows.items()):
        lines.append(f"{kind:<20}{sum(counts.values()):>7}" + "".join(f"{counts[o]:>9}" for o in OUTCOMES)
                     + f"{peak[kind]:>14.0f}")
    total = Counter(r["outcome"] for r in results)
    lines.append(f"{'all':<20}{len(results):>7}" + "".join(f"{total[o]:>9}" for o in OUTCOMES)
                 + f"{max(peak.values(), default=0):>14.0f}")
    lines.append(f"(the worker itself: {base_rss:.0f} MiB; each load runs in a fork of it, limited to "
                 f"+{MEMORY_LIMIT >> 20} MiB of address space and {CPU_SECONDS} s of CPU)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--files", type=int, default=200, help="mutated files (hostile ones come on top)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folder", default=None, help="where to write the files (default: a temporary folder)")
    parser.add_argument("--dump", default=None, help="write every result to this JSON file")
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.folder or tmp)
        marker = folder / "code-ran"
        seeds = seed_files(folder / "seeds")
        jobs = hostile_files(folder / "hostile", seeds, marker) + mutated_files(folder / "mutated", seeds,
                                                                               args.files, args.seed)
        results, base = run(jobs)
        if args.dump:
            Path(args.dump).write_text(json.dumps(results, indent=1))
        print(summary(results, base))
        bad = [r for r in results if r["outcome"] in ("unclean", "hang", "crash")]
        for r in bad[:30]:
            print(f"  {r['outcome']}: {r['kind']} {r['what']} {r['path']}: {r.get('error', '')[:160]}")
        print("code ran: " + ("YES" if marker.exists() else "no"))


if __name__ == "__main__":
    main()
