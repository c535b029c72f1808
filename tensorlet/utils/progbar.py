"""Progbar: the classic Keras progress line, updated in place on a terminal, one line per epoch otherwise."""
from __future__ import annotations

import os
import sys
import time
from typing import Any


def _fmt_value(v: float) -> str:
    return f"{v:.4f}" if abs(v) >= 1e-3 or v == 0 else f"{v:.4e}"


def _fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.0f}s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms"
    return f"{seconds * 1e6:.0f}us"


class Progbar:
    """Display progress: ``704/704 [==============================] - 2s 3ms/step - loss: 0.4123``.

    Args:
        target: total number of steps (None if unknown).
        width: bar width in characters.
        verbose: 1 for the bar, 2 for one line at the end, 0 for silence.
        interval: minimum seconds between in-place updates.
    """

    def __init__(self, target: int | None, width: int = 30, verbose: int = 1, interval: float = 0.05,
                 stateful_metrics: Any = None, unit_name: str = "step", stream: Any = None) -> None:
        self.target, self.width, self.verbose, self.interval = target, width, verbose, interval
        self.unit_name = unit_name
        from tensorlet.utils import io_utils

        if stream is None:
            stream = sys.stdout if io_utils.is_interactive_logging_enabled() else io_utils.LogStream()
        self.stream = stream
        self.dynamic = ((hasattr(self.stream, "isatty") and self.stream.isatty()) or "ipykernel" in sys.modules
                        or "JPY_PARENT_PID" in os.environ) and not isinstance(self.stream, io_utils.LogStream)
        self._start = time.perf_counter()
        self._last = 0.0
        self._values: list[tuple[str, float]] = []
        self._prev_len = 0

    def update(self, current: int, values: Any = None, finalize: bool | None = None) -> None:
        if values is not None:
            self._values = [(k, float(v)) for k, v in values]
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if self.verbose == 0:
            return
        now = time.perf_counter()
        if self.verbose == 1 and self.dynamic:
            if not finalize and now - self._last < self.interval:
                return
            self._last = now
            line = self._line(current, now, finalize)
            pad = max(0, self._prev_len - len(line))
            self.stream.write("\r" + line + " " * pad + ("\n" if finalize else ""))
            self._prev_len = len(line)
            self.stream.flush()
        elif finalize:
            line = self._line(current, now, True) if self.verbose == 1 else self._short(current, now)
            self.stream.write(line + "\n")
            self.stream.flush()

    def _bar(self, current: int) -> str:
        if self.target is None:
            return f"{current}/Unknown"
        digits = len(str(self.target))
        filled = int(self.width * current / self.target) if self.target else self.width
        if current < self.target:
            bar = "=" * max(filled - 1, 0) + ">" + "." * (self.width - max(filled, 1))
        else:
            bar = "=" * self.width
        return f"{current:>{digits}}/{self.target} [{bar}]"

    def _metrics(self) -> str:
        return "".join(f" - {k}: {_fmt_value(v)}" for k, v in self._values)

    def _line(self, current: int, now: float, finalize: bool) -> str:
        elapsed = now - self._start
        per = elapsed / max(current, 1)
        if finalize:
            timing = f" - {elapsed:.0f}s {_fmt_time(per)}/{self.unit_name}"
        elif self.target:
            timing = f" - ETA: {_fmt_time(per * (self.target - current))}"
        else:
            timing = ""
        return self._bar(current) + timing + self._metrics()

    def _short(self, current: int, now: float) -> str:
        elapsed = now - self._start
        per = elapsed / max(current, 1)
        return f"{current}/{self.target} - {elapsed:.0f}s - {_fmt_time(per)}/{self.unit_name}" + self._metrics()

    def add(self, n: int, values: Any = None) -> None:
        self.update(getattr(self, "_seen", 0) + n, values)
        self._seen = getattr(self, "_seen", 0) + n
