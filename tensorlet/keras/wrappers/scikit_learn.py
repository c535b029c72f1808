"""``keras.wrappers.scikit_learn``: the classic KerasClassifier / KerasRegressor (``build_fn=``)."""
from tensorlet.wrappers.sklearn import KerasClassifier, KerasRegressor  # noqa: F401
