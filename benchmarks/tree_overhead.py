"""What walking nested structures costs where tensorlet does it per batch or per call (issue 18, item 2).

Times ``tensorlet.tree`` on small structures (two arrays in a tuple, a list and a dict, one array, a nested dict)
and the call sites that walk them: ``fit``'s per-batch flatten and slice (``data_adapter.flat``/``take``), one
``GradientTape.gradient`` on a list and on a dict of sources, an eager ``Dense`` call on one tensor, and an
eager call of a two-input Functional model fed a dict.

    python benchmarks/tree_overhead.py                       # the tensorlet on sys.path
    python benchmarks/tree_overhead.py --against ../other  # also another checkout, alternated, same run

With ``--against``, each repeat runs both checkouts back to back in fresh processes (this tree first, then the
other); the ratio column is the median of the per-repeat ratios (STYLE.md section 9). Times are CPU time
(``time.process_time``), the minimum of five blocks.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import timeit


def per_call_ns(fn, number: int = 20000, repeat: int = 5) -> float:
    # CPU time of this process: on a shared machine, time spent waiting for a core is not the code's cost
    return min(timeit.Timer(fn, timer=time.process_time).repeat(number=number, repeat=repeat)) / number * 1e9


def measure() -> dict[str, float]:
    import numpy as np

    import tensorlet as tf
    from tensorlet.training import data_adapter as da
    from tensorlet.training import steps

    a, b = np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32")
    cases = {"tuple2": (a, b), "list2": [a, b], "dict2": {"y": a, "x": b}, "leaf": a,
             "nested": {"b": [a, (b, a)], "a": b}}
    out: dict[str, float] = {}
    try:
        from tensorlet import tree
    except ImportError:
        tree = None
    for name, s in cases.items():
        if tree is not None:
            flat = tree.flatten(s)
            out[f"tree.flatten {name}"] = per_call_ns(lambda s=s: tree.flatten(s))
            out[f"tree.pack_sequence_as {name}"] = per_call_ns(lambda s=s, f=flat: tree.pack_sequence_as(s, f))
            out[f"tree.map_structure {name}"] = per_call_ns(lambda s=s: tree.map_structure(id, s))
        out[f"data_adapter.flat {name}"] = per_call_ns(lambda s=s: da.flat(s))
        out[f"data_adapter.take {name}"] = per_call_ns(lambda s=s: da.take(s, slice(0, 2)))
        structure_of = getattr(steps, "structure_of", None)  # a per-batch template, in checkouts that have one
        if structure_of is not None:
            out[f"steps.structure_of {name}"] = per_call_ns(lambda s=s, f=structure_of: f(s))

    v, w = tf.Variable(np.ones(3, "float32")), tf.Variable(2.0)

    def gradient(sources):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v * w)
        return tape.gradient(y, sources)

    out["GradientTape.gradient [v, w]"] = per_call_ns(lambda: gradient([v, w]), number=5000)
    out["GradientTape.gradient {'w', 'v'}"] = per_call_ns(lambda: gradient({"w": w, "v": v}), number=5000)

    dense = tf.keras.layers.Dense(4)
    x = tf.constant(np.ones((2, 3), "float32"))
    dense(x)
    out["Dense eager call on a Tensor"] = per_call_ns(lambda: dense(x), number=5000)

    ia, ib = tf.keras.Input(shape=(3,), name="a"), tf.keras.Input(shape=(2,), name="b")
    model = tf.keras.Model({"a": ia, "b": ib}, tf.keras.layers.Concatenate()([ia, ib]))
    feed = {"b": b, "a": a}
    model(feed)
    out["Functional eager call, dict of 2 inputs"] = per_call_ns(lambda: model(feed), number=2000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", help="path of another tensorlet checkout to time in the same run")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure()))
        return
    if not args.against:
        for name, ns in measure().items():
            print(f"| {name} | {ns:,.0f} ns |")
        return
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runs: dict[str, list[dict[str, float]]] = {"this": [], "other": []}
    for _ in range(args.repeats):
        for label, root in (("this", here), ("other", args.against)):
            env = dict(os.environ, PYTHONPATH=root)
            text = subprocess.run([sys.executable, os.path.abspath(__file__), "--json"], env=env, check=True,
                                  capture_output=True, text=True, cwd=root).stdout
            runs[label].append(json.loads(text.strip().splitlines()[-1]))
    print(f"load average {os.getloadavg()[0]:.1f}; {args.repeats} repeats; medians in ns\n")
    print(f"| call | this tree | {args.against} | this/other |")
    print("|---|---|---|---|")
    names = list(runs["this"][0]) + [n for n in runs["other"][0] if n not in runs["this"][0]]
    for name in names:
        if name not in runs["this"][0] or name not in runs["other"][0]:
            side = "this" if name in runs["this"][0] else "other"
            value = f"{statistics.median(r[name] for r in runs[side]):,.0f}"
            print(f"| {name} | {value if side == 'this' else '-'} | {value if side == 'other' else '-'} | - |")
            continue
        mine = statistics.median(r[name] for r in runs["this"])
        theirs = statistics.median(r[name] for r in runs["other"])
        ratio = statistics.median(m[name] / o[name] for m, o in zip(runs["this"], runs["other"]))
        print(f"| {name} | {mine:,.0f} | {theirs:,.0f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
