"""preprocess_input (caffe/tf/torch on arrays, tensors and symbolic tensors), decode_predictions, and the
input-shape and argument rules shared by the applications."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.applications import imagenet_utils
from tensorlet.keras import applications, layers, models
from tensorlet.utils.file_utils import DatasetUnavailableError

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (2, 4, 5, 3)).astype("float32")
MEAN_BGR = np.array([103.939, 116.779, 123.68], "float32")
TORCH_MEAN, TORCH_STD = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])


def _reference(x, mode):
    x = x.astype("float64")
    if mode == "tf":
        return x / 127.5 - 1
    if mode == "torch":
        return (x / 255 - TORCH_MEAN) / TORCH_STD
    return x[..., ::-1] - MEAN_BGR


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
def test_modes_on_arrays_tensors_and_symbolic_tensors(mode):
    ref = _reference(IMAGES, mode)
    np.testing.assert_allclose(imagenet_utils.preprocess_input(IMAGES.copy(), mode=mode), ref, rtol=1e-5, atol=1e-4)
    out = imagenet_utils.preprocess_input(tf.constant(IMAGES), mode=mode)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-5, atol=1e-4)
    inp = layers.Input((4, 5, 3))
    model = models.Model(inp, imagenet_utils.preprocess_input(inp, mode=mode))
    np.testing.assert_allclose(model.predict(IMAGES, verbose=0), ref, rtol=1e-5, atol=1e-4)


def test_a_float_array_is_preprocessed_in_place_and_an_integer_one_is_copied():
    x = IMAGES.copy()
    y = imagenet_utils.preprocess_input(x, mode="tf")
    np.testing.assert_array_equal(x, y)
    ints = IMAGES.astype("uint8")
    out = imagenet_utils.preprocess_input(ints, mode="tf")
    assert out.dtype == np.float32 and ints.dtype == np.uint8


def test_channels_first_and_single_images():
    first = IMAGES.transpose(0, 3, 1, 2).copy()
    out = imagenet_utils.preprocess_input(first, data_format="channels_first", mode="caffe")
    np.testing.assert_allclose(out.transpose(0, 2, 3, 1), _reference(IMAGES, "caffe"), atol=1e-4)
    one = imagenet_utils.preprocess_input(IMAGES[0].copy(), mode="torch")
    np.testing.assert_allclose(one, _reference(IMAGES, "torch")[0], atol=1e-5)


def test_the_symbolic_caffe_step_is_a_frozen_loadable_layer(tmp_path):
    inp = layers.Input((4, 5, 3))
    model = models.Model(inp, imagenet_utils.preprocess_input(inp, mode="caffe"))
    assert model.trainable_weights == []
    model.save(tmp_path / "m.keras")
    loaded = tf.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(IMAGES, verbose=0), _reference(IMAGES, "caffe"), atol=1e-4)


@pytest.mark.parametrize("module,mode", [
    ("vgg16", "caffe"), ("vgg19", "caffe"), ("resnet", "caffe"), ("resnet50", "caffe"), ("resnet_v2", "tf"),
    ("mobilenet", "tf"), ("mobilenet_v2", "tf"), ("inception_v3", "tf"), ("xception", "tf"), ("nasnet", "tf"),
    ("densenet", "torch"), ("efficientnet", None), ("efficientnet_v2", None), ("convnext", None),
    ("mobilenet_v3", None),
])
def test_each_family_uses_its_documented_mode(module, mode):
    out = getattr(applications, module).preprocess_input(IMAGES.copy())
    np.testing.assert_allclose(out, IMAGES if mode is None else _reference(IMAGES, mode), rtol=1e-5, atol=1e-4)


def test_bad_mode_and_data_format_are_named():
    with pytest.raises(ValueError, match="mode"):
        imagenet_utils.preprocess_input(IMAGES, mode="keras")
    with pytest.raises(ValueError, match="data_format"):
        imagenet_utils.preprocess_input(IMAGES, data_format="nhwc")


def test_decode_predictions_returns_the_best_classes_first(monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    monkeypatch.setattr(imagenet_utils, "_class_index", index)
    preds = np.zeros((2, 1000), "float32")
    preds[0, [3, 7, 500]] = [0.2, 0.5, 0.3]
    preds[1, 999] = 1.0
    top = applications.resnet50.decode_predictions(preds, top=3)
    assert [c[1] for c in top[0]] == ["class_7", "class_500", "class_3"]
    assert top[0][0] == ("n00000007", "class_7", pytest.approx(0.5))
    assert top[1][0][1] == "class_999" and len(top) == 2


def test_decode_predictions_needs_1000_classes():
    with pytest.raises(ValueError, match=r"\(samples, 1000\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


def test_decode_predictions_offline_says_which_file_to_place_where(isolated_cache, monkeypatch):
    monkeypatch.setattr(imagenet_utils, "_class_index", None)
    with pytest.raises(DatasetUnavailableError) as e:
        imagenet_utils.decode_predictions(np.zeros((1, 1000)))
    message = str(e.value)
    assert "imagenet_class_index.json" in message and str(isolated_cache) in message
    assert imagenet_utils.CLASS_INDEX_MD5 in message


def test_decode_predictions_reads_a_verified_cached_class_index(isolated_cache, monkeypatch):
    """The real file is not shipped; a copy with the right md5 is accepted from the cache (here its md5 is
    replaced by the test copy's, the reading path is the same)."""
    import hashlib
    import json

    isolated_cache.mkdir(parents=True)
    path = isolated_cache / "imagenet_class_index.json"
    path.write_text(json.dumps({str(i): [f"n{i}", f"c{i}"] for i in range(1000)}))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_MD5", hashlib.md5(path.read_bytes()).hexdigest())
    monkeypatch.setattr(imagenet_utils, "_class_index", None)
    preds = np.eye(1000, dtype="float32")[[42]]
    assert imagenet_utils.decode_predictions(preds, top=1) == [[("n42", "c42", 1.0)]]


@pytest.mark.parametrize("args,expected", [
    ((None, 224, 32, "channels_last", True), (224, 224, 3)),
    ((None, 224, 32, "channels_last", False), (None, None, 3)),
    ((None, 299, 75, "channels_first", True), (3, 299, 299)),
    (((64, 80, 3), 224, 32, "channels_last", False), (64, 80, 3)),
    (((64, 80, 3), 224, 32, "channels_last", True), (64, 80, 3)),
])
def test_obtain_input_shape(args, expected):
    assert imagenet_utils.obtain_input_shape(*args) == expected


@pytest.mark.parametrize("args,match", [
    (((16, 16, 3), 224, 32, "channels_last", False), "at least 32x32"),
    (((64, 64), 224, 32, "channels_last", False), "three integers"),
    (((None, None, 3), 224, 32, "channels_last", True), "static"),
    (((128, 128, 3), 224, 32, "channels_last", True, "imagenet"), r"should be \(224, 224, 3\)"),
    (((128, 128, 1), 224, 32, "channels_last", False, "imagenet"), "3 channels"),
])
def test_obtain_input_shape_errors(args, match):
    with pytest.raises(ValueError, match=match):
        imagenet_utils.obtain_input_shape(*args)


def test_an_unusual_channel_count_warns():
    with pytest.warns(UserWarning, match="1 or 3 input channels"):
        imagenet_utils.obtain_input_shape((64, 64, 5), 224, 32, "channels_last", False)


def test_correct_pad_centres_a_strided_kernel():
    assert imagenet_utils.correct_pad(layers.Input((8, 9, 3)), 3) == ((0, 1), (1, 1))
    assert imagenet_utils.correct_pad(layers.Input((None, None, 3)), (5, 5)) == ((1, 2), (1, 2))


@pytest.mark.parity
@pytest.mark.parametrize("module", ["vgg16", "resnet50", "resnet_v2", "mobilenet_v2", "inception_v3", "densenet",
                                    "efficientnet", "convnext"])
def test_preprocess_input_matches_keras_3(module):
    keras = pytest.importorskip("keras")
    theirs = getattr(keras.applications, module).preprocess_input(IMAGES.copy())
    ours = getattr(applications, module).preprocess_input(IMAGES.copy())
    np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-6, atol=1e-5)
    tensor = getattr(applications, module).preprocess_input(tf.constant(IMAGES))
    np.testing.assert_allclose(np.asarray(tensor), np.asarray(theirs), rtol=1e-6, atol=1e-5)
