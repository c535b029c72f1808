"""Model.save_weights/load_weights with a checkpoint prefix (tf.keras 2), as TensorFlow's "Save and load models"
tutorial uses them; model.save without an extension refused as Keras 3 refuses it."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import callbacks, layers, models

X = np.random.default_rng(1).normal(size=(64, 6)).astype(np.float32)
Y = np.random.default_rng(2).integers(0, 3, size=64)


def create_model(rate=0.2):
    model = models.Sequential([layers.Input((6,)), layers.Dense(8, activation="relu"), layers.Dropout(rate),
                               layers.Dense(3)])
    model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["sparse_categorical_accuracy"])
    return model


def test_tutorial_checkpoint_callback_then_load_weights(tmp_path, capsys):
    checkpoint_path = str(tmp_path / "training_1" / "cp.ckpt")
    checkpoint_dir = os.path.dirname(checkpoint_path)
    cp_callback = callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True, verbose=1)
    model = create_model()
    model.fit(X, Y, epochs=2, validation_data=(X, Y), callbacks=[cp_callback], verbose=0)
    assert sorted(os.listdir(checkpoint_dir)) == ["checkpoint", "cp.ckpt.data-00000-of-00001", "cp.ckpt.index"]
    fresh = create_model()
    status = fresh.load_weights(checkpoint_path)
    status.assert_existing_objects_matched()
    np.testing.assert_allclose(fresh.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


def test_tutorial_numbered_checkpoints_and_latest_checkpoint(tmp_path):
    checkpoint_path = str(tmp_path / "training_2" / "cp-{epoch:04d}.ckpt")
    checkpoint_dir = os.path.dirname(checkpoint_path)
    cp_callback = callbacks.ModelCheckpoint(filepath=checkpoint_path, verbose=0, save_weights_only=True)
    model = create_model()
    model.save_weights(checkpoint_path.format(epoch=0))
    model.fit(X, Y, epochs=3, callbacks=[cp_callback], verbose=0)
    latest = tf.train.latest_checkpoint(checkpoint_dir)
    assert latest == os.path.join(checkpoint_dir, "cp-0003.ckpt")
    fresh = create_model()
    fresh.load_weights(latest)
    np.testing.assert_allclose(fresh.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


def test_manual_save_weights_and_the_optimizer_state(tmp_path):
    model = create_model(rate=0.0)  # no dropout: both models must take the same steps
    model.fit(X, Y, epochs=1, verbose=0)
    prefix = str(tmp_path / "checkpoints" / "my_checkpoint")
    model.save_weights(prefix)
    keys = dict(tf.train.list_variables(prefix))
    assert "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE" in keys
    assert "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE" in keys  # a compiled model saves its optimizer too
    fresh = create_model(rate=0.0)
    fresh.load_weights(prefix).assert_existing_objects_matched()
    assert int(fresh.optimizer.iterations) == int(model.optimizer.iterations)
    model.fit(X, Y, epochs=1, verbose=0, shuffle=False)
    fresh.fit(X, Y, epochs=1, verbose=0, shuffle=False)  # the slots are restored when the optimizer builds them
    np.testing.assert_allclose(fresh.get_weights()[0], model.get_weights()[0], rtol=1e-5)


def test_uncompiled_model_loads_with_expect_partial(tmp_path):
    model = create_model()
    model.fit(X, Y, epochs=1, verbose=0)
    prefix = str(tmp_path / "w")
    model.save_weights(prefix)
    bare = models.Sequential([layers.Input((6,)), layers.Dense(8, activation="relu"), layers.Dropout(0.2),
                              layers.Dense(3)])
    status = bare.load_weights(prefix).expect_partial()
    with pytest.raises(AssertionError, match="optimizer"):
        status.assert_consumed()
    np.testing.assert_allclose(bare.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


def test_subclassed_model_loads_before_its_first_call(tmp_path):
    class Classifier(models.Model):
        def __init__(self):
            super().__init__()
            self.hidden = layers.Dense(5, activation="tanh")
            self.out = layers.Dense(3)

        def call(self, x):
            return self.out(self.hidden(x))

    model = Classifier()
    expected = model(X).numpy()
    model.save_weights(str(tmp_path / "sub"))
    fresh = Classifier()
    fresh.load_weights(str(tmp_path / "sub"))
    np.testing.assert_allclose(fresh(X).numpy(), expected, rtol=1e-6)


def test_mismatched_checkpoint_and_by_name_are_errors(tmp_path):
    prefix = str(tmp_path / "w")
    create_model().save_weights(prefix)
    other = models.Sequential([layers.Input((6,)), layers.Dense(4)])
    with pytest.raises(ValueError, match="shape"):
        other.load_weights(prefix)
    unrelated = tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(tmp_path / "other"))
    with pytest.raises(ValueError, match="Nothing except the root object matched"):
        create_model().load_weights(unrelated)
    with pytest.raises(ValueError, match="by_name"):
        create_model().load_weights(prefix, by_name=True)
    with pytest.raises(FileNotFoundError, match="nor a checkpoint"):
        create_model().load_weights(str(tmp_path / "absent"))


def test_h5_names_keep_their_formats(tmp_path):
    model = create_model()
    model.save_weights(str(tmp_path / "w.weights.h5"))
    model.save_weights(str(tmp_path / "w.h5"))
    assert sorted(os.listdir(tmp_path)) == ["w.h5", "w.weights.h5"]
    model.save_weights(str(tmp_path / "forced"), save_format="h5")
    assert os.path.isfile(tmp_path / "forced")


@pytest.mark.parametrize("name", ["saved_model/my_model", "model.ckpt", "my_model"])
def test_model_save_without_keras_or_h5_extension_is_refused(tmp_path, name):
    with pytest.raises(ValueError, match=r"must end in \.keras.*\.h5.*tf\.saved_model\.save"):
        create_model().save(str(tmp_path / name))
    with pytest.raises(ValueError, match=r"\.keras"):
        create_model().save(str(tmp_path / "m.keras"), save_format="tf")
    assert not os.listdir(tmp_path)
