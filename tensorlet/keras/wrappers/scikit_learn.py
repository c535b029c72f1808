"""``keras.wrappers.scikit_learn``: the classic KerasClassifier / KerasRegressor (``build_fn=``).

Removed from TensorFlow 2.13; tensorlet keeps it (with a DeprecationWarning naming Keras 3's SKLearn* wrappers).
"""
import warnings

from tensorlet.wrappers.sklearn import KerasClassifier, KerasRegressor

warnings.warn("keras.wrappers.scikit_learn is the classic (Keras 2) module, removed from today's TensorFlow; "
              "tensorlet keeps it. Keras 3's wrappers are keras.wrappers.SKLearnClassifier/SKLearnRegressor.",
              DeprecationWarning, stacklevel=2)

__all__ = ["KerasClassifier", "KerasRegressor"]
