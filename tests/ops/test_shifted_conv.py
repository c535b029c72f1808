"""The stride-1 convolution by shifted products (inference and frozen steps): the same values as Conv2D's patch
matrix for kernel sizes, paddings and dilations."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import backend
from tensorlet.ops.conv import Conv2D
from tensorlet.ops.shifted_conv import applies, conv2d_shifted


@pytest.mark.parametrize("shape,kernel,padding,dilation", [
    ((2, 7, 9, 3), (3, 3, 3, 4), "same", (1, 1)),
    ((2, 7, 9, 3), (3, 3, 3, 4), "valid", (1, 1)),
    ((3, 8, 8, 5), (2, 3, 5, 6), "same", (1, 1)),
    ((2, 9, 10, 2), (3, 3, 2, 3), "same", (2, 2)),
    ((2, 9, 10, 2), (3, 3, 2, 3), "valid", (2, 1)),
    ((1, 5, 5, 4), (5, 5, 4, 2), "same", (1, 1)),
    ((2, 3, 3, 2), (3, 3, 2, 2), "valid", (1, 1)),  # one output pixel
])
def test_shifted_products_equal_the_patch_matrix(shape, kernel, padding, dilation):
    rng = np.random.default_rng(0)
    x, w = (backend.asarray(rng.standard_normal(s).astype("float32")) for s in (shape, kernel))
    assert applies(x, w, (1, 1), 1)
    want = backend.to_numpy(Conv2D((1, 1), padding, dilation).forward(x, w))
    got = backend.to_numpy(conv2d_shifted(x, w, padding, dilation))
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_it_leaves_strided_grouped_and_1x1_convolutions_to_the_patch_matrix():
    x = backend.asarray(np.zeros((1, 4, 4, 2), "float32"))
    w3, w1 = (backend.asarray(np.zeros(s, "float32")) for s in ((3, 3, 2, 2), (1, 1, 2, 2)))
    assert not applies(x, w3, (2, 2), 1) and not applies(x, w3, (1, 1), 2) and not applies(x, w1, (1, 1), 1)
