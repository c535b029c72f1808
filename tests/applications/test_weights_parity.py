"""Against real Keras: the same weights file gives the same predictions (tf_keras' Keras 2 HDF5 files and Keras
3's .weights.h5 files, for every family), and weights="imagenet" asks for the very files, URLs and checksums
Keras asks for."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.applications import weights as pretrained
from tensorlet.keras import applications

pytestmark = pytest.mark.parity

# the smallest model of each family, at a small input size (classes=10, logits out)
CASES = {
    "VGG16": {"input_shape": (32, 32, 3)},
    "ResNet50": {"input_shape": (32, 32, 3)},
    "ResNet50V2": {"input_shape": (32, 32, 3)},
    "MobileNet": {"input_shape": (32, 32, 3), "alpha": 0.25},
    "MobileNetV2": {"input_shape": (32, 32, 3), "alpha": 0.35},
    "MobileNetV3Small": {"input_shape": (32, 32, 3)},
    "MobileNetV3Large": {"input_shape": (32, 32, 3), "minimalistic": True},
    "InceptionV3": {"input_shape": (75, 75, 3)},
    "Xception": {"input_shape": (71, 71, 3)},
    "DenseNet121": {"input_shape": (32, 32, 3)},
    "EfficientNetB0": {"input_shape": (32, 32, 3)},
    "EfficientNetV2B0": {"input_shape": (32, 32, 3)},
    "EfficientNetV2S": {"input_shape": (32, 32, 3)},
    "ConvNeXtTiny": {"input_shape": (32, 32, 3)},
    "NASNetMobile": {"input_shape": (32, 32, 3)},
}


def _randomize(model, names, rng):
    """Random statistics and shifts (the default ones make batch normalization an identity); gammas below 1 keep
    the activations of these untrained deep networks small, where float32 rounding is not amplified."""
    for w, name in zip(model.weights, names):
        kind = name.split("/")[-1].split(":")[0]
        v = np.asarray(w.numpy())
        if kind in ("moving_variance", "variance"):
            w.assign(rng.uniform(0.5, 1.5, v.shape).astype(v.dtype))
        elif kind == "gamma":
            w.assign(rng.uniform(0.2, 0.6, v.shape).astype(v.dtype))
        elif kind in ("beta", "moving_mean", "bias", "mean"):
            w.assign(rng.normal(0.0, 0.1, v.shape).astype(v.dtype))


def _check(name, kwargs, path, reference, x):
    ours = getattr(applications, name)(weights=str(path), **kwargs)
    got = ours.predict(x, verbose=0)
    scale = max(float(np.abs(reference).max()), 1e-3)
    np.testing.assert_allclose(got, reference, rtol=1e-5, atol=1e-5 * scale)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_tf_keras_weights_file_gives_tf_keras_predictions(name, tmp_path):
    tf_keras = pytest.importorskip("tf_keras")
    kwargs = dict(CASES[name], classes=10, classifier_activation=None)
    rng = np.random.default_rng(0)
    tf_keras.backend.clear_session()
    theirs = getattr(tf_keras.applications, name)(weights=None, **kwargs)
    _randomize(theirs, [w.name for w in theirs.weights], rng)
    theirs.save_weights(tmp_path / "w.h5")
    # reloaded, so that layers deriving state from their weights (Normalization) use the saved values
    theirs = getattr(tf_keras.applications, name)(weights=str(tmp_path / "w.h5"), **kwargs)
    x = rng.uniform(0, 255, (2,) + kwargs["input_shape"]).astype("float32")
    _check(name, kwargs, tmp_path / "w.h5", theirs.predict(x, verbose=0), x)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_keras_3_weights_file_gives_keras_3_predictions(name, tmp_path):
    keras = pytest.importorskip("keras")
    kwargs = dict(CASES[name], classes=10, classifier_activation=None)
    rng = np.random.default_rng(1)
    keras.backend.clear_session()
    theirs = getattr(keras.applications, name)(weights=None, **kwargs)
    _randomize(theirs, [w.path for w in theirs.weights], rng)
    path = tmp_path / "w.weights.h5"
    theirs.save_weights(path)
    theirs = getattr(keras.applications, name)(weights=None, **kwargs)
    theirs.load_weights(path)
    x = rng.uniform(0, 255, (2,) + kwargs["input_shape"]).astype("float32")
    _check(name, kwargs, path, np.asarray(theirs.predict(x, verbose=0)), x)


class _Requested(Exception):
    pass


REQUEST_CASES = [(name, top) for name in applications.__all__ for top in (True, False)]
BIG = {"VGG16", "VGG19", "EfficientNetB7", "EfficientNetV2M", "EfficientNetV2L", "ConvNeXtBase", "ConvNeXtLarge",
       "ConvNeXtXLarge", "NASNetLarge", "ResNet152", "ResNet152V2", "EfficientNetB6"}


@pytest.mark.parametrize("name,include_top", [
    pytest.param(n, t, marks=pytest.mark.slow) if n in BIG else (n, t) for n, t in REQUEST_CASES])
def test_imagenet_requests_the_files_keras_requests(name, include_top, monkeypatch, cheap_weights):
    keras = pytest.importorskip("keras")
    from keras.src.utils import file_utils as keras_file_utils

    asked = {}

    def keras_get_file(fname=None, origin=None, **kwargs):
        asked["keras"] = (fname, origin, kwargs.get("file_hash"))
        raise _Requested

    def our_fetch(file):
        asked["ours"] = (file.fname, file.origin, file.file_hash)
        raise _Requested

    monkeypatch.setattr(keras_file_utils, "get_file", keras_get_file)
    monkeypatch.setattr(pretrained, "fetch", our_fetch)
    kwargs = {"include_top": include_top}
    if name.startswith("MobileNet"):
        kwargs["input_shape"] = (224, 224, 3)  # otherwise both warn that the 224 weights are used
    keras.backend.clear_session()
    with pytest.raises(_Requested):
        getattr(keras.applications, name)(weights="imagenet", **kwargs)
    with pytest.raises(_Requested):
        getattr(applications, name)(weights="imagenet", **kwargs)
    assert asked["ours"] == asked["keras"]
