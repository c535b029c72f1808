"""How many threads the BLAS runs tensorlet's loops on: one, or the process's count, chosen by timing steps.

Why. OpenBLAS (pthreads build) splits a large GEMM between the calling thread and its workers, and the two meet
several times inside each call (each waits for panels the other packs) and once at its end. A waiting thread
spins: on x86-64 OpenBLAS's ``YIELDING`` is a few ``nop``s, not ``sched_yield``, so it keeps its core until the
scheduler takes it away. The call progresses only while both threads are on a CPU at once. On an idle machine they
are. Beside other runnable processes they rarely are: each meeting waits out a scheduler time slice (milliseconds)
instead of microseconds, while the waiting thread burns that slice. Measured on 2 cores at load 7-8: 300 GEMMs of
64x784 @ 784x256 took 0.19-0.25 s on one thread and 4.6-5.0 s on two, each of the two threads using 0.79 s of
CPU (four times the whole single-thread run); ``strace -f -c`` counted 48 futex calls and no ``sched_yield`` in
those 300 calls. A worker also spins up to ``2**28`` cycles (``OPENBLAS_THREAD_TIMEOUT``, about 0.1 s) for its next
job before it sleeps; shortening that made things worse (12-14 s), since every GEMM then has to wake a sleeping
worker and wait for the scheduler to run it. A W1 epoch went from 0.7 s (one thread) to 23-26 s (two).

What. Each loop (train, test, predict steps of a model) owns a :class:`Chooser` that times its steps and picks, for
the next ones, one thread or the count the process had when the loop began (``most``): one thread first, then a
window of steps on ``most``, and ``most`` is kept only if its steps are at least 10% faster. A probe of ``most``
stops at the first step that shows it cannot win, so a collapse costs about one step (which can still be half a
second on a crowded machine); it waits while ``/proc/loadavg`` shows no free core for the extra threads (looking
again every few windows, up to the longest interval, where the clock decides alone: a container sees its host's
load), and while steps on more threads have cost more than 2% of the loop's time beyond one thread's. Probes are
repeated at doubling intervals (fewer as the answer keeps holding). Steps on ``most`` that slow down by 30% end
their window early and send the loop back to measuring one thread, so load that arrives mid-loop also costs about
one step. A loop's chooser lives as long as its model, so the next ``fit`` call starts from the last answer.

Limits. The count never rises above what the process had when the loop began, so ``threadpoolctl`` limits and
``openblas_set_num_threads`` calls hold; an explicit ``OPENBLAS_NUM_THREADS``/``GOTO_NUM_THREADS``/
``OMP_NUM_THREADS`` fixes the count and turns the policy off. The count in force before the loop is restored when it
ends (code after ``fit``, a user's own NumPy, runs as before). OpenBLAS splits a GEMM's rows and columns between
its threads, not its sums, so the count changes results by float rounding at most.
"""
from __future__ import annotations

import math
import os
import threading
import time
import weakref
from typing import Any, Callable, Protocol

USER_VARIABLES = ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")
WINDOW_SECONDS = 0.04  # a window spans at least this long, so one step's noise does not decide
WINDOW_STEPS = (3, 64)  # and this many steps, at least and at most
GAIN = 0.9  # more threads must make a window's mean step at most this fraction of one thread's
DRIFT = 1.3  # steps on more threads this much slower than when chosen: measure one thread again
ABORT = 1.5  # a probe of more threads ends once it has cost this many one-thread windows
BUDGET = 0.02  # probes of more threads that lost may cost at most this share of the loop's time
INTERVALS = (8, 128)  # windows between probes: after a change, and at most


class ThreadControl(Protocol):
    """The BLAS's thread count (``blas.OpenBLAS`` provides it)."""

    def get_num_threads(self) -> int: ...

    def set_num_threads(self, n: int) -> None: ...


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def runnable_elsewhere() -> int | None:
    """Runnable tasks on the machine besides this process's, from ``/proc``; None where that cannot be read."""
    try:
        with open("/proc/loadavg") as f:
            runnable = int(f.read().split()[3].split("/")[0])
        own = 0
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/stat") as f:
                own += f.read().rsplit(")", 1)[1].split()[0] == "R"
    except (OSError, ValueError, IndexError):
        return None
    return max(runnable - own, 0)


class Chooser:
    """Which thread count the next step of one loop runs on, from the durations of the steps before it.

    Fed one duration per step through :meth:`step`; :attr:`count` is the count for the next step. Steps are grouped
    in windows. A one-thread window's mean leaves out its slowest step (a plan being traced, a callback's epoch-end
    work); a window on more threads keeps it, since a step that waited for a descheduled thread is what it measures.
    """

    def __init__(self, most: int, runnable: Callable[[], int | None] = runnable_elsewhere,
                 cpus: int | None = None) -> None:
        self.most = most
        self.runnable = runnable
        self.cpus = cpus if cpus is not None else cpu_count()
        self.chosen = self.count = 1
        self.probing = False
        self.mean: dict[int, float] = {}  # count -> mean step of its latest window
        self.base: float | None = None  # the chosen count's first window after a decision
        self.interval, self.since = 0, 0  # windows between probes; windows since the last probe
        self.windows = 0  # windows measured so far
        self.due: int | None = None  # the window at which a probe of more threads, still waiting, came due
        self.window = WINDOW_STEPS[0]
        self.probe_count = 1
        self._steps: dict[int, int] = {}  # count -> steps of the finished windows on it
        self.elapsed = self.lost = 0.0  # finished windows' time; what steps on more threads cost beyond one thread's
        self._n, self._total, self._slowest = 0, 0.0, 0.0  # the current window's steps, time, and slowest step

    @property
    def steps(self) -> dict[int, int]:
        """count -> steps run on it (for reports), the current window's included."""
        steps = dict(self._steps)
        if self._n:
            steps[self.count] = steps.get(self.count, 0) + self._n
        return steps

    def step(self, seconds: float) -> None:
        self._n += 1
        self._total += seconds
        if seconds > self._slowest:
            self._slowest = seconds
        if self._n < self.window and (self.count == 1 or not self._hopeless()):
            return  # the common case, once per training step: a few additions and comparisons
        n, total = self._n, self._total
        self._steps[self.count] = self._steps.get(self.count, 0) + n
        self.elapsed += total
        one = self.count == 1
        mean = (total - self._slowest) / (n - 1) if one and n > 1 else total / n
        if not one:  # what these steps on more threads cost beyond one thread's
            self.lost += max(total - n * self.mean.get(1, mean), 0.0)
        self._n, self._total, self._slowest = 0, 0.0, 0.0
        self._window_done(mean)

    def _hopeless(self) -> bool:
        """Steps on more threads that can no longer make a good window: a probe past ABORT one-thread windows,
        the chosen count past DRIFT times its own."""
        if self.count == 1:
            return False
        per_step = ABORT * self.mean.get(1, math.inf) if self.probing else DRIFT * (self.base or math.inf)
        return self._total > per_step * self.window

    def _window_done(self, mean: float) -> None:
        self.mean[self.count] = mean
        self.windows += 1
        if self.probing:
            self.probing = False
            self._decide()
        else:
            self.since += 1
            self.window = min(max(math.ceil(WINDOW_SECONDS / max(mean, 1e-9)), WINDOW_STEPS[0]), WINDOW_STEPS[1])
            if self.base is None:
                self.base = mean
            if self.chosen > 1 and mean > DRIFT * self.base:
                self._probe(1)
            elif self.since >= self.interval:
                self._probe_due()
        self.count = self.probe_count if self.probing else self.chosen

    def _probe_due(self) -> None:
        if self.chosen > 1:
            self._probe(1)
        elif self.lost > BUDGET * self.elapsed:  # more threads have cost too much already
            self._postpone()
        else:
            if self.due is None:
                self.due = self.windows
            if self.windows - self.due < INTERVALS[1] and not self._cores_free(self.most):
                self.interval = max(self.interval, INTERVALS[0])  # look again a few windows on; past the longest
                self.since = self.interval - INTERVALS[0]  # interval the clock decides alone (a container reads
            else:  # its host's load)
                self._probe(self.most)

    def _cores_free(self, threads: int) -> bool:
        busy = self.runnable()
        return busy is None or busy + threads <= self.cpus

    def _probe(self, count: int) -> None:
        self.probing, self.probe_count, self.due = True, count, None

    def _postpone(self) -> None:
        self.since = 0
        self.interval = min(max(2 * self.interval, INTERVALS[0]), INTERVALS[1])

    def _decide(self) -> None:
        one, many = self.mean.get(1), self.mean.get(self.most)
        choice = self.most if one is not None and many is not None and many < GAIN * one else 1
        self.base = None
        if choice != self.chosen:
            self.chosen, self.since, self.interval = choice, 0, INTERVALS[0]
        else:
            self._postpone()


class _Guard:
    """Which sessions are open, and the count the process had before the first of them."""

    lock = threading.Lock()
    depth = 0
    saved = 1
    thread: int | None = None


class Session:
    """One loop's use of the policy; a context manager whose value is the per-step ``tick``."""

    def __init__(self, control: ThreadControl | None, choosers: dict[str, Chooser] | None, kind: str,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.control, self.choosers, self.kind, self.clock = control, choosers, kind, clock
        self.chooser: Chooser | None = None
        self.entry = 1
        self.last = 0.0
        self.counted = False

    def __enter__(self) -> Callable[[], None]:
        control = self.control
        if control is None:
            return _no_tick
        with _Guard.lock:
            self.counted = True
            if _Guard.depth == 0:
                _Guard.saved, _Guard.thread = control.get_num_threads(), threading.get_ident()
            _Guard.depth += 1
            mine = _Guard.thread == threading.get_ident()  # another thread's loop shares the first loop's choice
            most = _Guard.saved
        if not mine or most <= 1 or self.choosers is None or any(os.environ.get(v) for v in USER_VARIABLES):
            return _no_tick
        self.entry = control.get_num_threads()
        chooser = self.choosers.get(self.kind)
        if chooser is None or chooser.most != most:
            chooser = self.choosers[self.kind] = Chooser(most)
        self.chooser = chooser
        if chooser.count != self.entry:
            control.set_num_threads(chooser.count)
        self.last = self.clock()
        return self.tick

    def tick(self) -> None:
        now = self.clock()
        chooser = self.chooser
        assert chooser is not None
        before = chooser.count
        chooser.step(now - self.last)
        if chooser.count != before:
            assert self.control is not None
            self.control.set_num_threads(chooser.count)
            now = self.clock()
        self.last = now

    def __exit__(self, *exc: object) -> None:
        control = self.control
        if control is None or not self.counted:
            return
        if self.chooser is not None and control.get_num_threads() != self.entry:
            control.set_num_threads(self.entry)
        with _Guard.lock:
            _Guard.depth -= 1
            if _Guard.depth == 0:
                if control.get_num_threads() != _Guard.saved:
                    control.set_num_threads(_Guard.saved)
                _Guard.thread = None


def _no_tick() -> None:
    pass


_choosers: weakref.WeakKeyDictionary[Any, dict[str, Chooser]] = weakref.WeakKeyDictionary()


def session(control: ThreadControl | None, owner: Any, kind: str) -> Session:
    """The thread policy for one loop of ``owner`` (a model) of ``kind`` ("train", "test", "predict")."""
    choosers = None
    if control is not None:
        try:
            choosers = _choosers.setdefault(owner, {})
        except TypeError:  # an owner without weak references gets a fresh chooser per loop
            choosers = {}
    return Session(control, choosers, kind)


def steps_by_count(owner: Any) -> dict[str, dict[int, int]]:
    """For reports: how many steps each loop of ``owner`` ran on each thread count."""
    return {kind: dict(c.steps) for kind, c in _choosers.get(owner, {}).items()}
