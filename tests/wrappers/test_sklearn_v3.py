"""Keras 3's scikit-learn wrappers (SKLearnClassifier, SKLearnRegressor, SKLearnTransformer) through
scikit-learn's estimator checks, with the model Keras 3's own checks use."""
from __future__ import annotations

import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn.base import is_classifier, is_regressor  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

import tensorlet as tf  # noqa: E402
from tensorlet.keras.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer  # noqa: E402
from tests.helpers.sklearn_models import mlp_for_target, seeded_mlp_for_target  # noqa: E402

# The checks Keras 3's own wrappers fail for the same reason: a fit that is not seeded is not reproducible.
# With a seeded model (below) they pass.
UNSEEDED = "This test assumes reproducibility in fit."
EXPECTED_FAILURES: dict[str, dict[str, str]] = {
    "SKLearnClassifier": {"check_classifier_data_not_an_array": UNSEEDED, "check_supervised_y_2d": UNSEEDED,
                          "check_fit_idempotent": UNSEEDED},
    "SKLearnRegressor": {},
    "SKLearnTransformer": {},
}

# Keras 3's own checks use this model with these arguments (its regressor and transformer keep the softmax
# output of one unit, so they predict a constant).
ESTIMATORS = [
    SKLearnClassifier(model=mlp_for_target, model_kwargs={"loss": "categorical_crossentropy", "hidden": (20, 20, 20)},
                      fit_kwargs={"epochs": 5}),
    SKLearnRegressor(model=mlp_for_target, model_kwargs={"loss": "mse"}),
    SKLearnTransformer(model=mlp_for_target, model_kwargs={"loss": "mse"}),
]

SEEDED = [
    SKLearnClassifier(model=seeded_mlp_for_target,
                      model_kwargs={"loss": "categorical_crossentropy", "hidden": (20, 20, 20)},
                      fit_kwargs={"epochs": 5}),
    SKLearnRegressor(model=seeded_mlp_for_target, model_kwargs={"loss": "mse", "out_activation": None},
                     fit_kwargs={"epochs": 5}),
    SKLearnTransformer(model=seeded_mlp_for_target, model_kwargs={"loss": "mse", "out_activation": None}),
]


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=lambda est: EXPECTED_FAILURES[type(est).__name__])
def test_sklearn_estimator_checks(estimator, check):
    tf.keras.utils.set_random_seed(0)
    check(estimator)


@parametrize_with_checks(SEEDED)
def test_sklearn_estimator_checks_seeded(estimator, check):
    tf.keras.utils.set_random_seed(0)
    check(estimator)


def test_estimator_type_is_read_from_the_tags():
    assert is_classifier(ESTIMATORS[0]) and not is_regressor(ESTIMATORS[0])
    assert is_regressor(ESTIMATORS[1]) and not is_classifier(ESTIMATORS[1])
    assert not is_classifier(ESTIMATORS[2]) and not is_regressor(ESTIMATORS[2])
