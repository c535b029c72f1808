"""Metrics equal their formulas; 'accuracy' is resolved from shapes as Keras does."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensorlet import metrics
from tensorlet.metrics.resolve import resolve_accuracy

rng = np.random.default_rng(0)


def test_accuracy_family():
    y = np.array([0, 2, 1, 1])
    p = np.array([[0.8, 0.1, 0.1], [0.2, 0.2, 0.6], [0.1, 0.2, 0.7], [0.3, 0.4, 0.3]])
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(y, p)
    assert float(m.result()) == pytest.approx(0.75)
    c = metrics.CategoricalAccuracy()
    c.update_state(np.eye(3)[y], p, sample_weight=[1, 1, 0, 2])
    assert float(c.result()) == pytest.approx(4 / 4)
    b = metrics.BinaryAccuracy(threshold=0.5)
    b.update_state([[1], [0], [1]], [[0.7], [0.6], [0.4]])
    assert float(b.result()) == pytest.approx(1 / 3)
    k = metrics.SparseTopKCategoricalAccuracy(k=2)
    k.update_state(y, p)
    assert float(k.result()) == pytest.approx(1.0)
    k.reset_state()
    assert float(k.result()) == 0.0


@pytest.mark.parametrize("name,cls", [("accuracy", "SparseCategoricalAccuracy"), ("acc", "SparseCategoricalAccuracy")])
def test_accuracy_resolution_keeps_the_given_name(name, cls):
    m = resolve_accuracy(name, (8,), (8, 3))
    assert type(m).__name__ == cls and m.name == name


@pytest.mark.parametrize("yt,yp,cls", [
    ((8,), (8, 1), "BinaryAccuracy"),
    ((8, 1), (8, 1), "BinaryAccuracy"),
    ((8,), (8, 5), "SparseCategoricalAccuracy"),
    ((8, 1), (8, 5), "SparseCategoricalAccuracy"),
    ((8, 5), (8, 5), "CategoricalAccuracy"),
])
def test_accuracy_resolution_cases(yt, yp, cls):
    assert type(resolve_accuracy("accuracy", yt, yp)).__name__ == cls


def test_regression_metrics_and_r2_against_sklearn():
    sk = pytest.importorskip("sklearn.metrics")
    t, p = rng.standard_normal(50), rng.standard_normal(50)
    for m, want in ((metrics.MeanSquaredError(), np.mean((t - p) ** 2)),
                    (metrics.RootMeanSquaredError(), np.sqrt(np.mean((t - p) ** 2))),
                    (metrics.MeanAbsoluteError(), np.mean(np.abs(t - p))),
                    (metrics.R2Score(), sk.r2_score(t, p))):
        m.update_state(t[:20], p[:20])
        m.update_state(t[20:], p[20:])
        assert float(m.result()) == pytest.approx(want, rel=1e-6)


def test_auc_precision_recall_f1_against_sklearn():
    sk = pytest.importorskip("sklearn.metrics")
    t = rng.integers(0, 2, 200)
    p = np.clip(t * 0.3 + rng.uniform(0, 0.7, 200), 0, 1)
    auc = metrics.AUC(num_thresholds=1000)
    auc.update_state(t, p)
    assert float(auc.result()) == pytest.approx(sk.roc_auc_score(t, p), abs=1e-2)
    pr, rc = metrics.Precision(), metrics.Recall()
    pr.update_state(t, p)
    rc.update_state(t, p)
    assert float(pr.result()) == pytest.approx(sk.precision_score(t, p > 0.5), rel=1e-6)
    assert float(rc.result()) == pytest.approx(sk.recall_score(t, p > 0.5), rel=1e-6)
    labels = rng.integers(0, 3, 100)
    scores = rng.uniform(size=(100, 3))
    f1 = metrics.F1Score(average="macro")
    f1.update_state(np.eye(3)[labels], scores)
    assert float(f1.result()) == pytest.approx(sk.f1_score(labels, scores.argmax(1), average="macro"), rel=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-100, 100), min_size=1, max_size=20), st.data())
def test_weighted_mean_equals_numpy_average(values, data):
    w = data.draw(st.lists(st.floats(0.1, 5), min_size=len(values), max_size=len(values)))
    m = metrics.Mean()
    m.update_state(values, sample_weight=w)
    assert float(m._result_float()) == pytest.approx(np.average(values, weights=w), rel=1e-9, abs=1e-9)


def test_get_and_unknown_names():
    assert isinstance(metrics.get("mae"), metrics.MeanAbsoluteError)
    with pytest.raises(ValueError, match="Valid names"):
        metrics.get("accurcy")
