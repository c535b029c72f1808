"""tensorlet.backend: selecting a backend, and the few calls through which host data enters and leaves it."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import backend


def test_use_backend_is_a_call_and_a_context_manager():
    before = backend.current()
    with backend.use_backend("strict") as b:
        assert backend.current() is b and b.name == "strict"
        with backend.use_backend("numpy"):
            assert backend.xp() is np
        assert backend.current() is b
    assert backend.current() is before
    switch = backend.use_backend("strict")
    try:
        assert backend.current().name == "strict"
    finally:
        switch.__exit__(None, None, None)
    assert backend.current() is before


def test_unknown_backend_is_an_error_naming_the_choices():
    with pytest.raises(ValueError, match="'numpy', 'strict', 'cupy'"):
        backend.use_backend("jax")


@pytest.mark.skipif(importlib.util.find_spec("cupy") is not None, reason="CuPy is installed")
def test_cupy_backend_without_cupy_says_what_to_install():
    with pytest.raises(ImportError, match="pip install cupy"):
        backend.use_backend("cupy")


def test_host_data_enters_and_leaves_through_the_backend(any_backend):
    host = np.arange(6, dtype=np.float32).reshape(2, 3)
    a = backend.asarray(host)
    assert backend.is_array(a) and backend.is_ndarray(a) and backend.is_ndarray(host)
    assert not backend.is_ndarray([1.0]) and not backend.is_array(1.0)
    assert backend.asarray(a) is a or np.shares_memory(backend.to_numpy(a), backend.to_numpy(backend.asarray(a)))
    back = backend.to_numpy(backend.xp().sqrt(a))
    assert type(back) is np.ndarray
    np.testing.assert_allclose(back, np.sqrt(host))
    assert backend.asarray([1, 2], dtype="float32").dtype == np.float32


def test_tensors_hold_arrays_of_the_active_backend(any_backend):
    t = tf.constant([[1.0, 2.0]])
    v = tf.Variable(np.zeros((1, 2), np.float32))
    v.assign_add(t)
    for x in (t, v, t + v, tf.reduce_sum(v, axis=0), tf.zeros((2,))):
        assert any_backend.is_array(x._value)
    assert v.numpy().tolist() == [[1.0, 2.0]] and isinstance(v.numpy(), np.ndarray)


def test_errstate_silences_floating_point_warnings(any_backend):
    with any_backend.errstate(divide="ignore", invalid="ignore"):
        y = backend.xp().log(backend.asarray([0.0, -1.0]))
    out = backend.to_numpy(y)
    assert out[0] == -np.inf and np.isnan(out[1])


def test_as_strided_gives_a_read_only_window_view(any_backend):
    a = backend.xp().arange(6.0)
    w = any_backend.as_strided(a, (2, 3), (a.strides[0] * 3, a.strides[0]))
    assert backend.to_numpy(w).tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_take_into_writes_the_gather_into_the_given_array(any_backend):
    xp = backend.xp()
    x = xp.reshape(xp.arange(24.0), (2, 4, 3))
    out = xp.empty((2, 3, 3))
    index = backend.asarray(np.array([3, 0, 3]))
    got = any_backend.take_into(x, index, 1, out)
    np.testing.assert_array_equal(backend.to_numpy(out), backend.to_numpy(x)[:, [3, 0, 3]])
    np.testing.assert_array_equal(backend.to_numpy(got), backend.to_numpy(out))
