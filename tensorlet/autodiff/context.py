"""Per-thread recording state: the tapes recording in this thread, and this thread's host-read hooks.

TensorFlow keeps its tapes per thread, so a tape (or a trace) started in one thread never records another
thread's ops. A ``threading.local`` gives each thread its own lists; reading it costs one attribute lookup on the
hot path (``Function.__call__``).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator


class _ThreadState(threading.local):
    def __init__(self) -> None:
        self.tapes: list[Any] = []             # recording tapes of this thread, innermost last
        self.host_read_hooks: list[Any] = []   # called with each tensor read back to Python (tracing uses them)
        self.tracing = False                   # a trace is recording: stateful ops defer their effect to replays


state = _ThreadState()


@contextmanager
def not_recording() -> Iterator[None]:
    """Suspend every tape of this thread (ops run inside are recorded nowhere)."""
    saved = state.tapes
    state.tapes = []
    try:
        yield
    finally:
        state.tapes = saved


@contextmanager
def host_reads_allowed() -> Iterator[None]:
    """Reads of values back to Python inside are not reported to a trace (host code that runs on every replay
    may read whatever it likes: ``autodiff.host_call``)."""
    saved = state.host_read_hooks
    state.host_read_hooks = []
    try:
        yield
    finally:
        state.host_read_hooks = saved


@contextmanager
def recording_only(recorder: Any) -> Iterator[None]:
    """Record this thread's ops on ``recorder`` alone, and report its host reads to it (tracing)."""
    saved = state.tapes, state.host_read_hooks, state.tracing
    state.tapes = [recorder]
    state.host_read_hooks = [recorder.host_read]
    state.tracing = True
    try:
        yield
    finally:
        state.tapes, state.host_read_hooks, state.tracing = saved
