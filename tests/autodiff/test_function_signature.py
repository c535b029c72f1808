"""tf.function's signature inspection: pretty_printed_concrete_signatures and ConcreteFunction's text."""
from __future__ import annotations

import pytest

import tensorlet as tf

DOUBLE_INT = """Input Parameters:
  a (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(), dtype=tf.int32, name=None)
Output Type:
  TensorSpec(shape=(), dtype=tf.int32, name=None)
Captures:
  None"""


def _double():
    @tf.function
    def double(a):
        return a + a

    return double


def test_pretty_printed_signatures_list_each_trace_in_order():
    double = _double()
    double(tf.constant(1))
    double(tf.constant(1.1))
    double(tf.constant("a"))
    text = double.pretty_printed_concrete_signatures()
    blocks = text.split("\n\n")
    assert blocks[0] == DOUBLE_INT
    assert "dtype=tf.float32" in blocks[1] and "dtype=tf.string" in blocks[2]
    assert len(blocks) == 3


def test_concrete_function_prints_its_signature():
    double = _double()
    concrete = double.get_concrete_function(tf.TensorSpec(shape=None, dtype=tf.string))
    assert str(concrete).startswith("ConcreteFunction Input Parameters:\n  a (POSITIONAL_OR_KEYWORD): "
                                    "TensorSpec(shape=<unknown>, dtype=tf.string, name=None)")


def test_python_arguments_keywords_structures_and_captures_are_described():
    v = tf.Variable(2.0)

    @tf.function
    def f(x, n=2, *, scale):
        return {"y": x * v * n, "z": [x, scale]}

    f(tf.ones((3, 2)), 3, scale=tf.constant(1.0))
    text = f.pretty_printed_concrete_signatures()
    assert "  n (POSITIONAL_OR_KEYWORD): Literal[3]" in text
    assert "  scale (KEYWORD_ONLY): TensorSpec(shape=(), dtype=tf.float32, name=None)" in text
    assert "{'y': TensorSpec(shape=(3, 2), dtype=tf.float32, name=None), 'z': [" in text
    assert text.endswith(f"Captures:\n  {id(v)}: TensorSpec(shape=(), dtype=tf.resource, name=None)")


def test_a_varying_batch_shows_none_in_inputs_and_outputs():
    @tf.function(input_signature=[tf.TensorSpec((None, 2), tf.float32)])
    def f(x):
        return x * 2.0, tf.reduce_sum(x)

    f(tf.ones((3, 2)))
    out = f.pretty_printed_concrete_signatures().split("Output Type:\n  ")[1].split("\n")[0]
    assert out == ("(TensorSpec(shape=(None, 2), dtype=tf.float32, name=None), "
                   "TensorSpec(shape=(), dtype=tf.float32, name=None))")


def test_graph_lists_the_plan_operations_by_argument_name():
    @tf.function
    def f(x, b):
        return tf.nn.relu(tf.matmul(x, x) + b)

    graph = f.get_concrete_function(tf.TensorSpec((2, 2), tf.float32), tf.constant(1.0)).graph
    ops = graph.get_operations()
    assert [(o.name, o.type) for o in ops] == [("x", "Placeholder"), ("b", "Placeholder"), ("MatMul", "MatMul"),
                                               ("Add", "Add"), ("Relu", "Relu"), ("Identity", "Identity")]
    assert ops[3].inputs == ["MatMul", "b"]
    nodes = graph.as_graph_def().node  # GraphDef nodes spell them op and input
    assert (nodes[3].op, nodes[3].input) == ("Add", ["MatMul", "b"])
    text = str(graph.as_graph_def())
    assert 'node {\n  name: "MatMul"\n  op: "MatMul"\n  input: "x"\n  input: "x"\n}' in text


def test_graph_of_an_eager_signature_is_refused_clearly():
    @tf.function
    def f(x):
        return x * 2.0 if float(x) > 0 else x

    with pytest.warns(UserWarning, match="runs eagerly"):
        concrete = f.get_concrete_function(tf.constant(1.0))
    with pytest.raises(ValueError, match="runs eagerly for this signature"):
        concrete.graph  # noqa: B018


@pytest.mark.parity
def test_pretty_printed_signatures_match_tensorflow():
    real = pytest.importorskip("tensorflow")

    def double(a):
        return a + a

    ours, theirs = tf.function(double), real.function(double)
    for value in (1, 1.1):
        ours(tf.constant(value))
        theirs(real.constant(value))
    assert ours.pretty_printed_concrete_signatures() == theirs.pretty_printed_concrete_signatures()


def test_an_argument_outside_the_input_signature_is_a_type_error_as_in_tensorflow():
    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
    def next_collatz(x):
        return tf.where(x % 2 == 0, x // 2, 3 * x + 1)

    assert next_collatz(tf.constant([1, 2])).numpy().tolist() == [4, 1]
    with pytest.raises(TypeError, match=r"shape \(2, 2\) does not match"):
        next_collatz(tf.constant([[1, 2], [3, 4]]))
    with pytest.raises(TypeError, match="dtype float32 does not match"):
        next_collatz(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError):  # tensorlet raised ValueError before; both catch it
        next_collatz(tf.constant([[1, 2]]))


def test_objects_with_a_tracing_type_share_a_trace_by_that_type():
    class FruitTraceType(tf.types.experimental.TraceType):
        def __init__(self, fruit):
            self.fruit_type = type(fruit)

        def __eq__(self, other):
            return type(other) is FruitTraceType and self.fruit_type == other.fruit_type

        def __hash__(self):
            return hash(self.fruit_type)

    class Fruit:
        def __tf_tracing_type__(self, context):
            return FruitTraceType(self)

    class Apple(Fruit):
        flavor = tf.constant([1, 2])

    class Mango(Fruit):
        flavor = tf.constant([3, 4])

    @tf.function
    def mixed(a, b):
        return a.flavor + b.flavor

    assert mixed(Apple(), Mango()).numpy().tolist() == [4, 6]
    assert mixed(Apple(), Mango()).numpy().tolist() == [4, 6]
    assert mixed.experimental_get_tracing_count() == 1  # new objects of the same classes reuse the trace
    assert mixed(Mango(), Mango()).numpy().tolist() == [6, 8]
    assert mixed.experimental_get_tracing_count() == 2


def test_function_type_prints_parameters_and_output_on_one_line():
    double = _double()
    concrete = double.get_concrete_function(tf.constant("a"))
    assert str(concrete.function_type) == ("(a: TensorSpec(shape=(), dtype=tf.string, name=None)) -> "
                                           "TensorSpec(shape=(), dtype=tf.string, name=None)")


def test_a_concrete_function_refuses_tensors_of_other_dtypes():
    double = _double()
    strings = double.get_concrete_function(tf.constant("a"))
    assert strings(tf.constant("b")).numpy() == b"bb"
    with pytest.raises(tf.errors.InvalidArgumentError, match="traced for tensor arguments of dtypes"):
        strings(tf.constant(1))


def test_a_concrete_function_keeps_the_python_values_it_was_traced_with():
    @tf.function
    def power(a, b):
        return a ** b

    square = power.get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
    assert float(square(tf.constant(10.0))) == 100.0
    assert float(square(a=tf.constant(3.0))) == 9.0
    with pytest.raises(TypeError, match="was traced with b=2"):
        square(tf.constant(10.0), b=3)


def test_inference_fn_runs_the_concrete_function_on_tensors():
    strings = _double().get_concrete_function(tf.constant("a"))
    assert strings.inference_fn(tf.constant("z")).numpy() == b"zz"
