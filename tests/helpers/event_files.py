"""TensorBoard event files read back the way TensorBoard's dashboards read them (the ``tensorboard`` package's
plugin event accumulator, which also migrates legacy ``simple_value`` and ``HistogramProto`` values)."""
from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest


def accumulator(run_dir: Any) -> Any:
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing import plugin_event_accumulator

    acc = plugin_event_accumulator.EventAccumulator(str(run_dir), size_guidance={"tensors": 0})
    acc.Reload()
    return acc


def dashboard(log_dir: Any) -> dict[tuple[str, str, str], list[int]]:
    """``{(run, tag, plugin): steps}`` for every run (sub-folder) of ``log_dir``."""
    out: dict[tuple[str, str, str], list[int]] = {}
    for run in sorted(os.listdir(log_dir)):
        acc = accumulator(os.path.join(log_dir, run))
        for plugin in acc.ActivePlugins():
            for tag in acc.PluginTagToContent(plugin):
                out[(run, tag, plugin)] = [e.step for e in acc.Tensors(tag)]
    return out


def values(run_dir: Any, tag: str) -> list[Any]:
    """The values written under ``tag``, as arrays (bytes for strings), in step order."""
    from tensorboard.util import tensor_util

    out = [tensor_util.make_ndarray(e.tensor_proto) for e in accumulator(run_dir).Tensors(tag)]
    return [a.reshape(-1)[0] if a.dtype.kind in "OS" and a.size == 1 else a for a in out]


def scalars(run_dir: Any, tag: str) -> list[tuple[int, float]]:
    acc = accumulator(run_dir)
    from tensorboard.util import tensor_util

    return [(e.step, float(np.asarray(tensor_util.make_ndarray(e.tensor_proto)))) for e in acc.Tensors(tag)]
