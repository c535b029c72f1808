"""Parity with Keras: ImageDataGenerator against tf_keras (apply_transform with fixed parameters for every fill
mode, order and layout; seeded random transforms, flows, fit statistics, flow_from_directory and
flow_from_dataframe batches), the affine sampler against SciPy, the image-file helpers, and
image_dataset_from_directory's files, split and pixels against Keras 3 and tf_keras."""
from __future__ import annotations

import os
import warnings

import numpy as np
import pytest

import tensorlet

pytestmark = pytest.mark.parity
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ours = tensorlet.keras.preprocessing.image
RNG = np.random.default_rng(0)
X = (RNG.random((6, 13, 17, 3)) * 255).astype(np.float32)


@pytest.fixture(scope="module")
def keras2():
    return pytest.importorskip("tf_keras").preprocessing.image


@pytest.fixture(scope="module")
def keras3():
    return pytest.importorskip("keras")


PARAMS = [dict(theta=17, tx=2.5, ty=-3, shear=11, zx=0.8, zy=1.3), dict(theta=-40), dict(tx=4, ty=1.5),
          dict(shear=30, zx=1.2, zy=0.9, flip_horizontal=True, channel_shift_intensity=20.0),
          dict(flip_vertical=1, brightness=1.3), dict(zx=0.5, zy=0.5)]


@pytest.mark.parametrize("fill_mode", ["nearest", "constant", "reflect", "wrap"])
@pytest.mark.parametrize("order", [0, 1, 3])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_apply_transform_matches_keras_2(keras2, fill_mode, order, data_format):
    if order == 3:
        pytest.importorskip("scipy")
    kw = dict(fill_mode=fill_mode, cval=7.0, interpolation_order=order, data_format=data_format)
    theirs, mine = keras2.ImageDataGenerator(**kw), ours.ImageDataGenerator(**kw)
    image = X[0] if data_format == "channels_last" else X[0].transpose(2, 0, 1)
    for params in PARAMS:
        if data_format == "channels_first" and "brightness" in params:
            continue  # Keras 2's brightness shift handles channels-last images only
        np.testing.assert_allclose(mine.apply_transform(image.copy(), params),
                                   theirs.apply_transform(image.copy(), params), atol=1e-5)


def test_affine_sampler_matches_scipy():
    ndimage = pytest.importorskip("scipy.ndimage")
    from tensorlet.preprocessing.image.affine_sampling import affine_transform

    rng = np.random.default_rng(1)
    for trial in range(120):
        h, w = (int(v) for v in rng.integers(1, 9, 2))
        image = rng.random((h, w))
        matrix, offset = rng.normal(0, 1.2, (2, 2)), rng.normal(0, 4, 2)
        if trial % 3 == 0:  # axis-aligned, half-pixel offsets: the ties of order 0
            matrix, offset = np.eye(2) * rng.choice([0.5, 1, 2]), np.round(rng.normal(0, 3, 2) * 2) / 2
        for mode in ("nearest", "reflect", "mirror", "wrap", "constant"):
            for order in (0, 1):
                np.testing.assert_allclose(affine_transform(image, matrix, offset, order=order, mode=mode, cval=0.7),
                                           ndimage.affine_transform(image, matrix, offset, order=order, mode=mode,
                                                                    cval=0.7), atol=1e-12)


def test_seeded_random_transforms_flow_and_fit_match_keras_2(keras2):
    kw = dict(rotation_range=30, width_shift_range=0.2, height_shift_range=[-3, 0, 2], shear_range=0.2,
              zoom_range=[0.8, 1.2], horizontal_flip=True, vertical_flip=True, channel_shift_range=10,
              brightness_range=(0.7, 1.3))
    theirs, mine = keras2.ImageDataGenerator(**kw), ours.ImageDataGenerator(**kw)
    for seed in range(5):
        assert repr(mine.get_random_transform(X[0].shape, seed=seed)) == \
            repr(theirs.get_random_transform(X[0].shape, seed=seed))
        np.testing.assert_allclose(mine.random_transform(X[1].copy(), seed=seed),
                                   theirs.random_transform(X[1].copy(), seed=seed), atol=1e-5)
    kw = dict(rotation_range=20, width_shift_range=0.1, rescale=1 / 255.0, samplewise_center=True,
              samplewise_std_normalization=True, validation_split=0.34)
    theirs, mine = keras2.ImageDataGenerator(**kw), ours.ImageDataGenerator(**kw)
    y = np.array([0, 1, 0, 1, 0, 1])
    a, b = theirs.flow(X, y, batch_size=3, seed=11, subset="training"), mine.flow(X, y, batch_size=3, seed=11,
                                                                                  subset="training")
    for i in range(len(a)):
        for u, v in zip(a[i], b[i]):
            np.testing.assert_allclose(v, u, atol=1e-5)
    for u, v in zip(next(a), next(b)):
        np.testing.assert_allclose(v, u, atol=1e-5)
    for kw in (dict(featurewise_center=True, featurewise_std_normalization=True), dict(zca_whitening=True)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs, mine = keras2.ImageDataGenerator(rotation_range=10, **kw), ours.ImageDataGenerator(
                rotation_range=10, **kw)
        theirs.fit(X[:4], augment=True, rounds=2, seed=3)
        mine.fit(X[:4], augment=True, rounds=2, seed=3)
        for name in ("mean", "std", "zca_whitening_matrix"):
            if getattr(theirs, name) is not None:
                np.testing.assert_allclose(getattr(mine, name), getattr(theirs, name), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(mine.standardize(X[5].copy()), theirs.standardize(X[5].copy()), atol=1e-4)


def _same_batches(a, b):
    assert len(a) == len(b)
    for i in range(len(a)):
        first, second = a[i], b[i]
        first, second = (first, second) if isinstance(first, tuple) else ((first,), (second,))
        for u, v in zip(first, second):
            np.testing.assert_allclose(np.asarray(v, float), np.asarray(u, float), atol=1e-5)


@pytest.mark.parametrize("subset", [None, "training", "validation"])
def test_flow_from_directory_matches_keras_2(keras2, image_folder, subset):
    kw = dict(rotation_range=20, zoom_range=0.1, horizontal_flip=True, rescale=1 / 255.0, validation_split=0.25)
    theirs, mine = keras2.ImageDataGenerator(**kw), ours.ImageDataGenerator(**kw)
    for mode in ("categorical", "sparse", "input", None):
        a = theirs.flow_from_directory(image_folder, target_size=(12, 15), batch_size=5, seed=4, subset=subset,
                                       class_mode=mode)
        b = mine.flow_from_directory(image_folder, target_size=(12, 15), batch_size=5, seed=4, subset=subset,
                                     class_mode=mode)
        assert b.filenames == a.filenames and b.class_indices == a.class_indices
        np.testing.assert_array_equal(b.classes, a.classes)
        _same_batches(a, b)
    a = theirs.flow_from_directory(image_folder, target_size=(12, 15), batch_size=5, seed=4, classes=["dogs", "zebra"],
                                   class_mode="binary", color_mode="grayscale", interpolation="bilinear")
    b = mine.flow_from_directory(image_folder, target_size=(12, 15), batch_size=5, seed=4, classes=["dogs", "zebra"],
                                 class_mode="binary", color_mode="grayscale", interpolation="bilinear")
    _same_batches(a, b)


def test_flow_from_dataframe_matches_keras_2(keras2, image_folder):
    pd = pytest.importorskip("pandas")
    files = [os.path.join(c, f) for c in ("cats", "dogs", "zebra") for f in sorted(os.listdir(os.path.join(
        image_folder, c))) if f.endswith(("png", "jpg", "jpeg"))]
    df = pd.DataFrame({"filename": files + ["missing.png"], "class": [f.split(os.sep)[0] for f in files] + ["cats"],
                       "w": np.arange(len(files) + 1, dtype=float)})
    theirs, mine = keras2.ImageDataGenerator(rescale=1 / 255.0, validation_split=0.2), ours.ImageDataGenerator(
        rescale=1 / 255.0, validation_split=0.2)
    for mode in ("categorical", "sparse", "raw", "input"):
        y = "w" if mode == "raw" else "class"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = theirs.flow_from_dataframe(df, image_folder, y_col=y, weight_col="w", target_size=(12, 15),
                                           batch_size=4, seed=2, class_mode=mode, subset="training")
            b = mine.flow_from_dataframe(df, image_folder, y_col=y, weight_col="w", target_size=(12, 15),
                                         batch_size=4, seed=2, class_mode=mode, subset="training")
        assert b.filenames == a.filenames
        _same_batches(a, b)


def test_image_file_helpers_match_keras_2(keras2, tmp_path):
    image = (RNG.random((11, 14, 3)) * 255).astype(np.uint8)
    path = str(tmp_path / "a.png")
    keras2.save_img(path, image, scale=False)
    for kw in (dict(), dict(color_mode="grayscale"), dict(color_mode="rgba"),
               dict(target_size=(5, 9), interpolation="bicubic"), dict(target_size=(6, 6), keep_aspect_ratio=True)):
        np.testing.assert_array_equal(ours.img_to_array(ours.load_img(path, **kw)),
                                      keras2.img_to_array(keras2.load_img(path, **kw)))
    x = RNG.random((4, 5, 3)) * 3 - 1
    np.testing.assert_array_equal(np.asarray(ours.array_to_img(x)), np.asarray(keras2.array_to_img(x)))
    np.testing.assert_allclose(ours.smart_resize(image, (7, 7)), keras2.smart_resize(image, (7, 7)), atol=1e-3)


DATASET_CASES = [dict(seed=3), dict(seed=7, validation_split=0.3, subset="training"),
                 dict(seed=7, validation_split=0.3, subset="validation"), dict(shuffle=False), dict(seed=1, labels=None),
                 dict(seed=2, class_names=["zebra", "cats", "dogs"])]


@pytest.mark.parametrize("case", range(len(DATASET_CASES)))
def test_dataset_files_and_split_match_tf_keras(image_folder, case):
    tf_keras = pytest.importorskip("tf_keras")
    kw = DATASET_CASES[case]
    theirs = tf_keras.utils.image_dataset_from_directory(image_folder, image_size=(16, 20), batch_size=4, **kw)
    mine = tensorlet.keras.utils.image_dataset_from_directory(image_folder, image_size=(16, 20), batch_size=4, **kw)
    assert mine.file_paths == theirs.file_paths and mine.class_names == theirs.class_names


@pytest.mark.parametrize("case", range(len(DATASET_CASES) - 2))
def test_dataset_files_and_split_match_keras_3(keras3, image_folder, case):
    kw = DATASET_CASES[case]
    theirs = keras3.utils.image_dataset_from_directory(image_folder, image_size=(16, 20), batch_size=4,
                                                       verbose=False, **kw)
    mine = tensorlet.keras.utils.image_dataset_from_directory(image_folder, image_size=(16, 20), batch_size=4,
                                                              verbose=False, **kw)
    assert mine.file_paths == theirs.file_paths and mine.class_names == theirs.class_names
    both = keras3.utils.image_dataset_from_directory(image_folder, image_size=(8, 8), seed=5, validation_split=0.4,
                                                     subset="both", verbose=False)
    mine_both = tensorlet.keras.utils.image_dataset_from_directory(image_folder, image_size=(8, 8), seed=5,
                                                                   validation_split=0.4, subset="both", verbose=False)
    assert [m.file_paths for m in mine_both] == [t.file_paths for t in both]


@pytest.mark.parametrize("kw", [dict(), dict(crop_to_aspect_ratio=True), dict(pad_to_aspect_ratio=True),
                                dict(interpolation="nearest", color_mode="grayscale"), dict(interpolation="area"),
                                dict(interpolation="bicubic", label_mode="categorical")])
def test_dataset_pixels_match_keras_3(keras3, image_folder, kw):
    """The folder's JPEGs are 4:4:4, where tensorlet decodes as TensorFlow does to the bit; the resize kernels
    then agree to float32 rounding (values 0..255)."""
    theirs = keras3.utils.image_dataset_from_directory(image_folder, image_size=(16, 20), batch_size=24,
                                                       shuffle=False, verbose=False, **kw)
    mine = tensorlet.keras.utils.image_dataset_from_directory(image_folder, image_size=(16, 20), batch_size=24,
                                                              shuffle=False, verbose=False, **kw)
    (xa, ya), (xb, yb) = next(iter(theirs)), next(iter(mine))
    assert xb.dtype.name == xa.dtype.name
    np.testing.assert_allclose(xb.numpy().astype(float), xa.numpy().astype(float), atol=2e-3)
    np.testing.assert_array_equal(yb.numpy(), ya.numpy())
