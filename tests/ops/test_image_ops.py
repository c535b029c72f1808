"""The image primitives of ops/ (Resize2D, ExtractPatches, CropAndResize, DynamicSlice): float64 gradient checks,
the tap plans' invariants, and their errors. These run on the strict backend in CI as well."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet import backend
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.ops.crop_and_resize import CropAndResize
from tensorlet.ops.dynamic_slice import DynamicSlice
from tensorlet.ops.patches import ExtractPatches
from tensorlet.ops.resize import METHODS, Resize2D, dense_matrix, taps


def _img(shape, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, shape)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("antialias", [False, True])
def test_resize_gradient_matches_finite_differences(method, antialias):
    x = _img((2, 5, 6, 2))
    for out in [(3, 4), (7, 9)]:
        gradcheck(lambda t, out=out: Resize2D((1, 2), out, method, antialias)(t), [x], name=f"resize {method}")


def test_resize_of_channels_first_axes_gradient():
    gradcheck(lambda t: Resize2D((2, 3), (3, 7), "bicubic")(t), [_img((1, 2, 5, 4))])


@settings(max_examples=25, deadline=None)
@given(n_in=st.integers(1, 40), n_out=st.integers(1, 40), method=st.sampled_from(METHODS),
       antialias=st.booleans())
def test_resize_tap_weights_sum_to_one(n_in, n_out, method, antialias):
    index, weight = taps(n_in, n_out, method, antialias)
    assert index.shape == weight.shape and index.shape[0] == n_out
    assert int(index.min()) >= 0 and int(index.max()) < n_in
    np.testing.assert_allclose(backend.to_numpy(weight.sum(axis=1)), 1.0, atol=1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_resize_to_same_size_without_antialias_is_identity_for_interpolating_kernels(method):
    x = _img((1, 6, 5, 1)).astype(np.float32)
    y = Resize2D((1, 2), (6, 5), method)(tf.constant(x)).numpy()
    if method in ("gaussian", "mitchellcubic"):  # smoothing kernels blur even at scale 1
        assert not np.allclose(y, x)
    else:
        np.testing.assert_allclose(y, x, atol=1e-6)


def test_resize_nearest_keeps_integer_dtype_and_values():
    x = np.arange(24, dtype=np.uint8).reshape(1, 4, 6, 1)
    y = Resize2D((1, 2), (2, 3), "nearest")(tf.constant(x)).numpy()
    assert y.dtype == np.uint8
    np.testing.assert_array_equal(y[0, :, :, 0], [[7, 9, 11], [19, 21, 23]])


def test_resize_rejects_integer_input_for_interpolating_methods_and_unknown_methods():
    with pytest.raises(TypeError, match="floating-point"):
        Resize2D((1, 2), (2, 2), "bilinear")(tf.constant(np.zeros((1, 4, 4, 1), np.uint8)))
    with pytest.raises(ValueError, match="not one of"):
        Resize2D((1, 2), (2, 2), "cubic")


def test_resize_dense_and_gather_paths_agree():
    """Shrinking 60 -> 7 with lanczos5 antialias has 19+ taps (the matrix path); 60 -> 50 bilinear gathers."""
    x = _img((1, 60, 60, 2))
    for method, out in (("lanczos5", (7, 7)), ("bilinear", (50, 50))):
        index, weight = taps(60, out[0], method, True)
        m = backend.to_numpy(dense_matrix(index, weight, 60))
        want = np.einsum("ai,bj,nijc->nabc", m, m, x)
        np.testing.assert_allclose(Resize2D((1, 2), out, method, True)(tf.constant(x)).numpy(), want, atol=1e-10)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_extract_patches_gradient_matches_finite_differences(padding):
    x = _img((2, 5, 6, 2))
    for k, s, r in [((2, 3), (1, 2), (1, 1)), ((2, 2), (2, 1), (2, 2)), ((1, 1), (3, 3), (1, 1))]:
        gradcheck(lambda t, k=k, s=s, r=r: ExtractPatches(k, s, r, padding)(t), [x], name="extract_patches")


def test_extract_patches_orders_rows_then_columns_then_channels():
    x = np.arange(2 * 3 * 2, dtype=np.float64).reshape(1, 2, 3, 2)
    y = ExtractPatches((2, 2), (1, 1), (1, 1), "valid")(tf.constant(x)).numpy()
    np.testing.assert_array_equal(y[0, 0, 0], np.concatenate([x[0, 0, 0], x[0, 0, 1], x[0, 1, 0], x[0, 1, 1]]))


@pytest.mark.parametrize("method", ["bilinear", "nearest"])
def test_crop_and_resize_gradient_matches_finite_differences(method):
    x = _img((2, 5, 6, 2))
    boxes = np.array([[0.1, 0.23, 0.8, 0.7], [0.05, 0.13, 0.93, 0.97], [0.3, 0.31, 0.33, 0.61]])
    idx = tf.constant(np.array([0, 1, 1], np.int32))
    gradcheck(lambda t: CropAndResize((3, 4), method, 0.5)(t, tf.constant(boxes), idx), [x], name="crop image")
    if method == "bilinear":  # boxes away from pixel boundaries: floor() is locally constant there
        gradcheck(lambda b: CropAndResize((3, 4), method, 0.5)(tf.constant(x), b, idx), [boxes], name="crop boxes")


def test_crop_and_resize_rejects_box_indices_outside_the_batch():
    with pytest.raises(ValueError, match="box_indices"):
        CropAndResize((2, 2), "bilinear", 0.0)(tf.constant(_img((1, 4, 4, 1))), tf.constant(np.zeros((1, 4))),
                                              tf.constant(np.array([1], np.int32)))


def test_dynamic_slice_reads_its_start_from_an_input_and_scatters_the_gradient_back():
    x = _img((4, 5, 3))
    begin = tf.constant(np.array([1, 2, 0], np.int64))
    np.testing.assert_array_equal(DynamicSlice((2, 3, 3))(tf.constant(x), begin).numpy(), x[1:3, 2:5])
    gradcheck(lambda t: DynamicSlice((2, 3, 3))(t, begin), [x], name="dynamic_slice")
    with pytest.raises(ValueError, match="outside"):
        DynamicSlice((2, 4, 3))(tf.constant(x), begin)


@pytest.mark.parametrize("method", ["bilinear", "bicubic", "area", "nearest"])
def test_resize_of_few_channels_gathers_rows_with_the_same_sums_as_one_channel_at_a_time(method):
    from tensorlet.ops.resize import Resize2D

    x = np.random.default_rng(0).random((2, 13, 11, 3)).astype("float32")
    together = Resize2D((1, 2), (7, 5), method)(tf.constant(x)).numpy()  # inner size 3: the row gather
    alone = [Resize2D((1, 2), (7, 5), method)(tf.constant(np.ascontiguousarray(x[..., c]))).numpy()
             for c in range(3)]  # inner size 1: gathers along the axis
    np.testing.assert_array_equal(together, np.stack(alone, axis=-1))


@pytest.mark.parametrize("method, antialias", [("bilinear", False), ("lanczos5", True), ("nearest", False)])
def test_resize_of_a_large_batch_in_pieces_equals_each_image_alone(method, antialias):
    """A batch over a megabyte goes through both passes a few images at a time; the values must not change."""
    from tensorlet.ops import resize

    x = np.random.default_rng(0).random((5, 160, 150, 3)).astype("float32")  # 1.4 MB: pieces of 3 and 2 images
    assert x.nbytes > resize._CHUNK_BYTES
    batch = Resize2D((1, 2), (37, 90), method, antialias)(tf.constant(x)).numpy()
    alone = [Resize2D((1, 2), (37, 90), method, antialias)(tf.constant(x[i:i + 1])).numpy() for i in range(5)]
    np.testing.assert_array_equal(batch, np.concatenate(alone))


@pytest.mark.parametrize("method", ["bilinear", "nearest", "bicubic", "area", "lanczos3"])
def test_resize_in_a_reused_workspace_equals_fresh_arrays(method):
    """One workspace across images of growing and shrinking sizes (its buffers are reused and grown), integer
    and float pixels, both axis orders: the same values as resizing with fresh arrays."""
    from tensorlet.ops.resize import Workspace, axis_plan, resize_axes

    xp, work = backend.xp(), Workspace()
    rng = np.random.default_rng(0)
    for h, w, dtype in [(30, 41, "uint8"), (12, 9, "float32"), (50, 20, "uint8"), (7, 33, "float32")]:
        image = backend.asarray((rng.random((h, w, 3)) * 255).astype(dtype))
        plans = (axis_plan(h, 17, method, False, "float32"), axis_plan(w, 23, method, False, "float32"))
        fresh = backend.to_numpy(resize_axes(image, plans, (0, 1), (17, 23), xp))
        reused = backend.to_numpy(resize_axes(image, plans, (0, 1), (17, 23), xp, work))
        np.testing.assert_array_equal(reused, fresh)
