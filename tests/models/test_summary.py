"""Golden tests: summary() of the handouts' models equals the handout's printed text line for line.

Auto-generated layer names (dense_4, input_8, ...) depend on what ran before in a session, so the golden texts
use the names of a fresh session. An automatic Input is shown as Keras 2 names it (input_1, counting from 1) in
the Keras 2 layouts and as Keras 3 does (input_layer) in the box layout; its own name (in files) stays "input".
"""
from __future__ import annotations

import pytest

import tensorlet as tf
from tensorlet.keras import backend, models
from tensorlet.keras.layers import Activation, Dense, Flatten, Input

SEQ_PERCEPTRON = '''Model: "SeqAPI"
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
dense (Dense)                (None, 1)                 11
_________________________________________________________________
activation (Activation)      (None, 1)                 0
=================================================================
Total params: 11
Trainable params: 11
Non-trainable params: 0
_________________________________________________________________'''

FUNC_PERCEPTRON = '''Model: "FuncAPI"
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
input_1 (InputLayer)         [(None, 10)]              0
_________________________________________________________________
dense (Dense)                (None, 1)                 11
_________________________________________________________________
activation (Activation)      (None, 1)                 0
=================================================================
Total params: 11
Trainable params: 11
Non-trainable params: 0
_________________________________________________________________'''

SEQ_MLP = '''Model: "SeqAPI"
_________________________________________________________________
Layer (type)                 Output Shape              Param #
=================================================================
dense1 (Dense)               (None, 256)               200960
_________________________________________________________________
relu1 (Activation)           (None, 256)               0
_________________________________________________________________
dense2 (Dense)               (None, 256)               65792
_________________________________________________________________
relu2 (Activation)           (None, 256)               0
_________________________________________________________________
dense3 (Dense)               (None, 128)               32896
_________________________________________________________________
activation (Activation)      (None, 128)               0
_________________________________________________________________
logits (Dense)               (None, 10)                1290
_________________________________________________________________
clf (Activation)             (None, 10)                0
=================================================================
Total params: 300,938
Trainable params: 300,938
Non-trainable params: 0
_________________________________________________________________'''


@pytest.fixture(autouse=True)
def fresh_session():
    backend.clear_session()
    yield
    backend.clear_session()


def lines_of(model, **kwargs):
    out = []
    model.summary(print_fn=out.append, **kwargs)
    return "\n".join(out)


def test_sequential_perceptron_summary_matches_handout():
    model = models.Sequential([Input(shape=(10,), name="Input"), Dense(1), Activation("sigmoid")], name="SeqAPI")
    assert lines_of(model) == SEQ_PERCEPTRON
    assert model.count_params() == 11


def test_functional_perceptron_summary_matches_handout():
    inputs = Input(shape=(10,))
    out = Activation("sigmoid")(Dense(1)(inputs))
    model = tf.keras.Model(inputs=inputs, outputs=out, name="FuncAPI")
    assert lines_of(model) == FUNC_PERCEPTRON


def test_sequential_mlp_summary_matches_handout():
    model = models.Sequential([
        Input(shape=(784,)), Dense(256, name="dense1"), Activation("relu", name="relu1"),
        Dense(256, name="dense2"), Activation("relu", name="relu2"), Dense(128, name="dense3"), Activation("relu"),
        Dense(10, name="logits"), Activation("softmax", name="clf")], name="SeqAPI")
    assert lines_of(model) == SEQ_MLP
    assert model.count_params() == 300938


def test_functional_branching_summary_has_connected_to_column():
    a = Input(shape=(4,), name="a")
    b = Input(shape=(4,), name="b")
    merged = tf.keras.layers.Concatenate(name="cat")([Dense(2, name="da")(a), Dense(2, name="db")(b)])
    model = tf.keras.Model([a, b], Dense(1, name="out")(merged), name="two")
    text = lines_of(model)
    assert "Connected to" in text.splitlines()[2]
    assert "da[0][0]" in text and "db[0][0]" in text
    assert len(text.splitlines()[1]) == 98


def test_summary_options():
    model = models.Sequential([Input(shape=(3,)), Dense(2, name="d")], name="m")
    model.layers[0].trainable = False
    text = lines_of(model, show_trainable=True)
    assert "Trainable" in text and " N" in text
    assert "Non-trainable params: 8" in text
    box = lines_of(model, style="box")
    assert "┏" in box and "Total params: 8" in box
    narrow = lines_of(model, line_length=50, positions=[0.4, 0.8, 1.0])
    assert narrow.splitlines()[1] == "_" * 50


def test_summary_of_unbuilt_sequential_explains():
    model = models.Sequential([Dense(2)])
    with pytest.raises(ValueError, match="input shape"):
        model.summary()


def test_expand_nested_shows_inner_layers():
    inner = models.Sequential([Input(shape=(3,)), Dense(2, name="inner_dense")], name="inner")
    x = Input(shape=(3,))
    model = tf.keras.Model(x, Flatten()(inner(x)), name="outer")
    assert "inner_dense" not in lines_of(model)
    assert "| inner_dense" in lines_of(model, expand_nested=True)


def test_shared_layer_with_different_output_shapes_shows_multiple():
    from tensorlet.keras import layers

    class Identity(layers.Layer):
        def call(self, x):
            return x

    shared, same = Identity(name="shared"), Dense(2, name="same")
    a, b = Input(shape=(3,)), Input(shape=(5,))
    model = models.Model([a, b], [shared(a), shared(b), same(a)])
    lines = []
    model.summary(print_fn=lines.append)
    row = next(line for line in lines if line.startswith("shared (Identity)"))
    assert "multiple" in row
    assert "(None, 2)" in next(line for line in lines if line.startswith("same (Dense)"))


# tf-keras 2.13+ (seen with tf_keras 2.21): rows start with a space, a blank line follows each layer, "Connected
# to" is the list of inbound tensors wrapped in its column, totals carry their size in bytes; lines keep their
# trailing spaces (marked ¶ here)
TF_KERAS_SEQUENTIAL = '''Model: "seq"
_________________________________________________________________
 Layer (type)                Output Shape              Param #   ¶
=================================================================
 d1 (Dense)                  (None, 16)                144       ¶
                                                                 ¶
 d2 (Dense)                  (None, 4)                 68        ¶
                                                                 ¶
=================================================================
Total params: 212 (848.00 Byte)
Trainable params: 212 (848.00 Byte)
Non-trainable params: 0 (0.00 Byte)
_________________________________________________________________'''.replace("¶", "")

TF_KERAS_FUNCTIONAL = '''Model: "two"
__________________________________________________________________________________________________
 Layer (type)                Output Shape                 Param #   Connected to                  ¶
==================================================================================================
 a (InputLayer)              [(None, 8)]                  0         []                            ¶
                                                                                                  ¶
 b (InputLayer)              [(None, 5)]                  0         []                            ¶
                                                                                                  ¶
 cat (Concatenate)           (None, 13)                   0         ['a[0][0]',                   ¶
                                                                     'b[0][0]']                   ¶
                                                                                                  ¶
 out (Dense)                 (None, 3)                    42        ['cat[0][0]']                 ¶
                                                                                                  ¶
==================================================================================================
Total params: 42 (168.00 Byte)
Trainable params: 42 (168.00 Byte)
Non-trainable params: 0 (0.00 Byte)
__________________________________________________________________________________________________'''.replace("¶", "")


def _two_models(K):
    seq = K.Sequential([K.Input((8,)), K.layers.Dense(16, activation="relu", name="d1"), K.layers.Dense(4, name="d2")],
                       name="seq")
    a, b = K.Input((8,), name="a"), K.Input((5,), name="b")
    out = K.layers.Dense(3, name="out")(K.layers.Concatenate(name="cat")([a, b]))
    return seq, K.Model([a, b], out, name="two")


@pytest.mark.parametrize("style", ["tf_keras", "keras2"])
def test_tf_keras_layout_of_sequential_and_functional(style):
    seq, two = _two_models(tf.keras)
    assert lines_of(seq, style=style) == TF_KERAS_SEQUENTIAL
    assert lines_of(two, style=style) == TF_KERAS_FUNCTIONAL


def test_keras3_spelling_is_the_box_layout_and_unknown_styles_are_refused():
    seq, _ = _two_models(tf.keras)
    assert lines_of(seq, style="keras3") == lines_of(seq, style="box")
    with pytest.raises(ValueError, match="style"):
        seq.summary(style="fancy")


def test_tf_keras_layout_frames_an_expanded_nested_model():
    lines = lines_of(_nested(tf.keras), style="tf_keras", expand_nested=True).splitlines()
    assert lines[7:11] == ["|" + "¯" * 63 + "|", "| inner_dense (Dense)        (None, 2)                 8        |",
                           "¯" * 65, " flat (Flatten)              (None, 2)                 0         "]


def test_tf_keras_layout_marks_unused_layers_of_a_subclassed_model():
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__(name="net")
            self.used, self.spare = Dense(2, name="used"), Dense(2, name="spare")

        def call(self, x):
            return self.used(x)

    net = Net()
    net(tf.ones((1, 3)))
    text = lines_of(net, style="tf_keras")
    assert " spare (Dense)" in text and "0 (unused)" in text and "Total params: 8 (32.00 Byte)" in text


@pytest.mark.parity
@pytest.mark.parametrize("show_trainable", [False, True])
def test_parity_tf_keras_layout_matches_tf_keras(show_trainable):
    tf_keras = pytest.importorskip("tf_keras")
    for ours, theirs in zip(_two_models(tf.keras) + (_nested(tf.keras),), _two_models(tf_keras) + (_nested(tf_keras),)):
        expected = []
        theirs.summary(print_fn=expected.append, show_trainable=show_trainable, expand_nested=True)
        assert lines_of(ours, style="tf_keras", show_trainable=show_trainable, expand_nested=True) == "\n".join(
            expected)


def _nested(K):
    inner = K.Sequential([K.Input((3,)), K.layers.Dense(2, name="inner_dense")], name="inner")
    x = K.Input((3,), name="x")
    return K.Model(x, K.layers.Flatten(name="flat")(inner(x)), name="outer")


def test_an_automatic_input_is_shown_as_the_layouts_library_names_it():
    a, b = Input(shape=(4,)), Input(shape=(3,))
    model = tf.keras.Model([a, b], Dense(2, name="d")(tf.keras.layers.Concatenate(name="c")([a, b])), name="m")
    classic, modern, box = (lines_of(model, style=s) for s in ("classic", "tf_keras", "box"))
    assert "input_1 (InputLayer)" in classic and "input_2[0][0]" in classic
    assert " input_1 (InputLayer)" in modern and "['input_1[0][0]'," in modern
    assert "input_layer (InputLayer)" in box and "input_layer_1 (InputLayer)" in box and "input_layer_1[0][0]" in box
    # the names themselves, which files keep, are unchanged
    assert [la.name for la in model.layers[:2]] == ["input", "input_1"]
    assert model.get_config()["layers"][0]["config"]["name"] == "input"


def test_a_named_input_keeps_its_name_in_every_layout():
    x = Input(shape=(2,), name="pixels")
    model = tf.keras.Model(x, Dense(1, name="d")(x), name="n")
    for style in ("classic", "tf_keras", "box"):
        assert "pixels (InputLayer)" in lines_of(model, style=style)


@pytest.mark.parity
def test_parity_box_layout_names_an_automatic_input_as_keras_3():
    keras = pytest.importorskip("keras")
    if not keras.__version__.startswith("3"):
        pytest.skip("needs Keras 3")
    keras.backend.clear_session()
    theirs = keras.Input((4,))
    x = Input(shape=(4,))
    assert "input_layer (InputLayer)" in lines_of(tf.keras.Model(x, Dense(2)(x)), style="box")
    assert theirs._keras_history[0].name == "input_layer"


BOX_BRANCHING = """Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ a_really_long_input_name_for… │ (None, 8)                 │               0 │ -                          │
│ (InputLayer)                  │                           │                 │                            │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense_with_a_quite_long_name… │ (None, 16)                │             144 │ a_really_long_input_name_… │
│ (Dense)                       │                           │                 │                            │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ input_layer (InputLayer)      │ (None, 3)                 │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ concatenate (Concatenate)     │ (None, 19)                │               0 │ dense_with_a_quite_long_n… │
│                               │                           │                 │ input_layer[0][0]          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense (Dense)                 │ (None, 3)                 │              60 │ concatenate[0][0]          │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 204 (816.00 B)
 Trainable params: 204 (816.00 B)
 Non-trainable params: 0 (0.00 B)"""

BOX_CONV = """Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                      │ (None, 26, 26, 32)          │             320 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ batch_normalization                  │ (None, 26, 26, 32)          │             128 │
│ (BatchNormalization)                 │                             │                 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ flatten (Flatten)                    │ (None, 21632)               │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_1 (Dense)                      │ (None, 10)                  │         216,330 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 216,778 (846.79 KB)
 Trainable params: 216,714 (846.54 KB)
 Non-trainable params: 64 (256.00 B)"""


def _box_models():
    backend.clear_session()
    i = Input(shape=(8,), name="a_really_long_input_name_for_testing_wrapping_behaviour")
    j = Input(shape=(3,))
    h = Dense(16, name="dense_with_a_quite_long_name_indeed_yes")(i)
    branching = tf.keras.Model([i, j], Dense(3)(tf.keras.layers.Concatenate()([h, j])), name="functional")
    conv = models.Sequential([Input(shape=(28, 28, 1)), tf.keras.layers.Conv2D(32, 3),
                              tf.keras.layers.BatchNormalization(), Flatten(), Dense(10)], name="sequential")
    return branching, conv


def test_box_layout_is_keras_3s_line_for_line():
    # Keras 3.15's output at 88 columns (108 with "Connected to"): fixed column widths, long names wrapped at
    # spaces and cut with an ellipsis, right-aligned counts with separators, sizes with two decimals
    branching, conv = _box_models()
    assert lines_of(branching, style="box") == BOX_BRANCHING
    assert lines_of(conv, style="box") == BOX_CONV


@pytest.mark.parity
def test_parity_box_layout_matches_keras_3(monkeypatch):
    keras = pytest.importorskip("keras")
    if not keras.__version__.startswith("3"):
        pytest.skip("needs Keras 3")
    monkeypatch.setenv("COLUMNS", "200")  # a wide console: Keras draws its full width
    keras.backend.clear_session()
    i = keras.Input((8,), name="a_really_long_input_name_for_testing_wrapping_behaviour")
    j = keras.Input((3,))
    h = keras.layers.Dense(16, name="dense_with_a_quite_long_name_indeed_yes")(i)
    model = keras.Model([i, j], keras.layers.Dense(3)(keras.layers.Concatenate()([h, j])))
    printed: list[str] = []
    model.summary(print_fn=lambda text, line_break=True: printed.append(text))
    theirs = [line.rstrip() for line in "\n".join(printed).strip("\n").splitlines()]
    assert lines_of(_box_models()[0], style="box").splitlines() == theirs
