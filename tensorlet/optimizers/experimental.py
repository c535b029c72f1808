"""``keras.optimizers.experimental`` (TensorFlow 2.9-2.15), where AdamW first appeared: the same classes."""
from tensorlet.optimizers.adadelta import Adadelta
from tensorlet.optimizers.adagrad import Adagrad
from tensorlet.optimizers.adam import Adam
from tensorlet.optimizers.adamax import Adamax
from tensorlet.optimizers.adamw import AdamW
from tensorlet.optimizers.ftrl import Ftrl
from tensorlet.optimizers.nadam import Nadam
from tensorlet.optimizers.optimizer import Optimizer
from tensorlet.optimizers.rmsprop import RMSprop
from tensorlet.optimizers.sgd import SGD

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl"]
