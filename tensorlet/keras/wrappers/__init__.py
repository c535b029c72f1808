"""``keras.wrappers``: the classic scikit-learn wrappers and Keras 3's SKLearn* wrappers."""
from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"):
        from tensorlet.wrappers import sklearn_v3

        return getattr(sklearn_v3, name)
    if name == "scikit_learn":  # import_module, not `from . import`: that would look the name up here again
        return importlib.import_module("tensorlet.keras.wrappers.scikit_learn")
    raise AttributeError(f"keras.wrappers.{name} is not provided by tensorlet")
