"""weights="imagenet" (Keras' official files through the verified cache and mirror, offline errors) and
weights=path (Keras 2 HDF5 files, written here from the documented layout without Keras)."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

from tensorlet.applications import weights as pretrained
from tensorlet.keras import applications
from tensorlet.utils.file_utils import ChecksumMismatchError, DatasetUnavailableError
from tests.helpers.keras_h5 import random_weights_like, write_legacy_weights

X = np.random.default_rng(1).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
SMALL_V2 = {"alpha": 0.35, "input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"}


def _assert_weights_equal(model, layers):
    assert len(model.layers) == len(layers)
    for layer, (_, values) in zip(model.layers, layers):
        assert len(layer.weights) == len(values)
        for w, (_, value) in zip(layer.weights, values):
            np.testing.assert_array_equal(w.numpy(), value)


def test_weights_path_loads_a_keras_2_file(tmp_path):
    reference = applications.MobileNetV2(weights=None, **SMALL_V2)
    layers = random_weights_like(reference)
    write_legacy_weights(tmp_path / "w.h5", layers)
    model = applications.MobileNetV2(weights=str(tmp_path / "w.h5"), **SMALL_V2)
    _assert_weights_equal(model, layers)
    reference.set_weights([v for _, ws in layers for _, v in ws])
    np.testing.assert_allclose(model.predict(X, verbose=0), reference.predict(X, verbose=0), rtol=1e-6)


def test_a_branchy_model_and_a_nested_one_load_by_position(tmp_path, cheap_weights):
    for build in (lambda **kw: applications.InceptionV3(input_shape=(75, 75, 3), include_top=False, **kw),
                  lambda **kw: applications.ConvNeXtTiny(input_shape=(32, 32, 3), include_top=False, **kw)):
        layers = random_weights_like(build(weights=None), seed=3)
        write_legacy_weights(tmp_path / "w.h5", layers)
        _assert_weights_equal(build(weights=tmp_path / "w.h5"), layers)


def test_a_file_for_another_architecture_is_refused(tmp_path, cheap_weights):
    write_legacy_weights(tmp_path / "w.h5", random_weights_like(applications.MobileNetV2(weights=None, **SMALL_V2)))
    with pytest.raises(ValueError, match="layer"):
        applications.MobileNet(weights=tmp_path / "w.h5", alpha=0.25, input_shape=(32, 32, 3), include_top=False)


def test_imagenet_weights_come_from_the_mirror_into_the_cache(isolated_cache, tmp_path, monkeypatch):
    """MobileNetV2's files have no published checksum, so a stand-in file in the mirror is accepted."""
    shape = {"alpha": 0.35, "input_shape": (96, 96, 3), "include_top": False}
    layers = random_weights_like(applications.MobileNetV2(weights=None, **shape), seed=5)
    mirror = tmp_path / "mirror" / "models"
    mirror.mkdir(parents=True)
    fname = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"
    write_legacy_weights(mirror / fname, layers)
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(tmp_path / "mirror"))
    model = applications.MobileNetV2(weights="imagenet", **shape)
    _assert_weights_equal(model, layers)
    assert (isolated_cache / fname).is_file()


def test_imagenet_weights_offline_name_the_file_its_checksum_and_where_to_put_it(isolated_cache):
    with pytest.raises(DatasetUnavailableError) as e:
        applications.ResNet50(weights="imagenet", include_top=False, input_shape=(32, 32, 3))
    message = str(e.value)
    assert "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5" in message
    assert "4d473c1dd8becc155b73f8504c6f6626" in message  # Keras' published md5
    assert str(isolated_cache) in message and "TENSORLET_DATASETS_MIRROR" in message
    assert "ImageNet weights" in message


def test_a_file_with_the_wrong_checksum_is_not_used(isolated_cache, tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5").write_bytes(b"not the weights")
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(mirror))
    with pytest.raises(DatasetUnavailableError, match="checksum does not match"):
        applications.ResNet50(weights="imagenet", include_top=False, input_shape=(32, 32, 3))


def test_a_verified_copy_in_the_cache_is_used(isolated_cache, monkeypatch, tmp_path, cheap_weights):
    """A cached file is accepted when its checksum is the recorded one (here the recorded one is the test
    file's, since the real file cannot be downloaded)."""
    shape = {"input_shape": (32, 32, 3), "include_top": False}
    layers = random_weights_like(applications.ResNet50(weights=None, **shape), seed=2)
    isolated_cache.mkdir(parents=True)
    path = isolated_cache / "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"
    write_legacy_weights(path, layers)
    from tensorlet.applications import resnet

    md5 = hashlib.md5(path.read_bytes()).hexdigest()
    monkeypatch.setitem(resnet.WEIGHT_HASHES, "resnet50", ("unused", md5))
    _assert_weights_equal(applications.ResNet50(weights="imagenet", **shape), layers)
    monkeypatch.setitem(resnet.WEIGHT_HASHES, "resnet50", ("unused", "0" * 32))
    with pytest.raises((DatasetUnavailableError, ChecksumMismatchError)):
        applications.ResNet50(weights="imagenet", **shape)


class _Requested(Exception):
    pass


def _requested_file(monkeypatch, build):
    seen = []

    def capture(file):
        seen.append(file)
        raise _Requested

    monkeypatch.setattr(pretrained, "fetch", capture)
    with pytest.raises(_Requested):
        build()
    return seen[0]


# (constructor, kwargs) -> the file Keras asks for (name, folder in the keras-applications bucket or full URL)
REQUESTS = [
    ("VGG16", {}, "vgg16_weights_tf_dim_ordering_tf_kernels.h5", "vgg16/"),
    ("ResNet50", {"include_top": False}, "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", "resnet/"),
    ("ResNet101V2", {}, "resnet101v2_weights_tf_dim_ordering_tf_kernels.h5", "resnet/"),
    ("MobileNet", {"alpha": 0.5, "input_shape": (160, 160, 3), "include_top": False},
     "mobilenet_5_0_160_tf_no_top.h5", "mobilenet/"),
    ("MobileNetV2", {"alpha": 0.75}, "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.75_224.h5", "mobilenet_v2/"),
    ("MobileNetV3Small", {"minimalistic": True, "include_top": False, "input_shape": (224, 224, 3)},
     "weights_mobilenet_v3_small_minimalistic_224_1.0_float_no_top_v2.h5", "mobilenet_v3/"),
    ("InceptionV3", {"include_top": False}, "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
     "inception_v3/"),
    ("Xception", {}, "xception_weights_tf_dim_ordering_tf_kernels.h5", "xception/"),
    ("DenseNet169", {"include_top": False}, "densenet169_weights_tf_dim_ordering_tf_kernels_notop.h5", "densenet/"),
    ("EfficientNetB0", {}, "efficientnetb0.h5", "https://storage.googleapis.com/keras-applications/"),
    ("EfficientNetV2S", {"include_top": False}, "efficientnetv2-s_notop.h5", "efficientnet_v2/"),
    ("ConvNeXtTiny", {}, "convnext_tiny.h5", "convnext/"),
    ("NASNetMobile", {"include_top": False}, "nasnet_mobile_no_top.h5", "nasnet/NASNet-mobile-no-top.h5"),
]


@pytest.mark.parametrize("name,kwargs,fname,where", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_imagenet_asks_for_keras_official_file(name, kwargs, fname, where, monkeypatch, cheap_weights):
    file = _requested_file(monkeypatch, lambda: getattr(applications, name)(weights="imagenet", **kwargs))
    assert file.fname == fname
    assert file.origin.startswith("https://storage.googleapis.com/") and where in file.origin
    assert file.origin.endswith(fname) or file.origin.endswith(where)
    if not name.startswith("MobileNet") or name.startswith("MobileNetV3"):
        assert file.file_hash and len(file.file_hash) in (32, 64)


def test_an_unpublished_size_loads_the_224_weights_with_a_warning(monkeypatch, cheap_weights):
    with pytest.warns(UserWarning, match="224"):
        file = _requested_file(monkeypatch, lambda: applications.MobileNetV2(
            weights="imagenet", input_shape=(100, 100, 3), include_top=False))
    assert file.fname.endswith("_1.0_224_no_top.h5")


@pytest.mark.parametrize("build,match", [
    (lambda: applications.ResNet50(weights="no/such/file.h5"), "weights"),
    (lambda: applications.ResNet50(weights="imagenet", classes=10), "classes"),
    (lambda: applications.VGG16(weights="imagenet", classifier_activation="relu"), "classifier_activation"),
    (lambda: applications.MobileNet(weights="imagenet", alpha=0.3), "alpha"),
    (lambda: applications.MobileNet(weights="imagenet", depth_multiplier=2), "depth multiplier"),
    (lambda: applications.MobileNetV3Large(weights="imagenet", alpha=0.5), "alpha"),
    (lambda: applications.ResNet50(weights=None, pooling="min", include_top=False), "pooling"),
])
def test_bad_arguments_are_named(build, match, cheap_weights):
    with pytest.raises(ValueError, match=match):
        build()
