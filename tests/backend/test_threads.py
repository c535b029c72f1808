"""The BLAS thread policy: its decisions on simulated step times, and what it leaves behind in the process."""
from __future__ import annotations

import threading

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tensorlet.backend import threads
from tensorlet.backend.threads import Chooser, Session


def run(chooser: Chooser, step_time, steps: int) -> tuple[float, dict[int, int]]:
    """Feed ``steps`` simulated steps; ``step_time(count, i)`` is a step's duration on ``count`` threads."""
    total = 0.0
    for i in range(steps):
        dt = step_time(chooser.count, i)
        total += dt
        chooser.step(dt)
    return total, dict(chooser.steps)


def quiet(count: int, i: int) -> float:  # two threads pay: 0.75 ms against 1 ms
    return 0.00075 if count > 1 else 0.001


def collapsed(count: int, i: int) -> float:  # beside other processes: a two-thread step waits out time slices
    return 0.030 if count > 1 else 0.001


def test_chooser_picks_more_threads_when_they_pay_on_an_idle_machine():
    c = Chooser(2, runnable=lambda: 0, cpus=2)
    total, steps = run(c, quiet, 20000)
    assert c.chosen == 2
    assert steps[1] < 0.05 * 20000  # the first window and the rare re-checks of one thread
    assert total < 1.02 * 20000 * 0.00075


def test_chooser_stays_on_one_thread_while_loadavg_shows_no_free_core():
    probed = []
    c = Chooser(2, runnable=lambda: 7, cpus=2)
    for i in range(5000):
        c.step(collapsed(c.count, i))
        probed.append(c.count)
    assert c.chosen == 1
    # probes of two threads only at the longest interval, where the clock decides alone; each ends after one step
    assert probed.count(2) <= 5000 // (threads.INTERVALS[1] * threads.WINDOW_STEPS[1] // 4) + 1


def test_chooser_bounds_the_cost_of_probing_a_collapsed_machine_without_loadavg():
    c = Chooser(2, runnable=lambda: None, cpus=2)
    total, steps = run(c, collapsed, 50000)
    assert c.chosen == 1
    assert total < 1.05 * 50000 * 0.001  # within 5% of always running one thread
    assert 0 < steps[2] < 100


def test_chooser_requires_a_real_gain_before_leaving_one_thread():
    c = Chooser(2, runnable=lambda: 0, cpus=2)
    run(c, lambda count, i: 0.00096 if count > 1 else 0.001, 5000)  # 4% faster only
    assert c.chosen == 1


def test_chooser_falls_back_to_one_thread_when_two_slow_down():
    c = Chooser(2, runnable=lambda: 0, cpus=2)
    run(c, quiet, 2000)
    assert c.chosen == 2
    before = dict(c.steps)
    run(c, lambda count, i: 0.004 if count > 1 else 0.001, 200)  # load arrives: two threads 4x slower than one
    assert c.chosen == 1
    assert c.steps[2] - before[2] <= 3 * c.window + threads.WINDOW_STEPS[1]  # noticed within a few windows


def test_load_arriving_mid_loop_costs_about_one_step():
    load = {"runnable": 0}
    c = Chooser(2, runnable=lambda: load["runnable"], cpus=2)
    run(c, quiet, 2000)
    assert c.chosen == 2
    before, lost = c.steps[2], c.lost
    load["runnable"] = 7
    run(c, collapsed, 400)
    assert c.chosen == 1
    assert c.steps[2] - before <= 2  # the collapsed step that ended its window, and at most one more
    assert c.lost - lost <= 2 * 0.030


def test_a_task_passing_by_delays_the_probe_by_a_few_windows_only():
    samples = iter([3] + [0] * 1000)  # loadavg caught one short-lived task
    c = Chooser(2, runnable=lambda: next(samples), cpus=2)
    run(c, quiet, 3 + (threads.INTERVALS[0] + 2) * 40)  # the first window, then windows of 40 1-ms steps
    assert c.chosen == 2


def test_loadavg_is_read_once_every_few_windows_while_it_shows_no_free_core():
    reads = []
    c = Chooser(2, runnable=lambda: reads.append(1) or 7, cpus=2)
    run(c, collapsed, 3 + 40 * 40)
    assert c.chosen == 1 and 3 <= len(reads) <= 40 // threads.INTERVALS[0] + 2


def test_chooser_returns_to_more_threads_when_the_load_goes():
    load = {"runnable": 7}
    c = Chooser(2, runnable=lambda: load["runnable"], cpus=2)
    run(c, collapsed, 3000)
    assert c.chosen == 1
    load["runnable"] = 0
    run(c, quiet, threads.INTERVALS[1] * threads.WINDOW_STEPS[1] + 1000)
    assert c.chosen == 2


def test_chooser_leaves_out_one_slow_step_of_a_one_thread_window():
    c = Chooser(2, runnable=lambda: 7, cpus=2)
    for dt in (0.5, 0.001, 0.001):  # a plan traced in the first step
        c.step(dt)
    assert c.mean[1] == pytest.approx(0.001)


@settings(max_examples=40, deadline=None)
@given(one=st.floats(1e-5, 1e-1), ratio=st.floats(0.3, 40.0), busy=st.sampled_from([None, 0, 5]))
def test_chooser_is_never_much_slower_than_the_better_fixed_count(one, ratio, busy):
    assume(not busy or ratio >= 1.0)  # loadavg tells no lie here (the next test has one that does)
    c = Chooser(2, runnable=lambda: busy, cpus=2)
    steps = 6000
    total, _ = run(c, lambda count, i: one * ratio if count > 1 else one, steps)
    best = steps * one * min(ratio, 1.0)
    assert total <= 1.12 * best + 3 * one * ratio * threads.WINDOW_STEPS[0] + one * threads.WINDOW_STEPS[1]


def test_chooser_finds_more_threads_faster_even_where_loadavg_says_busy():
    c = Chooser(2, runnable=lambda: 30, cpus=2)  # a container reads its host's load
    run(c, quiet, 2 * threads.INTERVALS[1] * threads.WINDOW_STEPS[1])
    assert c.chosen == 2


# -- sessions: what the process's BLAS setting is before, during and after a loop ------------------------------
class FakeBlas:
    def __init__(self, n: int = 2) -> None:
        self.n = n
        self.calls: list[int] = []

    def get_num_threads(self) -> int:
        return self.n

    def set_num_threads(self, n: int) -> None:
        self.calls.append(n)
        self.n = n


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(autouse=True)
def no_user_variables(monkeypatch):
    for name in threads.USER_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_session_restores_the_setting_it_found():
    blas, clock = FakeBlas(2), FakeClock()
    choosers = {"train": Chooser(2, runnable=lambda: 7, cpus=2)}
    with Session(blas, choosers, "train", clock=clock) as tick:
        assert blas.n == 1  # a loop starts on one thread
        for _ in range(50):
            clock.t += 0.001
            tick()
    assert blas.n == 2


def test_session_switches_the_count_the_chooser_picks():
    blas, clock = FakeBlas(2), FakeClock()
    choosers = {"train": Chooser(2, runnable=lambda: 0, cpus=2)}
    seen = []
    with Session(blas, choosers, "train", clock=clock) as tick:
        for _ in range(400):
            clock.t += quiet(blas.n, 0)
            tick()
            seen.append(blas.n)
    assert seen[-1] == 2 and 1 in seen
    assert blas.n == 2 and choosers["train"].chosen == 2


def test_session_restores_after_an_exception():
    blas = FakeBlas(2)
    with pytest.raises(RuntimeError):
        with Session(blas, {}, "train"):
            raise RuntimeError("step failed")
    assert blas.n == 2


def test_nested_loop_restores_the_outer_loops_choice_and_the_outer_the_users():
    blas = FakeBlas(2)
    outer = {"train": Chooser(2, runnable=lambda: 7, cpus=2)}
    with Session(blas, outer, "train"):
        assert blas.n == 1
        inner = Chooser(2, runnable=lambda: 0, cpus=2)
        inner.count = inner.chosen = 2  # e.g. validation steps that found two threads faster
        with Session(blas, {"test": inner}, "test"):
            assert blas.n == 2  # the inner loop may use up to the user's count, not the outer loop's
        assert blas.n == 1
    assert blas.n == 2


def test_session_respects_a_user_limit_of_one_thread():
    blas = FakeBlas(1)  # threadpoolctl.threadpool_limits(1), or openblas_set_num_threads(1)
    with Session(blas, {}, "train") as tick:
        tick()
    assert blas.calls == []


@pytest.mark.parametrize("name", threads.USER_VARIABLES)
def test_session_leaves_an_explicit_environment_setting_alone(monkeypatch, name):
    monkeypatch.setenv(name, "2")
    blas = FakeBlas(2)
    with Session(blas, {}, "train") as tick:
        tick()
    assert blas.calls == []


def test_session_in_a_second_python_thread_follows_the_first():
    blas = FakeBlas(2)
    done = []

    def other() -> None:
        with Session(blas, {}, "predict") as tick:
            tick()
            done.append(blas.n)

    with Session(blas, {"train": Chooser(2, runnable=lambda: 7, cpus=2)}, "train"):
        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
    assert done == [1] and blas.calls == [1, 2]  # the second loop neither set nor restored anything


def test_session_without_a_controllable_blas_is_a_no_op():
    with threads.session(None, object(), "train") as tick:
        tick()
    assert tick is threads._no_tick


# -- the real OpenBLAS under fit, evaluate and predict --------------------------------------------------------
@pytest.fixture
def openblas():
    from tensorlet.backend import blas

    control = blas.thread_control()
    if control is None:
        pytest.skip("NumPy's BLAS is not a threaded OpenBLAS")
    before = control.get_num_threads()
    control.set_num_threads(2)
    yield control
    control.set_num_threads(before)


def _model(seed: int = 0):
    import tensorlet as tf
    from tensorlet.keras import layers, models

    tf.keras.utils.set_random_seed(seed)
    m = models.Sequential([layers.Input((784,)), layers.Dense(256, activation="relu"), layers.Dense(10)])
    m.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
    return m


def _data(n: int = 640):
    import numpy as np

    rng = np.random.default_rng(0)
    return rng.standard_normal((n, 784)).astype("float32"), rng.standard_normal((n, 10)).astype("float32")


class CountSeen:
    def __init__(self, control) -> None:
        import tensorlet as tf

        seen: list[int] = []
        self.seen = seen

        class Record(tf.keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                seen.append(control.get_num_threads())

            on_test_batch_end = on_predict_batch_end = on_train_batch_end

        self.callback = Record()


def test_fit_evaluate_and_predict_restore_the_processs_setting(openblas):
    x, y = _data()
    m, record = _model(), CountSeen(openblas)
    m.fit(x, y, batch_size=64, epochs=2, verbose=0, callbacks=[record.callback])
    assert openblas.get_num_threads() == 2
    assert record.seen[0] == 1 and set(record.seen) <= {1, 2}  # loops start on one thread
    m.evaluate(x, y, verbose=0)
    assert openblas.get_num_threads() == 2
    m.predict(x, verbose=0)
    assert openblas.get_num_threads() == 2


def test_fit_keeps_a_users_limit_of_one_thread(openblas):
    openblas.set_num_threads(1)
    x, y = _data()
    m, record = _model(), CountSeen(openblas)
    m.fit(x, y, batch_size=64, epochs=1, verbose=0, callbacks=[record.callback])
    assert set(record.seen) == {1} and openblas.get_num_threads() == 1


def test_fit_keeps_a_threadpoolctl_limit(openblas):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    x, y = _data()
    m, record = _model(), CountSeen(openblas)
    with threadpoolctl.threadpool_limits(1, user_api="blas"):
        m.fit(x, y, batch_size=64, epochs=1, verbose=0, callbacks=[record.callback])
        assert openblas.get_num_threads() == 1
    assert set(record.seen) == {1} and openblas.get_num_threads() == 2


def test_threadpoolctl_and_the_policy_act_on_the_same_library(openblas):
    import os

    threadpoolctl = pytest.importorskip("threadpoolctl")
    if openblas.path is None:
        pytest.skip("dladdr cannot name the library file here")

    def numpys() -> list[int]:  # SciPy, once imported, has an OpenBLAS of its own: not the one NumPy calls
        return [i["num_threads"] for i in threadpoolctl.threadpool_info()
                if os.path.realpath(i["filepath"]) == openblas.path]

    assert numpys() == [2]
    openblas.set_num_threads(1)
    assert numpys() == [1]


def test_fit_leaves_an_explicit_environment_setting_alone(openblas, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    x, y = _data()
    m, record = _model(), CountSeen(openblas)
    m.fit(x, y, batch_size=64, epochs=1, verbose=0, callbacks=[record.callback])
    assert set(record.seen) == {2}


def test_fit_results_do_not_depend_on_the_thread_count(openblas, monkeypatch):
    import numpy as np

    x, y = _data(1280)
    fixed = _model()
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")  # the policy stays out: every GEMM on two threads
    fixed.fit(x, y, batch_size=64, epochs=2, verbose=0, shuffle=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS")
    managed = _model()
    chooser = Chooser(2, runnable=lambda: 0, cpus=2)
    chooser.interval = 1  # switch often: some steps on one thread, some on two
    threads._choosers[managed] = {"train": chooser}
    managed.fit(x, y, batch_size=64, epochs=2, verbose=0, shuffle=False)
    assert set(chooser.steps) == {1, 2}
    for a, b in zip(fixed.get_weights(), managed.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_numpy_backend_without_openblas_gives_a_no_op_tick(monkeypatch):
    from tensorlet.backend import blas
    from tensorlet.backend.numpy_backend import NumpyBackend

    monkeypatch.setattr(blas, "thread_control", lambda: None)
    with NumpyBackend().blas_threads(object(), "train") as tick:
        assert tick is threads._no_tick


def test_train_on_batch_and_test_on_batch_run_under_the_policy(openblas):
    x, y = _data(64)
    m = _model()
    for _ in range(5):
        m.train_on_batch(x, y)
        assert openblas.get_num_threads() == 2
    m.test_on_batch(x, y)
    assert openblas.get_num_threads() == 2
    counts = threads.steps_by_count(m)
    assert sum(counts["train"].values()) == 5 and sum(counts["test"].values()) == 1
