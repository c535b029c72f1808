"""``keras.optimizers.schedules``: learning rates as functions of the optimizer step."""
from tensorlet.optimizers.schedules.cosine_decay import CosineDecay, CosineDecayRestarts
from tensorlet.optimizers.schedules.exponential_decay import ExponentialDecay
from tensorlet.optimizers.schedules.inverse_time_decay import InverseTimeDecay
from tensorlet.optimizers.schedules.learning_rate_schedule import LearningRateSchedule, deserialize, serialize
from tensorlet.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay
from tensorlet.optimizers.schedules.polynomial_decay import PolynomialDecay
from tensorlet.saving.registry import register_builtins

register_builtins("schedules", (ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay, PolynomialDecay,
                                CosineDecay, CosineDecayRestarts))

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay", "InverseTimeDecay",
           "PolynomialDecay", "CosineDecay", "CosineDecayRestarts", "serialize", "deserialize"]
