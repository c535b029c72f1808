"""The depthwise convolution without a padded copy: each kernel tap's overlap of input and output."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensorlet.ops.conv import conv2d
from tensorlet.ops.depthwise_conv import _span, depthwise_conv2d


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 9), st.integers(1, 9), st.integers(-6, 6), st.integers(1, 3))
def test_span_is_the_outputs_whose_input_is_inside(n_out, n_in, start, step):
    inside = [o for o in range(n_out) if 0 <= start + o * step < n_in]
    o0, o1, first = _span(n_out, n_in, start, step)
    assert list(range(o0, o1)) == inside
    if inside:
        assert first == start + inside[0] * step


@pytest.mark.parametrize("strides,padding,dilation", [(1, "same", 1), (2, "same", 1), (1, "same", 2), (3, "same", 1),
                                                      (2, "valid", 1)])
def test_depthwise_equals_grouped_conv_with_padding(strides, padding, dilation):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 7, 6, 4)), rng.standard_normal((3, 3, 4, 1))
    if strides > 1 and dilation > 1:
        pytest.skip("TF allows strides or dilation above 1, not both")
    grouped = conv2d(x, w.reshape(3, 3, 1, 4), strides, padding, dilation, groups=4)
    np.testing.assert_allclose(np.asarray(depthwise_conv2d(x, w, strides, padding, dilation)), np.asarray(grouped),
                               rtol=1e-10, atol=1e-12)
