"""tf.print (TensorFlow's layout), tf.py_function and tf.numpy_function, eagerly and inside tf.function."""
from __future__ import annotations

import io
import sys

import numpy as np
import pytest

import tensorlet as tf

CASES = [
    ((tf.constant([1.5, 2.25, 3.0]), "hello", 3, tf.constant(2)), {}, "[1.5 2.25 3] hello 3 2"),
    ((tf.range(20),), {}, "[0 1 2 ... 17 18 19]"),
    ((tf.reshape(tf.range(12.0), (3, 4)),), {}, "[[0 1 2 3]\n [4 5 6 7]\n [8 9 10 11]]"),
    ((tf.constant(0.1), tf.constant([True, False]), tf.constant(["ab", "c"])), {}, '0.1 [1 0] ["ab" "c"]'),
    (({"a": tf.constant(1), "b": [tf.constant(2.5)]},), {}, "{'a': 1, 'b': [2.5]}"),
    ((tf.reshape(tf.range(100), (10, 10)),), {"summarize": 2},
     "[[0 1 ... 8 9]\n [10 11 ... 18 19]\n ...\n [80 81 ... 88 89]\n [90 91 ... 98 99]]"),
    ((tf.constant(1 / 3), tf.constant([1e-8, 1e8])), {}, "0.333333343 [1e-08 1e+08]"),
    ((tf.range(20),), {"summarize": -1}, "[" + " ".join(str(i) for i in range(20)) + "]"),
]


@pytest.mark.parametrize("args,kwargs,expected", CASES)
def test_print_writes_what_tensorflow_writes(args, kwargs, expected):
    out = io.StringIO()
    tf.print(*args, output_stream=out, **kwargs)
    assert out.getvalue() == expected + "\n"


def test_print_goes_to_stderr_by_default(capsys):
    tf.print("x", tf.constant(1))
    assert capsys.readouterr().err == "x 1\n"


def test_print_inside_a_traced_function_prints_on_every_call_with_that_calls_values():
    out = io.StringIO()

    @tf.function
    def f(x):
        tf.print("value:", x, output_stream=out)
        return x + 1.0

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    assert out.getvalue() == "value: 1\nvalue: 2\n" and f.experimental_get_tracing_count() == 1


def test_py_function_runs_python_on_each_call():
    seen = []

    def double(t):
        seen.append(float(t))
        return t.numpy() * 2

    assert float(tf.py_function(double, [tf.constant(3.0)], tf.float32)) == 6.0

    @tf.function
    def f(x):
        return tf.py_function(double, [x], tf.float32) + 1.0

    assert float(f(tf.constant(1.0))) == 3.0
    assert float(f(tf.constant(5.0))) == 11.0
    assert seen[-2:] == [1.0, 5.0] and f.experimental_get_tracing_count() == 1


def test_py_function_with_several_outputs_traced():
    @tf.function
    def f(x):
        a, b = tf.py_function(lambda t: (t + 1, t * 10), [x], [tf.float32, tf.float32])
        return a + b

    assert float(f(tf.constant(1.0))) == 12.0
    assert float(f(tf.constant(2.0))) == 23.0


def test_numpy_function_receives_arrays():
    out = tf.numpy_function(lambda a: np.sort(a)[::-1].copy(), [tf.constant([2, 9, 4])], tf.int32)
    assert out.numpy().tolist() == [9, 4, 2]


@pytest.mark.parametrize("args,kwargs,expected", CASES)
@pytest.mark.parametrize("_", [None], ids=["tensorflow"])
@pytest.mark.parametrize("parity", [pytest.param(True, marks=pytest.mark.parity)])
def test_print_parity_with_tensorflow(args, kwargs, expected, _, parity, capfd):
    real = pytest.importorskip("tensorflow")

    def convert(x):
        if isinstance(x, tf.Tensor):
            return real.constant(x.numpy())
        if isinstance(x, dict):
            return {k: convert(v) for k, v in x.items()}
        if isinstance(x, list):
            return [convert(v) for v in x]
        return x

    real.print(*[convert(a) for a in args], output_stream=sys.stdout, **kwargs)
    assert capfd.readouterr().out == expected + "\n"
