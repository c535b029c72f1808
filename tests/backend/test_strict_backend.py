"""The strict backend: NumPy's numbers, and a loud failure for any array that bypasses the backend seam."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.backend.strict_backend import SeamError, StrictArray


@pytest.fixture
def xp():
    with backend.use_backend("strict"):
        yield backend.xp()


# -- what the seam forbids ------------------------------------------------------------------------------------
def test_numpy_ufunc_on_a_backend_array_raises(xp):
    a = xp.asarray([1.0, 2.0])
    with pytest.raises(TypeError, match="does not support ufuncs"):
        np.exp(a)
    with pytest.raises(TypeError):
        np.add.reduce(a)


def test_numpy_function_on_a_backend_array_raises_and_names_the_fix(xp):
    a = xp.asarray([1.0, 2.0])
    with pytest.raises(SeamError, match=r"numpy\.sum was called .* backend\.xp\(\)\.sum"):
        np.sum(a)
    with pytest.raises(SeamError, match="numpy.where"):
        np.where(a > 1, a, 0)


@pytest.mark.parametrize("mix", [
    lambda a, h: a + h,            # operator, host array on the right
    lambda a, h: h * a,            # reflected operator: NumPy defers to the strict array, which refuses
    lambda a, h: a @ h[:, None],
    lambda a, h: a.dot(h),         # method argument
    lambda a, h: a[h.astype(int)],  # index
])
def test_host_array_mixed_into_backend_arrays_raises(xp, mix):
    a, host = xp.asarray([1.0, 2.0]), np.ones(2)
    with pytest.raises(SeamError, match="host array"):
        mix(a, host)


def test_host_array_into_an_xp_function_raises_except_at_the_entry_points(xp):
    host = np.ones(2)
    with pytest.raises(SeamError, match="xp.exp"):
        xp.exp(host)
    with pytest.raises(SeamError, match="xp.concatenate"):
        xp.concatenate([xp.ones(2), host])
    with pytest.raises(SeamError):
        xp.add(xp.ones(2), 1.0, out=np.empty(2))
    assert isinstance(xp.asarray(host), StrictArray) and isinstance(xp.array(host), StrictArray)


def test_setitem_with_a_host_array_raises(xp):
    a = xp.zeros(3)
    with pytest.raises(SeamError):
        a[:] = np.ones(3)


# -- what the seam allows -------------------------------------------------------------------------------------
def test_operators_methods_and_attributes_stay_allowed(xp):
    a = xp.asarray([[1.0, 2.0], [3.0, 4.0]])
    for y in (a + 1, 2 * a, np.float32(2) * a, a @ a, -a, abs(a), a > 2, a.T, a.reshape(4), a.sum(axis=0),
              a.max(), a.astype(np.float32), a.copy(), a[0], a[a > 2], a.mean(keepdims=True)):
        assert isinstance(y, StrictArray)
    assert a.shape == (2, 2) and a.dtype == np.float64 and a.ndim == 2 and a.size == 4
    assert float(a.sum()) == 10.0 and a.tolist() == [[1.0, 2.0], [3.0, 4.0]] and 4.0 in a
    b = xp.zeros((2, 2))
    b += a  # in place, through the operator
    b[0] = xp.asarray([5.0, 6.0])
    assert b.tolist() == [[5.0, 6.0], [3.0, 4.0]]


def test_reductions_and_scalar_indexing_give_0d_arrays_as_cupy_does(xp):
    a = xp.asarray([1.0, 2.0, 3.0])
    for s in (a.sum(), a[1], xp.max(a), xp.add.reduce(a)):
        assert isinstance(s, StrictArray) and s.ndim == 0
    assert [float(v) for v in a] == [1.0, 2.0, 3.0]


def test_results_are_numpys_and_out_writes_land_in_place(xp):
    rng = np.random.default_rng(0)
    host = rng.standard_normal((3, 4))
    a = xp.asarray(host)
    np.testing.assert_array_equal(backend.to_numpy(xp.tanh(a) @ a.T), np.tanh(host) @ host.T)
    out = xp.empty((3, 4))
    y = xp.multiply(a, 2.0, out=out)
    np.testing.assert_array_equal(backend.to_numpy(out), host * 2)
    assert np.shares_memory(backend.to_numpy(y), backend.to_numpy(out))
    acc = xp.zeros(3)
    xp.add.at(acc, xp.asarray([0, 0, 2]), 1.0)
    assert acc.tolist() == [2.0, 0.0, 1.0]


def test_namespace_keeps_numpys_types_and_constants(xp):
    assert xp.float32 is np.float32 and xp.dtype is np.dtype and xp.newaxis is None and xp.pi == np.pi
    assert xp.ndarray is StrictArray and xp.finfo(np.float32).eps == np.finfo(np.float32).eps
    assert isinstance(xp.linalg.norm(xp.ones(4)), StrictArray)


def test_backend_methods_give_strict_arrays(xp):
    b = backend.current()
    a = xp.arange(12.0).reshape(3, 4)
    view = b.as_strided(a, (2, 2), a.strides)
    assert isinstance(view, StrictArray) and view.tolist() == [[0.0, 1.0], [4.0, 5.0]]
    with b.errstate(divide="ignore"):
        assert float((xp.ones(1) / xp.zeros(1))[0]) == np.inf
    assert type(b.to_numpy(a)) is np.ndarray and b.is_array(a) and not b.is_array(np.ones(1))


# -- a deliberately bad op: the reason the backend exists -----------------------------------------------------
class HostExp(Function):
    """y = exp(x), written against NumPy instead of ``self.xp``: it only works on the NumPy backend."""

    def forward(self, x):
        y = np.exp(x)
        self.saved = (y,)
        return y

    def backward(self, dy):
        return dy * self.saved[0]


class HostBias(Function):
    """y = x + 1 with the ones made on the host (``np.ones``) and never converted."""

    def forward(self, x):
        return x + np.ones(x.shape, x.dtype)

    def backward(self, dy):
        return dy


class SeamExp(Function):
    """The same exp, through the backend's array module."""

    def forward(self, x):
        y = self.xp.exp(x)
        self.saved = (y,)
        return y

    def backward(self, dy):
        return dy * self.saved[0]


def test_bad_ops_pass_on_numpy_and_fail_on_the_strict_backend():
    x = np.array([0.5, -1.0], np.float32)
    with backend.use_backend("numpy"):
        np.testing.assert_allclose(HostExp()(tf.constant(x)).numpy(), np.exp(x))
        np.testing.assert_allclose(HostBias()(tf.constant(x)).numpy(), x + 1)
    with backend.use_backend("strict"):
        with pytest.raises(TypeError, match="does not support ufuncs"):
            HostExp()(tf.constant(x))
        with pytest.raises(SeamError, match="host array"):
            HostBias()(tf.constant(x))


def test_an_op_written_against_xp_runs_and_differentiates_on_every_backend(any_backend):
    x = tf.constant([0.5, -1.0])
    y = SeamExp()(x)
    assert any_backend.is_array(y._value)
    np.testing.assert_allclose(y.numpy(), np.exp([0.5, -1.0]), rtol=1e-6)
    gradcheck(lambda t: SeamExp()(t), [np.array([0.3, -0.7])])
