"""Event files for TensorBoard: TFRecord framing of Event protos (scalars, histograms, text, a Keras model).

Every value is written as TensorFlow 2's ``tf.summary`` writes it: a ``TensorProto`` with the plugin that reads
it named in the value's metadata (``scalars``: a float32 scalar; ``histograms``: a float64 ``[buckets, 3]`` table
of left edge, right edge, count; ``text``; ``graph_keras_model``: the model's JSON), so a tensorlet run and a
tf.keras run look alike in one dashboard.
"""
from __future__ import annotations

import os
import socket
import time
from typing import Any

import numpy as np

from tensorlet.summary import protobuf as pb
from tensorlet.summary.record_framing import frame

_DT_FLOAT, _DT_DOUBLE, _DT_STRING = 1, 2, 7
_counter = [0]


def _event(step: int, summary: bytes | None = None, file_version: str | None = None,
           graph_def: bytes | None = None) -> bytes:
    out = pb.f_double(1, time.time()) + pb.f_varint(2, int(step))
    if file_version is not None:
        out += pb.f_string(3, file_version)
    if graph_def is not None:
        out += pb.f_bytes(4, graph_def)
    if summary is not None:
        out += pb.f_bytes(5, summary)
    return out


def _value(tag: str, body: bytes) -> bytes:
    return pb.f_bytes(1, pb.f_string(1, tag) + body)


def _tensor_value(tag: str, plugin: str, dtype: int, shape: tuple[int, ...], content: bytes = b"",
                  strings: tuple[bytes, ...] = (), plugin_content: bytes = b"") -> bytes:
    """A Summary.Value holding a TensorProto (field 8) and the plugin that reads it (metadata, field 9)."""
    plugin_data = pb.f_string(1, plugin) + (pb.f_bytes(2, plugin_content) if plugin_content else b"")
    dims = b"".join(pb.f_bytes(2, pb.f_varint(1, d)) for d in shape)
    tensor = pb.f_varint(1, dtype) + pb.f_bytes(2, dims)
    if content:
        tensor += pb.f_bytes(4, content)
    tensor += b"".join(pb.f_bytes(8, s) for s in strings)
    return _value(tag, pb.f_bytes(9, pb.f_bytes(1, plugin_data)) + pb.f_bytes(8, tensor))


def histogram_buckets(values: Any, bucket_count: int = 30) -> np.ndarray:
    """TensorBoard's histogram table, shape ``[bucket_count, 3]``: equal-width buckets from min to max (the last
    one closed), rows of (left edge, right edge, count). One distinct value puts every count in the last bucket,
    whose edges are that value; no data gives zeros. Non-finite values are left out."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    v = v[np.isfinite(v)]
    k = max(0, int(bucket_count))
    if k == 0 or v.size == 0:
        return np.zeros((k, 3))
    lo, hi = float(v.min()), float(v.max())
    if lo == hi:
        counts = np.zeros(k)
        counts[-1] = v.size
        return np.stack([np.full(k, hi), np.full(k, hi), counts], axis=1)
    index = np.minimum(np.floor((v - lo) / ((hi - lo) / k)).astype(np.int64), k - 1)
    counts = np.bincount(index, minlength=k).astype(np.float64)
    edges = np.linspace(lo, hi, k + 1)
    edges[-1] = hi
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def _scalar_of(data: Any) -> float:
    return float(np.asarray(getattr(data, "_value", data.numpy() if hasattr(data, "numpy") else data)))


class SummaryWriter:
    """Append summaries to one event file in ``logdir`` (created if needed); flush on ``flush``/``close``."""

    def __init__(self, logdir: Any, filename_suffix: str = "", max_queue: int = 10, flush_millis: int = 120000) -> None:
        self.logdir = os.fspath(logdir)
        os.makedirs(self.logdir, exist_ok=True)
        _counter[0] += 1
        name = f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}.{os.getpid()}.{_counter[0]}.v2"
        self.path = os.path.join(self.logdir, name + (filename_suffix or ""))
        self._file: Any = open(self.path, "ab")  # noqa: SIM115 - kept open for the writer's life
        self.max_queue = max_queue
        self._pending = 0
        self._write(_event(0, file_version="brain.Event:2"))

    def _write(self, event: bytes) -> None:
        if self._file is None:
            raise ValueError(f"The summary writer for {self.logdir} is closed")
        self._file.write(frame(event))
        self._pending += 1
        if self._pending >= self.max_queue:
            self.flush()

    def add_scalar(self, tag: str, value: Any, step: int) -> None:
        content = np.asarray(_scalar_of(value), dtype="<f4").tobytes()
        self._write(_event(step, _tensor_value(tag, "scalars", _DT_FLOAT, (), content)))

    def add_histogram(self, tag: str, values: Any, step: int, buckets: int = 30) -> None:
        table = histogram_buckets(np.asarray(getattr(values, "_value", values)), 30 if buckets is None else buckets)
        content = table.astype("<f8").tobytes()
        self._write(_event(step, _tensor_value(tag, "histograms", _DT_DOUBLE, table.shape, content)))

    def add_text(self, tag: str, text: Any, step: int) -> None:
        s = text if isinstance(text, (str, bytes)) else str(np.asarray(getattr(text, "_value", text)))
        data = s.encode("utf-8") if isinstance(s, str) else s
        self._write(_event(step, _tensor_value(tag, "text", _DT_STRING, (), strings=(data,))))

    def add_graph_def(self, graph_def: bytes, step: int = 0) -> None:
        """A serialized GraphDef as the run's graph (``tf.summary.trace_export``)."""
        self._write(_event(step, graph_def=graph_def))

    def add_keras_model(self, tag: str, model_json: str, step: int = 0) -> None:
        """The model's JSON config for TensorBoard's graph dashboard (tf.keras writes it under ``keras``)."""
        self._write(_event(step, _tensor_value(tag, "graph_keras_model", _DT_STRING, (),
                                               strings=(model_json.encode("utf-8"),), plugin_content=b"1")))

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._pending = 0

    def close(self) -> None:
        if self._file is not None:
            self.flush()
            self._file.close()
            self._file = None

    # -- tf.summary-style use -------------------------------------------------------------------------------
    def as_default(self, step: int | None = None) -> _DefaultWriter:
        return _DefaultWriter(self, step)

    def __enter__(self) -> SummaryWriter:
        _default.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if _default and _default[-1] is self:
            _default.pop()
        self.flush()

    def set_as_default(self, step: int | None = None) -> None:
        _default.append(self)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


_default: list[SummaryWriter] = []


class _DefaultWriter:
    def __init__(self, writer: SummaryWriter, step: int | None) -> None:
        self.writer, self.step = writer, step

    def __enter__(self) -> SummaryWriter:
        _default.append(self.writer)
        return self.writer

    def __exit__(self, *exc: object) -> None:
        _default.remove(self.writer)
        self.writer.flush()
