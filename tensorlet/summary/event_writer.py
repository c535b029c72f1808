"""Event files for TensorBoard: TFRecord framing of Event protos (scalars, histograms, text)."""
from __future__ import annotations

import os
import socket
import time
from typing import Any

import numpy as np

from tensorlet.summary import protobuf as pb
from tensorlet.summary.record_framing import frame

_DT_STRING = 7
_counter = [0]


def _event(step: int, summary: bytes | None = None, file_version: str | None = None) -> bytes:
    out = pb.f_double(1, time.time()) + pb.f_varint(2, int(step))
    if file_version is not None:
        out += pb.f_string(3, file_version)
    if summary is not None:
        out += pb.f_bytes(5, summary)
    return out


def _value(tag: str, body: bytes) -> bytes:
    return pb.f_bytes(1, pb.f_string(1, tag) + body)


def _histogram(values: np.ndarray, buckets: int) -> bytes:
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    v = v[np.isfinite(v)]
    if v.size == 0:
        v = np.zeros(1)
    lo, hi = float(v.min()), float(v.max())
    if lo == hi:
        edges = np.array([lo - 0.5, hi + 0.5]) if lo == 0 else np.array([lo - abs(lo) * 0.1, hi + abs(hi) * 0.1])
        counts = np.array([float(v.size)])
    else:
        counts, edges = np.histogram(v, bins=buckets)
    return (pb.f_double(1, lo) + pb.f_double(2, hi) + pb.f_double(3, float(v.size)) + pb.f_double(4, float(v.sum()))
            + pb.f_double(5, float((v * v).sum())) + pb.f_packed_doubles(6, edges[1:])
            + pb.f_packed_doubles(7, np.asarray(counts, dtype=np.float64)))


def _scalar_of(data: Any) -> float:
    return float(np.asarray(getattr(data, "_value", data.numpy() if hasattr(data, "numpy") else data)))


class SummaryWriter:
    """Append summaries to one event file in ``logdir`` (created if needed); flush on ``flush``/``close``."""

    def __init__(self, logdir: Any, filename_suffix: str = "", max_queue: int = 10, flush_millis: int = 120000) -> None:
        self.logdir = os.fspath(logdir)
        os.makedirs(self.logdir, exist_ok=True)
        _counter[0] += 1
        name = f"events.out.tfevents.{int(time.time())}.{socket.gethostname()}.{os.getpid()}.{_counter[0]}"
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
        summary = _value(tag, pb.f_float(2, _scalar_of(value)))
        self._write(_event(step, summary))

    def add_histogram(self, tag: str, values: Any, step: int, buckets: int = 30) -> None:
        arr = np.asarray(getattr(values, "_value", values))
        self._write(_event(step, _value(tag, pb.f_bytes(5, _histogram(arr, buckets or 30)))))

    def add_text(self, tag: str, text: Any, step: int) -> None:
        s = text if isinstance(text, (str, bytes)) else str(np.asarray(getattr(text, "_value", text)))
        data = s.encode("utf-8") if isinstance(s, str) else s
        plugin = pb.f_bytes(1, pb.f_string(1, "text"))
        tensor = pb.f_varint(1, _DT_STRING) + pb.f_bytes(2, b"") + pb.f_bytes(8, data)
        self._write(_event(step, _value(tag, pb.f_bytes(9, plugin) + pb.f_bytes(8, tensor))))

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
