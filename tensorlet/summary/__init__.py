"""``tf.summary``: write TensorBoard event files (scalars, histograms, text) without TensorFlow.

The format is written directly (TFRecord framing with masked CRC-32C, hand-encoded protobuf): it is small and
stable, and this keeps tensorboard/protobuf out of tensorlet's dependencies (see docs/tensorboard.md).

Example:
    >>> writer = create_file_writer("logs/run1")  # doctest: +SKIP
    >>> with writer.as_default():  # doctest: +SKIP
    ...     scalar("loss", 0.5, step=1)
"""
from __future__ import annotations

from typing import Any

from tensorlet.summary.event_writer import SummaryWriter, _default
from tensorlet.summary.graph_trace import trace_export, trace_off, trace_on


def create_file_writer(logdir: Any, max_queue: int | None = None, flush_millis: int | None = None,
                       filename_suffix: str | None = None, name: str | None = None) -> SummaryWriter:
    return SummaryWriter(logdir, filename_suffix=filename_suffix or "", max_queue=max_queue or 10)


def _writer() -> SummaryWriter | None:
    return _default[-1] if _default else None


def _step(step: Any) -> int:
    if step is None:
        raise ValueError("No step set: pass step= (tensorlet has no global summary step)")
    return int(step)


def scalar(name: str, data: Any, step: Any = None, description: Any = None) -> bool:
    w = _writer()
    if w is None:
        return False
    w.add_scalar(name, data, _step(step))
    return True


def histogram(name: str, data: Any, step: Any = None, buckets: int | None = None, description: Any = None) -> bool:
    w = _writer()
    if w is None:
        return False
    w.add_histogram(name, data, _step(step), buckets or 30)
    return True


def text(name: str, data: Any, step: Any = None, description: Any = None) -> bool:
    w = _writer()
    if w is None:
        return False
    w.add_text(name, data, _step(step))
    return True


def flush(writer: Any = None) -> None:
    w = writer or _writer()
    if w is not None:
        w.flush()


__all__ = ["SummaryWriter", "create_file_writer", "scalar", "histogram", "text", "flush", "trace_on", "trace_off",
           "trace_export"]
