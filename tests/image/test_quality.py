import numpy as np

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck


def test_psnr_of_identical_images_is_infinite_without_warnings():
    x = tf.constant(np.random.default_rng(0).random((2, 4, 4, 3)).astype("float32"))
    np.testing.assert_array_equal(tf.image.psnr(x, x, 1.0).numpy(), [np.inf, np.inf])
    halved = tf.image.psnr(x, x * 0.5, 1.0).numpy()
    mse = np.mean((x.numpy() * 0.5) ** 2, axis=(1, 2, 3))
    np.testing.assert_allclose(halved, -10 * np.log10(mse), rtol=1e-5)


def test_ssim_of_an_image_with_itself_is_one_and_total_variation_sums_differences():
    x = np.random.default_rng(1).random((1, 12, 12, 1)).astype("float32")
    np.testing.assert_allclose(tf.image.ssim(x, x, 1.0).numpy(), [1.0], rtol=1e-5)
    tv = np.abs(np.diff(x, axis=1)).sum() + np.abs(np.diff(x, axis=2)).sum()
    np.testing.assert_allclose(tf.image.total_variation(x).numpy(), [tv], rtol=1e-5)


def test_quality_measures_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    a, b = rng.random((1, 11, 11, 1)), rng.random((1, 11, 11, 1))
    gradcheck(lambda x: tf.image.total_variation(x), [a])
    # ssim and psnr compute in float32 whatever the input (TF converts with convert_image_dtype), so the
    # differences take a step float32 can resolve.
    gradcheck(lambda x: tf.image.ssim(x, tf.constant(b), 1.0, filter_size=5), [a], eps=1e-3, atol=1e-3, rtol=1e-2)
    gradcheck(lambda x: tf.image.psnr(x, tf.constant(b), 1.0), [a], eps=1e-3, atol=1e-3, rtol=1e-2)
