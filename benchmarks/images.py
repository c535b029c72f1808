"""Image input pipelines against TensorFlow (issue 22): decoding a folder of JPEGs, resizing a batch, augmenting.

Three workloads, each run by tensorlet and by TensorFlow in fresh processes of their own, back to back per repeat:

- ``directory``: one pass over ``keras.utils.image_dataset_from_directory`` of 2,000 generated JPEGs (two
  classes, sizes 160-400 px) resized to 180x180 in batches of 32 (tf.data's parallel map for TensorFlow);
  images per second.
- ``resize``: ``tf.image.resize`` of a (32, 256, 256, 3) float32 batch to 180x180, bilinear and
  ``antialias=True`` area-like downscaling; milliseconds per call.
- ``flow``: ``ImageDataGenerator`` (rotation, shifts, shear, zoom, flips) ``.flow`` over 512 images of 150x150x3
  in batches of 32, one epoch; images per second, against ``tf_keras.preprocessing.image``.

    python benchmarks/images.py                    # 3 repeats, JPEGs in a temporary folder
    python benchmarks/images.py --repeats 5 --dir /tmp/jpegs

The ratio columns are medians of per-repeat ratios: tensorlet/TF of throughput (wall clock; >1: tensorlet
faster) and TF/tensorlet of the CPU time the process spent per image or call, every thread counted (>1:
tensorlet spends less CPU). The load average is printed with the table (STYLE.md section 9).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

IMAGES, SIZE, BATCH = 2000, (180, 180), 32


def make_folder(root: str, count: int = IMAGES) -> None:
    """``count`` JPEGs of random smooth content under root/cats and root/dogs (written once)."""
    import numpy as np
    from PIL import Image

    marker = os.path.join(root, f".complete-{count}")
    if os.path.exists(marker):
        return
    rng = np.random.default_rng(0)
    for i in range(count):
        label = ("cats", "dogs")[i % 2]
        os.makedirs(os.path.join(root, label), exist_ok=True)
        h, w = (int(v) for v in rng.integers(160, 400, 2))
        coarse = rng.integers(0, 256, (h // 16 + 1, w // 16 + 1, 3)).astype("uint8")
        image = Image.fromarray(coarse).resize((w, h), Image.BILINEAR)
        image.save(os.path.join(root, label, f"{label}.{i}.jpg"), quality=90)
    open(marker, "w").close()


def worker(system: str, workload: str, folder: str) -> tuple[float, float]:
    """Throughput of one workload in this process (images per second; for resize, calls per second), and the
    process' CPU seconds (every thread's) per image or call."""
    import numpy as np

    if system == "tensorlet":
        import tensorlet as tf
        from tensorlet.keras.preprocessing.image import ImageDataGenerator
    else:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
        from tf_keras.preprocessing.image import ImageDataGenerator

    if workload == "directory":
        ds = tf.keras.utils.image_dataset_from_directory(folder, image_size=SIZE, batch_size=BATCH, seed=1,
                                                         verbose=False) if system == "tensorlet" else \
            tf.keras.utils.image_dataset_from_directory(folder, image_size=SIZE, batch_size=BATCH, seed=1,
                                                        verbose=False).prefetch(tf.data.AUTOTUNE)
        start, cpu, seen = time.perf_counter(), time.process_time(), 0
        for images, _ in ds:
            seen += int(images.shape[0])
        return seen / (time.perf_counter() - start), (time.process_time() - cpu) / seen
    if workload.startswith("resize"):
        x = tf.constant(np.random.default_rng(0).random((BATCH, 256, 256, 3)).astype("float32"))
        antialias = workload == "resize_antialias"
        tf.image.resize(x, SIZE, antialias=antialias)  # warm up
        start, cpu, calls = time.perf_counter(), time.process_time(), 0
        while time.perf_counter() - start < 3.0:
            tf.image.resize(x, SIZE, antialias=antialias)
            calls += 1
        return calls / (time.perf_counter() - start), (time.process_time() - cpu) / calls
    if workload == "flow":
        x = np.random.default_rng(0).random((512, 150, 150, 3)).astype("float32") * 255
        y = np.arange(512) % 2
        gen = ImageDataGenerator(rescale=1 / 255, rotation_range=40, width_shift_range=0.2, height_shift_range=0.2,
                                 shear_range=0.2, zoom_range=0.2, horizontal_flip=True, fill_mode="nearest")
        it = gen.flow(x, y, batch_size=BATCH, seed=0)
        start, cpu, seen = time.perf_counter(), time.process_time(), 0
        for i in range(len(it)):
            seen += len(it[i][0])
        return seen / (time.perf_counter() - start), (time.process_time() - cpu) / seen
    raise ValueError(f"unknown workload {workload!r}")


def run(system: str, workload: str, folder: str) -> tuple[float, float]:
    env = dict(os.environ)
    if system == "tensorlet":
        env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, __file__, "--worker", system, workload, "--dir", folder],
                         capture_output=True, text=True, env=env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["rate"]), float(result["cpu"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dir", default=None, help="folder for the generated JPEGs (kept between runs)")
    parser.add_argument("--workloads", default="directory,resize,resize_antialias,flow")
    parser.add_argument("--worker", nargs=2, metavar=("SYSTEM", "WORKLOAD"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = args.dir or os.path.join(tempfile.gettempdir(), "tensorlet-bench-jpegs")
    if args.worker:
        rate, cpu = worker(args.worker[0], args.worker[1], folder)
        print(json.dumps({"rate": rate, "cpu": cpu}))
        return
    make_folder(folder)
    loads = [os.getloadavg()[0]]
    units = {"directory": ("images/s", "image"), "resize": ("calls/s", "call"),
             "resize_antialias": ("calls/s", "call"), "flow": ("images/s", "image")}
    print("| workload | unit | tensorlet | TensorFlow | tensorlet/TF throughput | CPU ms per item, tensorlet | "
          "TensorFlow | TF/tensorlet CPU |")
    print("|---|---|---|---|---|---|---|---|")
    for workload in args.workloads.split(","):
        ours, theirs, ratios, cpu_ours, cpu_theirs, cpu_ratios = [], [], [], [], [], []
        for _ in range(args.repeats):
            (a, ca), (b, cb) = run("tensorlet", workload, folder), run("tf", workload, folder)
            ours.append(a)
            theirs.append(b)
            ratios.append(a / b)
            cpu_ours.append(ca)
            cpu_theirs.append(cb)
            cpu_ratios.append(cb / ca)
            loads.append(os.getloadavg()[0])
        rate_unit, item = units[workload]
        print(f"| {workload} | {rate_unit} | {statistics.median(ours):.1f} | {statistics.median(theirs):.1f} "
              f"| {statistics.median(ratios):.2f} | {statistics.median(cpu_ours) * 1e3:.2f} "
              f"| {statistics.median(cpu_theirs) * 1e3:.2f} | {statistics.median(cpu_ratios):.2f} |", flush=True)
    print(f"\nload average (1 min) during the run: {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
