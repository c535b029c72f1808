"""ImageDataGenerator: arguments, standardisation, fit (feature-wise statistics, ZCA), the three iterators as
Keras Sequences that fit/evaluate/predict accept, subsets, save_to_dir, and errors."""
from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import tensorlet as tf

kimage = tf.keras.preprocessing.image
RNG = np.random.default_rng(0)
X = RNG.random((10, 8, 9, 3)).astype(np.float32) * 255
Y = np.array([0, 1] * 5)


def test_standardize_order_rescale_then_samplewise():
    gen = kimage.ImageDataGenerator(rescale=1 / 255, samplewise_center=True, samplewise_std_normalization=True,
                                    preprocessing_function=lambda x: x + 255)
    out = gen.standardize(X[0].copy())
    np.testing.assert_allclose(out.mean(), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(), 1, atol=1e-4)


def test_fit_featurewise_statistics_and_zca():
    gen = kimage.ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True)
    gen.fit(X)
    assert gen.mean.shape == (1, 1, 3) and gen.std.shape == (1, 1, 3)
    np.testing.assert_allclose(gen.mean.ravel(), X.mean(axis=(0, 1, 2)), rtol=1e-5)
    stacked = np.stack([gen.standardize(x.copy()) for x in X])
    np.testing.assert_allclose(stacked.mean(axis=(0, 1, 2)), 0, atol=1e-4)
    np.testing.assert_allclose(stacked.std(axis=(0, 1, 2)), 1, atol=1e-4)
    with pytest.warns(UserWarning, match="overrides setting of `featurewise_center`"):
        zca = kimage.ImageDataGenerator(zca_whitening=True)
    small = RNG.random((20, 3, 3, 1)).astype(np.float32)
    zca.fit(small)
    assert zca.zca_whitening_matrix.shape == (9, 9)
    white = np.stack([zca.standardize(x.copy()) for x in small]).reshape(20, 9)
    np.testing.assert_allclose(white.T @ white / 20, np.eye(9), atol=1e-3)  # second moments whitened


def test_unfitted_featurewise_settings_warn():
    gen = kimage.ImageDataGenerator(featurewise_center=True)
    with pytest.warns(UserWarning, match="hasn't been fit"):
        gen.standardize(X[0].copy())


def test_transforms_are_reproducible_and_flips_exact():
    gen = kimage.ImageDataGenerator(rotation_range=30, width_shift_range=0.2, height_shift_range=[-2, 2],
                                    shear_range=10, zoom_range=0.2, channel_shift_range=5, horizontal_flip=True,
                                    brightness_range=(0.8, 1.2))
    params = gen.get_random_transform(X[0].shape, seed=3)
    assert set(params) == {"theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical",
                           "channel_shift_intensity", "brightness"}
    assert params["tx"] in (-2, 2)
    np.testing.assert_array_equal(gen.random_transform(X[0].copy(), seed=3),
                                  gen.apply_transform(X[0].copy(), params))
    plain = kimage.ImageDataGenerator()
    np.testing.assert_array_equal(plain.apply_transform(X[0], {"flip_horizontal": True}), X[0][:, ::-1])
    np.testing.assert_array_equal(plain.apply_transform(X[0], {"flip_vertical": True}), X[0][::-1])


def test_flow_is_a_sequence_with_labels_weights_and_subsets():
    gen = kimage.ImageDataGenerator(validation_split=0.2)
    it = gen.flow(X, Y, batch_size=3, shuffle=False, sample_weight=np.arange(10.0))
    assert len(it) == 4
    x0, y0, w0 = it[0]
    np.testing.assert_array_equal(x0, X[:3])
    np.testing.assert_array_equal(y0, Y[:3])
    np.testing.assert_array_equal(w0, [0, 1, 2])
    assert it[3][0].shape == (1, 8, 9, 3)
    train = gen.flow(X, Y, batch_size=4, subset="training")
    val = gen.flow(X, Y, batch_size=4, subset="validation")
    assert train.n == 8 and val.n == 2
    assert next(gen.flow(X, batch_size=2)).shape == (2, 8, 9, 3)  # endless iteration, images only
    extra = gen.flow((X, np.arange(10)), Y, batch_size=2, shuffle=False)[1]
    assert isinstance(extra[0], list) and list(extra[0][1]) == [2, 3]


def test_flow_shuffles_per_epoch_and_reproduces_with_a_seed():
    gen = kimage.ImageDataGenerator()
    a = gen.flow(X, Y, batch_size=10, seed=4)
    b = gen.flow(X, Y, batch_size=10, seed=4)
    np.testing.assert_array_equal(a[0][0], b[0][0])
    first = a[0][1].copy()
    orders = set()
    for _ in range(5):
        a.on_epoch_end()
        orders.add(tuple(a[0][1]))
    assert len(orders) > 1 or tuple(first) not in orders


def test_iterators_train_evaluate_and_predict(image_folder):
    tf.random.set_seed(0)
    model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(8, 9, 3)), tf.keras.layers.Dense(2)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    gen = kimage.ImageDataGenerator(rescale=1 / 255.0, rotation_range=10, horizontal_flip=True)
    history = model.fit(gen.flow(X, Y, batch_size=4), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(gen.flow(X, batch_size=4, shuffle=False), verbose=0).shape == (10, 2)
    files = gen.flow_from_directory(image_folder, target_size=(8, 9), batch_size=5, class_mode="sparse")
    clf = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(8, 9, 3)), tf.keras.layers.Dense(4)])
    clf.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    clf.fit(files, epochs=1, verbose=0)
    assert np.isfinite(clf.evaluate(files, verbose=0))


def test_flow_from_directory_lists_files_as_keras_2(image_folder, capsys):
    gen = kimage.ImageDataGenerator(validation_split=0.25)
    it = gen.flow_from_directory(image_folder, target_size=(10, 12), batch_size=4, shuffle=False)
    assert "Found 24 images belonging to 4 classes." in capsys.readouterr().out  # ".hidden" is a class for Keras 2
    assert it.class_indices == {".hidden": 0, "cats": 1, "dogs": 2, "zebra": 3}
    assert it.filenames[:3] == [os.path.join("cats", f"img_{i}.{e}") for i, e in ((0, "png"), (1, "jpg"),
                                                                                  (2, "jpeg"))]
    assert os.path.join("cats", "sub", "img_3.PNG") in it.filenames
    assert it.samples == len(it.filepaths) == 24 and list(it.classes[:7]) == [1] * 7
    x, y = it[0]
    assert x.shape == (4, 10, 12, 3) and y.shape == (4, 4) and y.sum() == 4
    val = gen.flow_from_directory(image_folder, target_size=(10, 12), subset="validation", class_mode="binary",
                                  classes=["cats", "dogs"])
    assert val.samples == 1 + 2 and set(val.classes) == {0, 1}
    gray = gen.flow_from_directory(image_folder, target_size=(10, 12), color_mode="grayscale", class_mode=None,
                                   batch_size=3)
    assert gray[0].shape == (3, 10, 12, 1)
    autoenc = gen.flow_from_directory(image_folder, target_size=(10, 12), class_mode="input", batch_size=2)
    a, b = autoenc[0]
    np.testing.assert_array_equal(a, b)


def test_save_to_dir_writes_the_augmented_images(image_folder, tmp_path):
    out = tmp_path / "aug"
    out.mkdir()
    gen = kimage.ImageDataGenerator(rotation_range=20)
    gen.flow_from_directory(image_folder, target_size=(10, 12), batch_size=3, save_to_dir=str(out),
                            save_prefix="aug", save_format="jpeg")[0]
    gen.flow(X, Y, batch_size=2, save_to_dir=str(out), save_prefix="arr")[0]
    names = sorted(os.listdir(out))
    assert sum(n.startswith("aug_") and n.endswith(".jpeg") for n in names) == 3
    assert sum(n.startswith("arr_") for n in names) == 2


def test_flow_from_dataframe_modes(image_folder):
    pd = pytest.importorskip("pandas")
    files = [os.path.join("cats", "img_0.png"), os.path.join("dogs", "img_1.jpg"), os.path.join("zebra", "img_0.png"),
             "missing.png"]
    df = pd.DataFrame({"filename": files, "class": ["cats", "dogs", "zebra", "cats"], "w": [1.0, 2.0, 3.0, 4.0],
                       "score": [0.5, 1.5, 2.5, 3.5]})
    gen = kimage.ImageDataGenerator(rescale=1 / 255.0)
    with pytest.warns(UserWarning, match="1 invalid image filename"):
        it = gen.flow_from_dataframe(df, image_folder, target_size=(6, 6), batch_size=3, shuffle=False,
                                     weight_col="w")
    assert it.class_indices == {"cats": 0, "dogs": 1, "zebra": 2} and it.samples == 3
    x, y, w = it[0]
    assert x.shape == (3, 6, 6, 3) and y.shape == (3, 3) and list(w) == [1.0, 2.0, 3.0]
    with pytest.warns(UserWarning):
        raw = gen.flow_from_dataframe(df, image_folder, y_col="score", class_mode="raw", target_size=(6, 6),
                                      shuffle=False)
    np.testing.assert_array_equal(raw[0][1], [0.5, 1.5, 2.5])
    with pytest.raises(TypeError, match="must be strings"):
        gen.flow_from_dataframe(df, image_folder, y_col="w", class_mode="sparse", validate_filenames=False)


@pytest.mark.parametrize("kwargs, match", [
    (dict(zoom_range="big"), "zoom_range"), (dict(brightness_range=0.5), "brightness_range"),
    (dict(validation_split=1.5), "validation_split"), (dict(data_format="nhwc"), "data_format"),
    (dict(fill_mode="edge"), "fill_mode"),
])
def test_generator_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        kimage.ImageDataGenerator(**kwargs)


def test_iterator_errors(image_folder):
    gen = kimage.ImageDataGenerator(validation_split=0.5)
    with pytest.raises(ValueError, match="rank 4"):
        gen.flow(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match="same length"):
        gen.flow(X, Y[:3])
    with pytest.raises(ValueError, match="different number of classes"):
        gen.flow(X, np.sort(Y), subset="training")
    with pytest.raises(ValueError, match="Invalid class_mode"):
        gen.flow_from_directory(image_folder, class_mode="onehot")
    with pytest.raises(ValueError, match="Invalid color mode"):
        gen.flow_from_directory(image_folder, color_mode="cmyk")
    with pytest.raises(ValueError, match="Invalid subset"):
        gen.flow_from_directory(image_folder, subset="test")
    with pytest.raises(ValueError, match="has length"):
        gen.flow(X, Y, batch_size=4)[3]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="channels"):
            gen.flow(np.zeros((2, 4, 4, 7)))
