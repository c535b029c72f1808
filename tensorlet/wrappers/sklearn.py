"""The classic scikit-learn wrappers (``keras.wrappers.scikit_learn``): KerasClassifier and KerasRegressor.

``build_fn`` returns a compiled model; the other keyword arguments (``sk_params``) are routed by signature to
``build_fn``, to ``fit`` (epochs, batch_size, ...), and to ``predict``/``evaluate``. Every ``fit`` builds a fresh
model. Fitted and unfitted wrappers pickle (weights included), so joblib can ship them to worker processes.
"""
from __future__ import annotations

import inspect
import sys
from typing import Any, Callable

import numpy as np

try:
    from sklearn.base import BaseEstimator
except ImportError as e:  # pragma: no cover - exercised only without scikit-learn
    raise ImportError("The scikit-learn wrappers need scikit-learn: pip install 'tensorlet[sklearn]' "
                      "(or pip install scikit-learn)") from e

_FIT_ARGS = ("batch_size", "epochs", "verbose", "callbacks", "validation_split", "validation_data", "shuffle",
             "class_weight", "initial_epoch", "steps_per_epoch", "validation_steps", "validation_freq", "nb_epoch")
_PREDICT_ARGS = ("batch_size", "verbose", "steps")
_WRAPPER_ARGS = ("random_state",)


def _in_worker() -> bool:
    """True in a joblib/loky or Dask worker process (not the user's main process)."""
    import multiprocessing

    if multiprocessing.current_process().name != "MainProcess":
        return True
    distributed = sys.modules.get("distributed")  # a Dask worker has imported it; importing it here would cost
    if distributed is None:                       # half a second on every process's first fit
        return False
    try:
        distributed.get_worker()
        return True
    except (AttributeError, ValueError):
        return False


def blas_limit() -> Any:
    """Pin BLAS to one thread inside parallel workers, so that n_jobs workers do not oversubscribe the cores."""
    import contextlib

    if not _in_worker():
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _params_of(fn: Callable[..., Any]) -> set[str]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return set()
    return {n for n, p in sig.parameters.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _accepts_kwargs(fn: Callable[..., Any]) -> bool:
    try:
        return any(p.kind == p.VAR_KEYWORD for p in inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return False


class BaseWrapper(BaseEstimator):
    """Shared machinery of the two classic wrappers (scikit-learn estimator protocol)."""

    _estimator_type = "base"

    def __init__(self, build_fn: Callable[..., Any] | None = None, **sk_params: Any) -> None:
        self.build_fn = build_fn
        self._sk_params = dict(sk_params)  # checked when fitting: scikit-learn wants __init__ to accept anything

    # -- parameters ------------------------------------------------------------------------------------------
    def _build_target(self) -> Callable[..., Any]:
        if self.build_fn is None:
            if type(self).__call__ is BaseWrapper.__call__:
                raise ValueError(f"{type(self).__name__} needs `build_fn` (a function returning a compiled model), "
                                 "or a subclass defining __call__")
            return self.__call__
        if not callable(self.build_fn):
            raise ValueError(f"build_fn must be callable (a function or an object with __call__), got "
                             f"{type(self.build_fn).__name__}")
        fn = self.build_fn
        return fn if inspect.isfunction(fn) or inspect.ismethod(fn) else fn.__call__  # type: ignore[operator]

    def _legal_names(self) -> set[str]:
        from tensorlet.models.sequential import Sequential

        names = set(_FIT_ARGS) | set(_PREDICT_ARGS) | set(_WRAPPER_ARGS) | _params_of(Sequential.evaluate) | _params_of(Sequential.fit)
        if self.build_fn is not None or type(self).__call__ is not BaseWrapper.__call__:
            names |= _params_of(self._build_target())
        return names - {"self", "x", "y"}

    def _check_params(self, params: dict[str, Any]) -> None:
        if self.build_fn is not None and not callable(self.build_fn):
            return  # reported when fitting, as scikit-learn expects of __init__
        if (self.build_fn is not None and _accepts_kwargs(self._build_target())):
            return
        legal = self._legal_names()
        for name in params:
            if name not in legal:
                raise ValueError(f"{name} is not a legal parameter: it is accepted by neither build_fn nor "
                                 f"fit/predict/evaluate. Accepted names: {sorted(legal)}")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params = {"build_fn": self.build_fn}
        params.update(self._sk_params)
        return params

    def set_params(self, **params: Any) -> BaseWrapper:
        if "build_fn" in params:
            self.build_fn = params.pop("build_fn")
        self._sk_params.update(params)
        return self

    @property
    def model(self) -> Any:
        """The fitted Keras model (the classic wrappers' attribute; ``model_`` in scikit-learn style)."""
        return self.__dict__.get("model_")

    def __getattr__(self, name: str) -> Any:
        sk = self.__dict__.get("_sk_params")
        if sk is not None and name in sk:
            return sk[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def filter_sk_params(self, fn: Callable[..., Any], override: dict[str, Any] | None = None) -> dict[str, Any]:
        """The sk_params (and overrides) that ``fn`` accepts."""
        names = _params_of(fn)
        out = {k: v for k, v in self._sk_params.items() if k in names}
        out.update({k: v for k, v in (override or {}).items() if k in names})
        return out

    # -- fitting ---------------------------------------------------------------------------------------------
    def _build(self) -> Any:
        target = self._build_target()
        self._check_params(self._sk_params)
        seed = self._sk_params.get("random_state")
        if seed is not None:  # a fixed seed makes every fit (weights, shuffling, dropout) reproducible
            from tensorlet.random import seed_everything

            seed_everything(int(seed) if not hasattr(seed, "randint") else int(seed.randint(2**31 - 1)))
        kwargs = self._sk_params if _accepts_kwargs(target) else self.filter_sk_params(target)
        if _accepts_kwargs(target):
            kwargs = {k: v for k, v in kwargs.items()
                      if (k not in _FIT_ARGS and k not in _WRAPPER_ARGS) or k in _params_of(target)}
        model = target(**kwargs)
        if not hasattr(model, "fit") or not hasattr(model, "predict"):
            raise ValueError(f"build_fn must return a Keras model, got {type(model).__name__}")
        if not getattr(model, "compiled", False):
            raise ValueError("The model returned by build_fn is not compiled: call model.compile(optimizer, loss) "
                             "inside build_fn")
        return model

    def _fit_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        from tensorlet.models import Sequential

        fit_kwargs = self.filter_sk_params(Sequential.fit)
        fit_kwargs.update(kwargs)
        fit_kwargs.setdefault("verbose", 0)
        return fit_kwargs

    def _validate_X(self, X: Any, reset: bool) -> np.ndarray:
        from sklearn.utils.validation import check_array

        X = check_array(X, dtype="numeric", allow_nd=True, ensure_all_finite=True)
        X = np.asarray(X, dtype="float32")
        if reset:
            self.n_features_in_ = X.shape[1]
        elif hasattr(self, "n_features_in_") and X.ndim == 2 and X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input.")
        return X

    def _check_y(self, y: Any, numeric: bool) -> np.ndarray:
        from sklearn.utils.validation import column_or_1d

        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None.")
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if (numeric or y.dtype.kind in "fc") and y.dtype.kind in "fc" and not np.isfinite(y).all():
            raise ValueError("Input y contains NaN or infinity.")
        return y

    def _check_sample_weight(self, sample_weight: Any, n: int) -> Any:
        if sample_weight is None:
            return None
        from sklearn.utils.validation import _check_sample_weight

        w = _check_sample_weight(sample_weight, np.empty((n, 1)))
        if not np.any(w):
            raise ValueError("Sample weights must contain at least one non-zero number (all are zero).")
        return w.astype("float32")

    def _fit_model(self, X: np.ndarray, y: np.ndarray, sample_weight: Any, kwargs: dict[str, Any]) -> Any:
        self.model_ = self._build()
        fit_kwargs = self._fit_kwargs(kwargs)
        sample_weight = self._check_sample_weight(sample_weight, len(X))
        if sample_weight is not None:
            fit_kwargs["sample_weight"] = sample_weight
        with blas_limit():
            self.history_ = self.model_.fit(X, y, **fit_kwargs)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                                 "appropriate arguments before using this estimator.")

    def _predict_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        from tensorlet.models import Sequential

        out = self.filter_sk_params(Sequential.predict, kwargs)
        out.setdefault("verbose", 0)
        return out

    # -- pickling --------------------------------------------------------------------------------------------
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

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import Tags, TargetTags

        tags = Tags(estimator_type=None, target_tags=TargetTags(required=True))
        tags.non_deterministic = False
        return tags

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({params})"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:  # subclasses may define it as the build function
        raise NotImplementedError


class KerasClassifier(BaseWrapper):
    """scikit-learn classifier around a Keras model: any labels (through ``classes_``), ``predict``,
    ``predict_proba`` and ``score`` (accuracy).

    Example (seed 002, question 8):
        >>> clf = KerasClassifier(build_fn=make_model, epochs=10, batch_size=200)  # doctest: +SKIP
        >>> clf.fit(X, y).score(X_test, y_test)  # doctest: +SKIP
    """

    _estimator_type = "classifier"

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **kwargs: Any) -> KerasClassifier:
        from sklearn.utils.multiclass import check_classification_targets

        X = self._validate_X(X, reset=True)
        y = self._check_y(y, numeric=False)
        if y.ndim == 2 and y.shape[1] > 1:  # one-hot targets given directly
            self.classes_ = np.arange(y.shape[1])
            y_enc = y
        else:
            y = y.reshape(-1) if y.ndim == 2 else y
            check_classification_targets(y)
            self.classes_, y_enc = np.unique(y, return_inverse=True)
        if len(X) != len(y_enc):
            raise ValueError(f"X and y have inconsistent numbers of samples: {len(X)} and {len(y_enc)}")
        self.n_classes_ = len(self.classes_)
        self.model_ = self._build()
        loss = getattr(self.model_, "loss", None)
        loss_name = loss if isinstance(loss, str) else getattr(loss, "name", getattr(loss, "__name__", ""))
        if loss_name in ("categorical_crossentropy", "CategoricalCrossentropy") and y_enc.ndim == 1:
            from tensorlet.utils.numerical import to_categorical

            y_enc = to_categorical(y_enc, self.n_classes_)
        fit_kwargs = self._fit_kwargs(kwargs)
        sample_weight = self._check_sample_weight(sample_weight, len(X))
        if sample_weight is not None:
            fit_kwargs["sample_weight"] = sample_weight
        with blas_limit():
            self.history_ = self.model_.fit(X, y_enc, **fit_kwargs)
        return self

    def predict_proba(self, X: Any, **kwargs: Any) -> np.ndarray:
        """Class probabilities, one column per class (two for a single sigmoid output)."""
        self._check_fitted()
        X = self._validate_X(X, reset=False)
        probs = np.asarray(self.model_.predict(X, **self._predict_kwargs(kwargs)), dtype="float64")
        if probs.ndim == 1 or probs.shape[1] == 1:
            p = probs.reshape(-1)
            probs = np.stack([1 - p, p], axis=1)
        elif probs.shape[1] > len(self.classes_):  # an output wider than the classes seen in fit
            probs = probs[:, :len(self.classes_)]
            probs /= np.maximum(probs.sum(axis=1, keepdims=True), 1e-12)
        return probs

    def predict(self, X: Any, **kwargs: Any) -> np.ndarray:
        probs = self.predict_proba(X, **kwargs)
        return self.classes_[np.argmax(probs, axis=1)]

    def score(self, X: Any, y: Any, sample_weight: Any = None, **kwargs: Any) -> float:
        """Mean accuracy of ``predict(X)`` against ``y``."""
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            y = self.classes_[np.argmax(y, axis=1)]
        pred = self.predict(X, **kwargs)
        correct = (pred == y.reshape(-1)).astype("float64")
        return float(np.average(correct, weights=sample_weight))

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        return tags


class KerasRegressor(BaseWrapper):
    """scikit-learn regressor around a Keras model.

    ``score`` is the negated model loss from ``evaluate`` (``-loss``, so that greater is better), as Keras 2
    documented it and course code reads it (``cross_val_score`` then gives negated MSEs). Pass ``score_mode="r2"``
    for scikit-learn's R², which Keras 3's ``SKLearnRegressor`` returns.
    """

    _estimator_type = "regressor"

    def __init__(self, build_fn: Callable[..., Any] | None = None, score_mode: str = "loss",
                 **sk_params: Any) -> None:
        self.score_mode = score_mode  # checked in score(): scikit-learn wants __init__ to accept anything
        super().__init__(build_fn=build_fn, **sk_params)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        params = super().get_params(deep)
        params["score_mode"] = self.score_mode
        return params

    def set_params(self, **params: Any) -> KerasRegressor:
        if "score_mode" in params:
            self.score_mode = params.pop("score_mode")
        super().set_params(**params)
        return self

    def fit(self, X: Any, y: Any, sample_weight: Any = None, **kwargs: Any) -> KerasRegressor:
        X = self._validate_X(X, reset=True)
        y = self._check_y(y, numeric=True).astype("float32")
        if len(X) != len(y):
            raise ValueError(f"X and y have inconsistent numbers of samples: {len(X)} and {len(y)}")
        self._y_ndim = y.ndim
        return self._fit_model(X, y, sample_weight, kwargs)

    def predict(self, X: Any, **kwargs: Any) -> np.ndarray:
        self._check_fitted()
        X = self._validate_X(X, reset=False)
        pred = np.asarray(self.model_.predict(X, **self._predict_kwargs(kwargs)), dtype="float64")
        if pred.ndim == 2 and pred.shape[1] == 1 and getattr(self, "_y_ndim", 1) == 1:
            pred = pred[:, 0]
        return pred

    def score(self, X: Any, y: Any, sample_weight: Any = None, **kwargs: Any) -> float:
        if self.score_mode not in ("r2", "loss"):
            raise ValueError(f"score_mode must be 'r2' or 'loss', got {self.score_mode!r}")
        if self.score_mode == "loss":
            from tensorlet.models import Sequential

            self._check_fitted()
            X = self._validate_X(X, reset=False)
            y = self._check_y(y, numeric=True).astype("float32")
            evaluate_kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
            evaluate_kwargs.setdefault("verbose", 0)
            sample_weight = self._check_sample_weight(sample_weight, len(X))
            result = self.model_.evaluate(X, y, sample_weight=sample_weight, **evaluate_kwargs)
            return -float(result[0] if isinstance(result, list) else result)
        from sklearn.metrics import r2_score

        return float(r2_score(y, self.predict(X, **kwargs), sample_weight=sample_weight))

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags(poor_score=self.score_mode != "r2")  # -loss is not an R² near 1
        return tags

