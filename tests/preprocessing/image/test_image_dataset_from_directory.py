"""image_dataset_from_directory: the files, order, split and labels Keras gives, decoding and resizing, every
argument, the Dataset methods course code chains, fit, and errors."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tf

load = tf.keras.utils.image_dataset_from_directory


def test_classes_files_and_batches(image_folder, capsys):
    ds = load(image_folder, image_size=(16, 20), batch_size=5, shuffle=False)
    assert "Found 24 files belonging to 3 classes." in capsys.readouterr().out
    assert ds.class_names == ["cats", "dogs", "zebra"] and len(ds) == 5
    assert ds.file_paths[0] == os.path.join(image_folder, "cats", "img_0.png")
    assert os.path.join(image_folder, "cats", "sub", "img_3.PNG") in ds.file_paths
    x, y = next(iter(ds))
    assert x.shape == (5, 16, 20, 3) and x.dtype == tf.float32 and y.dtype == tf.int32
    assert list(y.numpy()) == [0] * 5
    assert [b[0].shape[0] for b in ds] == [5, 5, 5, 5, 4]


def test_images_are_decoded_and_resized_as_tf_image_does(image_folder):
    ds = load(image_folder, image_size=(16, 20), batch_size=None, shuffle=False)
    first = next(iter(ds))[0].numpy()
    raw = tf.image.decode_png(tf.io.read_file(ds.file_paths[0]))
    np.testing.assert_array_equal(first, tf.image.resize(raw, (16, 20)).numpy())
    cropped = load(image_folder, image_size=(16, 20), batch_size=None, shuffle=False, crop_to_aspect_ratio=True)
    np.testing.assert_allclose(next(iter(cropped))[0].numpy(),
                               tf.keras.preprocessing.image.smart_resize(raw.numpy(), (16, 20)), atol=1e-4)
    padded = load(image_folder, image_size=(16, 20), batch_size=None, shuffle=False, pad_to_aspect_ratio=True)
    np.testing.assert_array_equal(next(iter(padded))[0].numpy(), tf.image.resize_with_pad(raw, 16, 20).numpy())


def test_shuffle_and_split_follow_keras_rules(image_folder):
    ds = load(image_folder, image_size=(8, 8), seed=7, verbose=False)
    paths = sorted(ds.file_paths)
    expected = list(load(image_folder, image_size=(8, 8), shuffle=False, verbose=False).file_paths)
    np.random.RandomState(7).shuffle(expected)
    assert ds.file_paths == expected and sorted(expected) == paths
    train = load(image_folder, image_size=(8, 8), seed=7, validation_split=0.25, subset="training", verbose=False)
    val = load(image_folder, image_size=(8, 8), seed=7, validation_split=0.25, subset="validation", verbose=False)
    assert train.file_paths == expected[:18] and val.file_paths == expected[18:]
    both = load(image_folder, image_size=(8, 8), seed=7, validation_split=0.25, subset="both", verbose=False)
    assert [b.file_paths for b in both] == [train.file_paths, val.file_paths]


def test_label_modes_color_modes_and_given_labels(image_folder):
    cat = load(image_folder, image_size=(8, 8), label_mode="categorical", batch_size=24, shuffle=False)
    y = next(iter(cat))[1].numpy()
    assert y.shape == (24, 3) and y.dtype == np.float32 and (y.sum(axis=1) == 1).all()
    two = load(image_folder, image_size=(8, 8), class_names=["dogs", "cats"], label_mode="binary", batch_size=64,
               shuffle=False, verbose=False)
    assert two.class_names == ["dogs", "cats"] and next(iter(two))[1].shape == (15, 1)
    gray = load(image_folder, image_size=(8, 8), color_mode="grayscale", interpolation="nearest", batch_size=2)
    x = next(iter(gray))[0]
    assert x.shape == (2, 8, 8, 1) and x.dtype == tf.uint8
    images_only = load(image_folder, image_size=(8, 8), labels=None, batch_size=4, shuffle=False)
    assert next(iter(images_only)).shape == (4, 8, 8, 3)
    flat = os.path.join(image_folder, "cats")
    given = load(flat, labels=[0, 1, 0, 1, 1, 0, 1], image_size=(8, 8), batch_size=7, shuffle=False)
    assert given.class_names == [0, 1] and list(next(iter(given))[1].numpy()) == [0, 1, 0, 1, 1, 0, 1]
    first = load(image_folder, image_size=(8, 8), data_format="channels_first", batch_size=1)
    assert next(iter(first))[0].shape == (1, 3, 8, 8)


def test_dataset_methods_and_fit(image_folder):
    train, val = load(image_folder, image_size=(12, 12), batch_size=4, seed=1, validation_split=0.25,
                      subset="both", verbose=False)
    normalized = train.map(lambda x, y: (x / 255.0, y)).cache().shuffle(100).prefetch(1)
    for images, _labels in normalized.take(1):  # batches are shuffled: the last one (of 2) may come first
        assert float(tf.reduce_max(images)) <= 1.0 and images.shape[0] in (4, 2)
    assert len(train.take(2)) == 2 and len(train.skip(2)) == len(train) - 2
    assert len(list(train.unbatch())) == 18
    assert len(list(train.unbatch().batch(6))) == 3
    arrays = next(train.as_numpy_iterator())
    assert isinstance(arrays[0], np.ndarray)
    tf.random.set_seed(0)
    model = tf.keras.Sequential([tf.keras.layers.Rescaling(1 / 255.0, input_shape=(12, 12, 3)),
                                 tf.keras.layers.Flatten(), tf.keras.layers.Dense(3)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history = model.fit(train, validation_data=val, epochs=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert model.predict(val, verbose=0).shape == (6, 3)


def test_reshuffles_every_epoch(image_folder):
    ds = load(image_folder, image_size=(4, 4), batch_size=24, seed=3, verbose=False)
    orders = {tuple(next(iter(ds))[1].numpy()) for _ in range(4)}
    assert len(orders) > 1


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(labels="folders"), ValueError, "`labels` argument should be"),
    (dict(labels=[0, 1], class_names=["a"]), ValueError, "only pass `class_names`"),
    (dict(label_mode="sparse"), ValueError, "`label_mode` argument"),
    (dict(color_mode="cmyk"), ValueError, "`color_mode`"),
    (dict(image_size=(1, 2, 3)), ValueError, "image_size"),
    (dict(interpolation="cubic"), ValueError, "interpolation"),
    (dict(validation_split=0.2), ValueError, "`subset` is set"),
    (dict(validation_split=0.2, subset="training"), ValueError, "seed"),
    (dict(validation_split=1.2, subset="training", seed=1), ValueError, "between 0 and 1"),
    (dict(subset="test", validation_split=0.2, seed=1), ValueError, "`subset` must be"),
    (dict(label_mode="binary"), ValueError, "exactly 2 class_names"),
    (dict(class_names=["cats", "lions"]), ValueError, "did not match"),
    (dict(crop_to_aspect_ratio=True, pad_to_aspect_ratio=True), ValueError, "Only one of"),
    (dict(labels=[0, 1]), ValueError, "lengths of `labels`"),
    (dict(smart_size=True), TypeError, "Unknown keywords"),
])
def test_argument_errors(image_folder, kwargs, error, match):
    with pytest.raises(error, match=match):
        load(image_folder, verbose=False, **kwargs)


def test_missing_or_empty_directory(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load(str(tmp_path / "nowhere"))
    (tmp_path / "empty" / "a").mkdir(parents=True)
    with pytest.raises(ValueError, match="No images found"):
        load(str(tmp_path / "empty"), verbose=False)


@pytest.mark.parametrize("method", ["bilinear", "nearest", "area", "bicubic", "lanczos3"])
@pytest.mark.parametrize("color_mode", ["rgb", "grayscale"])
def test_host_loader_gives_exactly_the_ops_values(image_folder, method, color_mode):
    from tensorlet.preprocessing.image.dataset_from_directory import load_image, load_image_array

    channels = {"rgb": 3, "grayscale": 1}[color_mode]
    for path in load(image_folder, shuffle=False, verbose=False).file_paths[:4]:
        for fmt in ("channels_last", "channels_first"):
            ops_value = load_image(path, (17, 23), channels, method, fmt).numpy()
            host_value = load_image_array(path, (17, 23), channels, method, fmt)
            assert host_value.dtype == ops_value.dtype
            np.testing.assert_array_equal(host_value, ops_value)


def test_host_loader_writes_into_the_batch_with_a_reused_workspace(image_folder):
    from tensorlet.ops.resize import Workspace
    from tensorlet.preprocessing.image.dataset_from_directory import load_image_array

    paths = load(image_folder, shuffle=False, verbose=False).file_paths
    work, batch = Workspace(), np.zeros((len(paths), 3, 17, 23), np.float32)
    for i, path in enumerate(paths):  # files of different sizes through one workspace
        got = load_image_array(path, (17, 23), 3, "bilinear", "channels_first", out=batch[i], work=work)
        assert np.shares_memory(got, batch)
    for i, path in enumerate(paths):
        np.testing.assert_array_equal(batch[i], load_image_array(path, (17, 23), 3, "bilinear", "channels_first"))


def test_same_seed_gives_the_same_batches_whatever_thread_decodes_first(image_folder):
    first = [(x.numpy(), y.numpy()) for x, y in load(image_folder, image_size=(9, 7), batch_size=5, seed=11,
                                                     verbose=False)]
    again = [(x.numpy(), y.numpy()) for x, y in load(image_folder, image_size=(9, 7), batch_size=5, seed=11,
                                                     verbose=False)]
    assert len(first) == len(again) == 5
    for (xa, ya), (xb, yb) in zip(first, again):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
