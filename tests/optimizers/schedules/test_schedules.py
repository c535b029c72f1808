"""Learning rate schedules equal their documented formulas and round-trip through their configs."""
from __future__ import annotations

import math

import pytest

from tensorlet.optimizers import SGD, deserialize, schedules, serialize

STEPS = [0, 1, 5, 10, 17, 30, 55, 100]


def _same(schedule, formula):
    for step in STEPS:
        assert float(schedule(step)) == pytest.approx(formula(step), rel=1e-6, abs=1e-9), f"step {step}"


def test_exponential_decay():
    _same(schedules.ExponentialDecay(0.1, 10, 0.5), lambda s: 0.1 * 0.5 ** (s / 10))
    _same(schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), lambda s: 0.1 * 0.5 ** (s // 10))


def test_inverse_time_decay():
    _same(schedules.InverseTimeDecay(0.1, 10, 0.5), lambda s: 0.1 / (1 + 0.5 * s / 10))
    _same(schedules.InverseTimeDecay(0.1, 10, 0.5, staircase=True), lambda s: 0.1 / (1 + 0.5 * (s // 10)))


def test_piecewise_constant_decay_boundaries_belong_to_the_earlier_piece():
    s = schedules.PiecewiseConstantDecay([10, 30], [1.0, 0.5, 0.1])
    _same(s, lambda k: 1.0 if k <= 10 else 0.5 if k <= 30 else 0.1)
    with pytest.raises(ValueError, match="1 less"):
        schedules.PiecewiseConstantDecay([10], [1.0])


def test_polynomial_decay():
    _same(schedules.PolynomialDecay(0.1, 50, 0.01, power=2.0),
          lambda s: (0.1 - 0.01) * (1 - min(s, 50) / 50) ** 2 + 0.01)

    def cyclic(s):
        d = 50 * (1 if s == 0 else math.ceil(s / 50))
        return (0.1 - 0.01) * (1 - s / d) ** 0.5 + 0.01

    _same(schedules.PolynomialDecay(0.1, 50, 0.01, power=0.5, cycle=True), cyclic)


def test_cosine_decay():
    _same(schedules.CosineDecay(0.1, 50, alpha=0.1),
          lambda s: 0.1 * ((1 - 0.1) * 0.5 * (1 + math.cos(math.pi * min(s, 50) / 50)) + 0.1))


def test_cosine_decay_with_linear_warmup():
    def formula(s):
        if s < 10:
            return 0.0 + (0.2 - 0.0) * s / 10
        s = min(s - 10, 50)
        return 0.2 * (0.5 * (1 + math.cos(math.pi * s / 50)))

    _same(schedules.CosineDecay(0.0, 50, warmup_target=0.2, warmup_steps=10), formula)


def test_cosine_decay_restarts():
    def formula(s, first=10, t_mul=2.0, m_mul=0.5, alpha=0.1):
        f = s / first
        i = math.floor(math.log(1 - f * (1 - t_mul)) / math.log(t_mul))
        fraction = (f - (1 - t_mul ** i) / (1 - t_mul)) / t_mul ** i
        return 0.1 * ((1 - alpha) * m_mul ** i * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha)

    _same(schedules.CosineDecayRestarts(0.1, 10, t_mul=2.0, m_mul=0.5, alpha=0.1), formula)
    s = schedules.CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5)
    assert float(s(10)) == pytest.approx(0.5) and float(s(20)) == pytest.approx(0.25)  # period 2 is 20 long
    _same(schedules.CosineDecayRestarts(1.0, 10, t_mul=1.0),
          lambda k: 0.5 * (1 + math.cos(math.pi * (k / 10 - math.floor(k / 10)))))


ALL = [schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True), schedules.InverseTimeDecay(0.1, 10, 0.5),
       schedules.PiecewiseConstantDecay([10, 30], [1.0, 0.5, 0.1]),
       schedules.PolynomialDecay(0.1, 50, cycle=True),
       schedules.CosineDecay(0.0, 50, warmup_target=0.2, warmup_steps=10),
       schedules.CosineDecayRestarts(0.1, 10, m_mul=0.5)]


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_config_round_trip(schedule):
    again = schedules.deserialize(schedules.serialize(schedule))
    assert type(again) is type(schedule) and again.get_config() == schedule.get_config()
    assert serialize(SGD(schedule))["config"]["learning_rate"]["class_name"] == type(schedule).__name__
    restored = deserialize(serialize(SGD(schedule)))
    assert [float(restored._learning_rate(k)) for k in STEPS] == [float(schedule(k)) for k in STEPS]


def test_unknown_schedule_lists_the_valid_ones():
    with pytest.raises(ValueError, match="ExponentialDecay"):
        schedules.deserialize({"class_name": "Nope", "config": {}})


def test_user_schedule_overriding_call_works_as_learning_rate():
    class Halving(schedules.LearningRateSchedule):
        def __call__(self, step):
            return 1.0 / 2 ** int(step)

    import numpy as np

    import tensorlet as tf

    w = tf.Variable([0.0])
    opt = SGD(Halving())
    for _ in range(3):
        opt.apply_gradients([(np.array([-1.0], np.float32), w)])
    assert w.numpy()[0] == 1.75
