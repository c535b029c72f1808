"""``keras.optimizers.legacy`` (TensorFlow 2.11-2.15): the optimizers that still took ``lr=`` and ``decay=``.

tensorlet's optimizers honour both keywords, so the legacy names are the same classes.
"""
from tensorlet.optimizers.adadelta import Adadelta
from tensorlet.optimizers.adagrad import Adagrad
from tensorlet.optimizers.adam import Adam
from tensorlet.optimizers.adamax import Adamax
from tensorlet.optimizers.ftrl import Ftrl
from tensorlet.optimizers.nadam import Nadam
from tensorlet.optimizers.optimizer import Optimizer
from tensorlet.optimizers.rmsprop import RMSprop
from tensorlet.optimizers.sgd import SGD

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl"]
