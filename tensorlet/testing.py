"""``tf.test``: GPU queries, ``TestCase`` with TensorFlow's array assertions, ``compute_gradient`` and ``main``.

The module is named ``testing`` (not ``test``) so that test runners never mistake it for a test file; ``tf.test``
resolves here.
"""
from __future__ import annotations

import importlib.util
import unittest
from typing import Any, Callable, Sequence

import numpy as np

from tensorlet import tree
from tensorlet.autodiff.tensor import Tensor


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability: Any = None) -> bool:
    """True when a GPU is usable (the CuPy backend is active and sees a device)."""
    from tensorlet.config import list_physical_devices

    return bool(list_physical_devices("GPU"))


def gpu_device_name() -> str:
    """'/device:GPU:0' when a GPU is usable, else '' (as TensorFlow)."""
    return "/device:GPU:0" if is_gpu_available() else ""


def is_built_with_cuda() -> bool:
    """True when CuPy (tensorlet's CUDA path) is installed."""
    return importlib.util.find_spec("cupy") is not None


is_built_with_gpu_support = is_built_with_cuda


def is_built_with_rocm() -> bool:
    return False


def is_built_with_xla() -> bool:
    return False


def is_cpu_target_available(cpu: str) -> bool:
    return True


def main(argv: Any = None) -> None:
    """Run the ``TestCase`` classes of ``__main__`` (unittest's runner)."""
    unittest.main(argv=argv)


def _host(x: Any) -> np.ndarray:
    if isinstance(x, Tensor):
        return np.asarray(x._value)
    if isinstance(x, (list, tuple)) and any(isinstance(v, Tensor) for v in x):
        return np.asarray([_host(v) for v in x])
    return np.asarray(x)


class TestCase(unittest.TestCase):
    """unittest.TestCase with TensorFlow's assertions (``assertAllClose``, ``assertAllEqual``, ``evaluate``...)."""

    def evaluate(self, tensors: Any) -> Any:
        """NumPy values of a tensor or a nested structure of tensors."""
        return tree.map_structure(lambda v: _host(v) if isinstance(v, Tensor) else v, tensors)

    def assertAllClose(self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6, msg: Any = None) -> None:  # noqa: N802
        if isinstance(a, dict) and isinstance(b, dict):
            self.assertEqual(sorted(a), sorted(b), msg)
            for k in a:
                self.assertAllClose(a[k], b[k], rtol=rtol, atol=atol, msg=msg)
            return
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b) and any(
                isinstance(v, (list, tuple, dict, np.ndarray, Tensor)) for v in list(a) + list(b)):
            for x, y in zip(a, b):
                self.assertAllClose(x, y, rtol=rtol, atol=atol, msg=msg)
            return
        np.testing.assert_allclose(_host(a), _host(b), rtol=rtol, atol=atol, err_msg=msg or "")

    def assertAllCloseAccordingToType(self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6,  # noqa: N802
                                      float_rtol: float = 1e-6, float_atol: float = 1e-6, half_rtol: float = 1e-3,
                                      half_atol: float = 1e-3, msg: Any = None, **kwargs: Any) -> None:
        dtype = _host(a).dtype
        if dtype == np.float32:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        elif dtype == np.float16:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a: Any, b: Any, rtol: float = 1e-6, atol: float = 1e-6, msg: Any = None) -> None:  # noqa: N802
        if np.allclose(_host(a), _host(b), rtol=rtol, atol=atol):
            self.fail(msg or "The two values are close at all elements")

    def assertAllEqual(self, a: Any, b: Any, msg: Any = None) -> None:  # noqa: N802
        x, y = _host(a), _host(b)
        self.assertEqual(x.shape, y.shape, msg or f"Shape mismatch: {x.shape} vs {y.shape}")
        np.testing.assert_array_equal(x, y, err_msg=msg or "")

    def assertNotAllEqual(self, a: Any, b: Any, msg: Any = None) -> None:  # noqa: N802
        if np.array_equal(_host(a), _host(b)):
            self.fail(msg or "Expected unequal values")

    def _all(self, ok: Any, what: str, a: Any) -> None:
        if not np.all(ok):
            self.fail(f"Expected all elements {what}, got {_host(a)}")

    def assertAllGreater(self, a: Any, comparison_target: Any) -> None:  # noqa: N802
        self._all(_host(a) > comparison_target, f"> {comparison_target}", a)

    def assertAllGreaterEqual(self, a: Any, comparison_target: Any) -> None:  # noqa: N802
        self._all(_host(a) >= comparison_target, f">= {comparison_target}", a)

    def assertAllLess(self, a: Any, comparison_target: Any) -> None:  # noqa: N802
        self._all(_host(a) < comparison_target, f"< {comparison_target}", a)

    def assertAllLessEqual(self, a: Any, comparison_target: Any) -> None:  # noqa: N802
        self._all(_host(a) <= comparison_target, f"<= {comparison_target}", a)

    def assertAllInRange(self, target: Any, lower_bound: Any, upper_bound: Any, open_lower_bound: bool = False,  # noqa: N802
                         open_upper_bound: bool = False) -> None:
        t = _host(target)
        low = t > lower_bound if open_lower_bound else t >= lower_bound
        high = t < upper_bound if open_upper_bound else t <= upper_bound
        self._all(low & high, f"in [{lower_bound}, {upper_bound}]", target)

    def assertAllInSet(self, target: Any, expected_set: Any) -> None:  # noqa: N802
        self._all(np.isin(_host(target), list(expected_set)), f"in {set(expected_set)}", target)

    def assertArrayNear(self, farray1: Any, farray2: Any, err: float, msg: Any = None) -> None:  # noqa: N802
        self.assertAllClose(farray1, farray2, rtol=0.0, atol=err, msg=msg)

    assertNDArrayNear = assertArrayNear  # noqa: N815

    def assertNear(self, f1: float, f2: float, err: float, msg: Any = None) -> None:  # noqa: N802
        self.assertTrue(abs(float(_host(f1)) - float(_host(f2))) <= err, msg or f"{f1} != {f2} +/- {err}")

    def assertShapeEqual(self, input_a: Any, input_b: Any, msg: Any = None) -> None:  # noqa: N802
        self.assertEqual(tuple(_host(input_a).shape), tuple(_host(input_b).shape), msg)

    def assertDTypeEqual(self, target: Any, expected_dtype: Any) -> None:  # noqa: N802
        from tensorlet.dtypes import as_dtype

        got = target.dtype if isinstance(target, Tensor) else as_dtype(_host(target).dtype)
        self.assertEqual(as_dtype(got), as_dtype(expected_dtype))

    def assertLen(self, container: Any, expected_len: int, msg: Any = None) -> None:  # noqa: N802
        self.assertEqual(len(container), expected_len, msg)

    def assertRaisesOpError(self, expected_err_re_or_predicate: Any) -> Any:  # noqa: N802
        from tensorlet.errors import OpError

        return self.assertRaisesRegex(OpError, expected_err_re_or_predicate)

    def session(self, *args: Any, **kwargs: Any) -> Any:
        from tensorlet.compat.unsupported import graph_mode

        graph_mode("tf.test.TestCase.session")

    cached_session = session
    test_session = session


def compute_gradient(f: Callable[..., Any], x: Sequence[Any], delta: float | None = None) -> tuple[Any, Any]:
    """Theoretical (from GradientTape) and numerical (central differences) Jacobians of ``f`` at ``x``.

    Returns two tuples with one 2-D array per argument, of shape (size of f(x), size of the argument).
    """
    if not isinstance(x, (list, tuple)):
        raise ValueError(f"tf.test.compute_gradient: x must be a list or tuple of values, got {type(x).__name__}")
    from tensorlet.autodiff.tape import GradientTape
    from tensorlet.autodiff.tensor import Variable, convert_to_tensor

    xs = [np.array(_host(convert_to_tensor(v)), dtype=_host(convert_to_tensor(v)).dtype) for v in x]
    step = delta if delta is not None else (1e-3 if xs and xs[0].dtype != np.float64 else 1e-6)
    theoretical, numerical = [], []
    for i, xi in enumerate(xs):
        variables = [Variable(a) for a in xs]
        with GradientTape(persistent=True) as tape:
            y = f(*variables)
        y_flat = _host(y).reshape(-1)
        jac = tape.jacobian(y, variables[i], unconnected_gradients="zero")
        theoretical.append(_host(jac).reshape(y_flat.size, xi.size))
        num = np.zeros((y_flat.size, xi.size), dtype=xi.dtype)
        for k in range(xi.size):
            up, down = xi.copy(), xi.copy()
            up.reshape(-1)[k] += step
            down.reshape(-1)[k] -= step
            args_up = [Variable(up if j == i else a) for j, a in enumerate(xs)]
            args_down = [Variable(down if j == i else a) for j, a in enumerate(xs)]
            num[:, k] = (_host(f(*args_up)).reshape(-1) - _host(f(*args_down)).reshape(-1)) / (2 * step)
        numerical.append(num)
    return tuple(theoretical), tuple(numerical)


class Benchmark:
    """Base of ``tf.test.Benchmark`` classes: ``report_benchmark`` prints its numbers."""

    def report_benchmark(self, iters: Any = None, cpu_time: Any = None, wall_time: Any = None,
                         throughput: Any = None, extras: Any = None, name: Any = None, metrics: Any = None) -> None:
        print(f"benchmark {name or type(self).__name__}: iters={iters} wall_time={wall_time} extras={extras}")
