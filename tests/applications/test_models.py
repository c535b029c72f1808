"""The constructors' arguments: include_top, pooling, classes, classifier_activation, input_tensor,
input_shape, data formats; default names; saving and reloading (hidden operations and ConvNeXt's layers
included), with Keras 3 reading tensorlet's files."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import applications, layers, models

X = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")


@pytest.mark.parametrize("pooling,shape", [(None, (None, 1, 1, 1280)), ("avg", (None, 1280)), ("max", (None, 1280))])
def test_pooling_without_the_top(pooling, shape, cheap_weights):
    model = applications.MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3), pooling=pooling)
    assert model.output_shape == shape


def test_pooling_names_follow_keras(cheap_weights):
    resnet = applications.ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="max")
    assert resnet.layers[-1].name == "max_pool"
    vgg = applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    assert vgg.layers[-1].name == "global_average_pooling2d"


def test_classes_and_classifier_activation():
    model = applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=7,
                                          classifier_activation=None)
    logits = model.predict(X, verbose=0)
    assert logits.shape == (2, 7) and not np.allclose(logits.sum(axis=1), 1.0)
    probs = applications.MobileNet(weights=None, input_shape=(32, 32, 3), alpha=0.25, classes=7).predict(X, verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_default_names(cheap_weights):
    assert applications.MobileNetV2(weights=None, alpha=0.35, input_shape=(96, 96, 3)).name == "mobilenetv2_0.35_96"
    assert applications.MobileNet(weights=None, alpha=0.5, input_shape=(128, 128, 3)).name == "mobilenet_0.50_128"
    assert applications.EfficientNetV2B0(weights=None, input_shape=(32, 32, 3)).name == "efficientnetv2-b0"
    assert applications.ResNet50(weights=None, name="backbone", include_top=False).name == "backbone"


def test_input_tensor_becomes_the_models_input():
    inp = layers.Input((32, 32, 3), name="pixels")
    scaled = layers.Rescaling(1.0 / 255)(inp)
    model = applications.MobileNetV2(weights=None, alpha=0.35, include_top=False, input_tensor=scaled,
                                     pooling="avg")
    assert model.inputs[0] is inp
    assert model.layers[1].name == scaled._keras_history[0].name
    assert model.predict(X, verbose=0).shape == (2, 1280)


def test_a_model_is_a_feature_extractor_for_a_new_model():
    base = applications.MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.35)
    features = models.Model(base.input, base.get_layer("block_13_expand_relu").output)
    assert features.predict(X, verbose=0).shape == (2, 2, 2, 192)


def test_include_top_needs_a_static_shape_and_the_minimum_size():
    with pytest.raises(ValueError, match="static"):
        applications.ResNet50(weights=None, input_shape=(None, None, 3))
    with pytest.raises(ValueError, match="75x75"):
        applications.InceptionV3(weights=None, include_top=False, input_shape=(64, 64, 3))


def test_channels_first_builds_the_same_model(cheap_weights):
    tf.keras.backend.set_image_data_format("channels_first")
    try:
        model = applications.ResNet50(weights=None, include_top=False, input_shape=(3, 64, 64))
        assert model.output_shape == (None, 2048, 2, 2)
        with pytest.raises(ValueError, match="channels_first"):
            applications.DenseNet121(weights=None)
    finally:
        tf.keras.backend.set_image_data_format("channels_last")
    assert model.count_params() == applications.ResNet50(weights=None, include_top=False).count_params()


def test_the_efficientnet_imagenet_path_divides_by_the_standard_deviation_again(monkeypatch, cheap_weights):
    from tensorlet.applications import weights as pretrained

    monkeypatch.setattr(pretrained, "load", lambda model, weights, file: model)
    model = applications.EfficientNetB0(weights="imagenet")
    assert [type(la).__name__ for la in model.layers[1:4]] == ["Rescaling", "Normalization", "Rescaling"]
    np.testing.assert_allclose(model.layers[3].scale, 1 / np.sqrt([0.229, 0.224, 0.225]))


@pytest.mark.parametrize("build", [
    lambda: applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=5),
    lambda: applications.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3), classes=5),
    lambda: applications.EfficientNetB0(weights=None, input_shape=(32, 32, 3), classes=5),
], ids=["MobileNetV3Small", "ConvNeXtTiny", "EfficientNetB0"])
def test_keras_files_round_trip(build, tmp_path):
    model = build()
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    assert [la.name for la in loaded.layers] == [la.name for la in model.layers]
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-5, atol=1e-6)


@pytest.mark.parity
@pytest.mark.parametrize("name", ["MobileNetV3Small", "ConvNeXtTiny", "EfficientNetV2B0", "NASNetMobile"])
def test_keras_3_loads_our_keras_files(name, tmp_path):
    keras = pytest.importorskip("keras")
    model = getattr(applications, name)(weights=None, input_shape=(32, 32, 3), classes=5)
    model.save(tmp_path / "m.keras")
    theirs = keras.models.load_model(tmp_path / "m.keras")
    assert len(theirs.layers) == len(model.layers)
    np.testing.assert_allclose(np.asarray(theirs.predict(X, verbose=0)), model.predict(X, verbose=0), rtol=1e-4,
                               atol=1e-5)
