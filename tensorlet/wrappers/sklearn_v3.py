"""Keras 3's scikit-learn wrappers: SKLearnClassifier, SKLearnRegressor and SKLearnTransformer.

``model`` is a compiled Model (cloned before each fit unless ``warm_start``) or a callable taking at least
``X`` and ``y`` as keyword arguments (plus ``model_kwargs``) and returning a compiled Model. ``fit_kwargs`` go
to ``Model.fit``; keyword arguments given to ``fit`` directly take precedence.
"""
from __future__ import annotations

from typing import Any

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError as e:  # pragma: no cover - exercised only without scikit-learn
    raise ImportError("The scikit-learn wrappers need scikit-learn: pip install 'tensorlet[sklearn]' "
                      "(or pip install scikit-learn)") from e


class SKLBase(BaseEstimator):
    def __init__(self, model: Any, warm_start: bool = False, model_kwargs: dict[str, Any] | None = None,
                 fit_kwargs: dict[str, Any] | None = None) -> None:
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"model": self.model, "warm_start": self.warm_start, "model_kwargs": self.model_kwargs,
                "fit_kwargs": self.fit_kwargs}

    def set_params(self, **params: Any) -> SKLBase:
        for k, v in params.items():
            if k not in self.get_params():
                raise ValueError(f"Invalid parameter {k!r} for {type(self).__name__}; valid: {sorted(self.get_params())}")
            setattr(self, k, v)
        return self

    def _get_model(self, X: np.ndarray, y: Any) -> Any:
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if callable(self.model) and not hasattr(self.model, "fit"):
            model = self.model(X=X, y=y, **(self.model_kwargs or {}))
        else:
            from tensorlet.models.cloning import clone_model

            model = clone_model(self.model)
            if getattr(self.model, "compiled", False):
                loss, metrics, loss_weights, weighted = self.model._compile_args
                from tensorlet import optimizers

                opt = optimizers.deserialize(optimizers.serialize(self.model.optimizer))
                model.compile(optimizer=opt, loss=loss, metrics=metrics, loss_weights=loss_weights,
                              weighted_metrics=weighted)
        if not getattr(model, "compiled", False):
            raise ValueError("The model must be compiled (pass a compiled Model, or compile it in the callable)")
        return model

    def _validate(self, X: Any, y: Any = None, reset: bool = True, y_numeric: bool = False) -> Any:
        """X (and y) checked as scikit-learn estimators check them; sets ``n_features_in_`` when ``reset``."""
        from sklearn.utils.validation import check_array, check_X_y

        if y is None and reset and getattr(self.__sklearn_tags__().target_tags, "required", False):
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        if y is None:
            X = check_array(X, ensure_all_finite=True)
        else:
            X, y = check_X_y(X, y, multi_output=True, y_numeric=y_numeric, ensure_all_finite=True)
        if reset:
            self.n_features_in_ = X.shape[1]
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input.")
        X = np.asarray(X, dtype="float32")
        return X if y is None else (X, y)

    def _fit(self, X: np.ndarray, y: np.ndarray, **kwargs: Any) -> Any:
        self.model_ = self._get_model(X, y)
        fit_kwargs = dict(self.fit_kwargs or {})
        fit_kwargs.update(kwargs)
        fit_kwargs.setdefault("verbose", 0)
        self.history_ = self.model_.fit(X, y, **fit_kwargs).history
        return self

    def _raw_predict(self, X: Any) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "model_")
        X = self._validate(X, reset=False)
        out = self.model_.predict(X, verbose=0)
        if isinstance(out, (list, tuple)) and len(out) == 1:  # a Model(inputs, [output])
            out = out[0]
        return np.asarray(out)

    def __getstate__(self) -> dict[str, Any]:
        from tensorlet.wrappers.pickling import model_to_bytes

        state = dict(self.__dict__)
        model = state.pop("model_", None)
        state.pop("history_", None)
        if model is not None:
            state["_model_bytes"] = model_to_bytes(model)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        from tensorlet.wrappers.pickling import model_from_bytes

        blob = state.pop("_model_bytes", None)
        self.__dict__.update(state)
        if blob is not None:
            self.model_ = model_from_bytes(blob)

class SKLearnClassifier(ClassifierMixin, SKLBase):
    """Classifier: targets are one-hot encoded for the model, predictions mapped back to the original labels."""

    _estimator_type = "classifier"

    def fit(self, X: Any, y: Any, **kwargs: Any) -> SKLearnClassifier:
        from sklearn.utils.multiclass import check_classification_targets, type_of_target
        from sklearn.utils.validation import column_or_1d

        X, y = self._validate(X, y)
        type_of_target(y, raise_unknown=True)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.classes_, idx = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"{type(self).__name__} cannot train when only one class is present: y holds only "
                             f"{self.classes_[0]!r}.")
        onehot = np.eye(len(self.classes_), dtype="float32")[idx]
        return self._fit(X, onehot, **kwargs)  # type: ignore[return-value]

    def predict(self, X: Any) -> np.ndarray:
        raw = self._raw_predict(X)
        if raw.ndim == 2 and raw.shape[1] == 1:
            return self.classes_[(raw[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(raw, axis=1)]

    def predict_proba(self, X: Any) -> np.ndarray:
        return self._raw_predict(X)

    def _more_tags(self) -> dict[str, Any]:
        return {**super()._more_tags(), "poor_score": True}

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True  # a few epochs of a small network: scores are not checked
        return tags

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        from sklearn.metrics import accuracy_score

        return float(accuracy_score(y, self.predict(X), sample_weight=sample_weight))


class SKLearnRegressor(RegressorMixin, SKLBase):
    """Regressor; ``score`` is R²."""

    _estimator_type = "regressor"

    def fit(self, X: Any, y: Any, **kwargs: Any) -> SKLearnRegressor:
        from sklearn.utils.validation import column_or_1d

        X, y = self._validate(X, y, y_numeric=True)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)  # one target: predictions are 1-D, as for scikit-learn's regressors
        y = np.asarray(y, dtype="float32")
        self._y_1d = y.ndim == 1
        return self._fit(X, y, **kwargs)  # type: ignore[return-value]

    def predict(self, X: Any) -> np.ndarray:
        raw = self._raw_predict(X)
        return raw[:, 0] if self._y_1d and raw.ndim == 2 and raw.shape[1] == 1 else raw

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        from sklearn.metrics import r2_score

        return float(r2_score(y, self.predict(X), sample_weight=sample_weight))

    def _more_tags(self) -> dict[str, Any]:
        return {**super()._more_tags(), "poor_score": True}

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """Transformer: ``transform(X)`` is the model's output (e.g. an encoder's embedding)."""

    def fit(self, X: Any, y: Any = None, **kwargs: Any) -> SKLearnTransformer:
        if y is None:
            X = self._validate(X)
            y = X
        else:
            X, y = self._validate(X, y, y_numeric=True)
        return self._fit(X, np.asarray(y, dtype="float32"), **kwargs)  # type: ignore[return-value]

    def transform(self, X: Any) -> np.ndarray:
        return self._raw_predict(X)

    def fit_transform(self, X: Any, y: Any = None, **kwargs: Any) -> np.ndarray:
        return self.fit(X, y, **kwargs).transform(X)

    def _more_tags(self) -> dict[str, Any]:
        return {**super()._more_tags(), "preserves_dtype": []}

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []  # the model computes in float32 whatever X's type
        return tags
