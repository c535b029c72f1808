"""tf.train.Checkpoint: round trips, the keys TensorFlow gives, partial restores and their status assertions, and
the examples of TensorFlow's checkpoint guide (site/en/guide/checkpoint.ipynb)."""
from __future__ import annotations

import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models, optimizers


class Net(models.Model):
    """The guide's model."""

    def __init__(self):
        super().__init__()
        self.l1 = layers.Dense(5)

    def call(self, x):
        return self.l1(x)


def train_step(net, example, optimizer):
    """The guide's training step."""
    with tf.GradientTape() as tape:
        output = net(example["x"])
        loss = tf.reduce_mean(tf.abs(output - example["y"]))
    variables = net.trainable_variables
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(gradients, variables))
    return loss


def toy_batches():
    """The guide's toy dataset, without tf.data: batches of two, repeated."""
    inputs = np.arange(10.0, dtype=np.float32)[:, None]
    labels = inputs * 5.0 + np.arange(5.0, dtype=np.float32)[None, :]
    i = 0
    while True:
        idx = [i % 10, (i + 1) % 10]
        i += 2
        yield {"x": tf.constant(inputs[idx]), "y": tf.constant(labels[idx])}


def toy_dataset():
    """The guide's toy dataset, with tf.data."""
    inputs = tf.range(10.0)[:, None]
    labels = inputs * 5.0 + tf.range(5.0)[None, :]
    return tf.data.Dataset.from_tensor_slices(dict(x=inputs, y=labels)).repeat().batch(2)


def trained(steps=5):
    net, opt = Net(), optimizers.Adam(0.1)
    batches = toy_batches()
    for _ in range(steps):
        train_step(net, next(batches), opt)
    return net, opt


def test_round_trip_of_variables_models_and_optimizers(tmp_path):
    net, opt = trained()
    step = tf.Variable(7)
    path = tf.train.Checkpoint(step=step, net=net, optimizer=opt).save(str(tmp_path / "ckpt"))
    assert path == str(tmp_path / "ckpt-1")
    net2, opt2 = trained(steps=1)
    step2 = tf.Variable(0)
    status = tf.train.Checkpoint(step=step2, net=net2, optimizer=opt2).restore(path)
    status.assert_consumed()
    assert int(step2) == 7 and int(opt2.iterations) == int(opt.iterations)
    for a, b in zip(net.weights, net2.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    for a, b in zip(opt.variables, opt2.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_keys_are_object_paths(tmp_path):
    net, opt = trained(steps=1)
    seq = models.Sequential([layers.Input((3,)), layers.Dense(2), layers.Dropout(0.1), layers.Dense(1)])
    ckpt = tf.train.Checkpoint(step=tf.Variable(1), optimizer=opt, net=net, seq=seq, lst=[tf.Variable(1.0)],
                               d={"a": tf.Variable(2.0)})
    keys = dict(tf.train.list_variables(ckpt.save(str(tmp_path / "ckpt"))))
    assert {"net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE": [1, 5], "net/l1/bias/.ATTRIBUTES/VARIABLE_VALUE": [5],
            "seq/layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE": [3, 2],
            "seq/layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE": [1],
            "step/.ATTRIBUTES/VARIABLE_VALUE": [], "save_counter/.ATTRIBUTES/VARIABLE_VALUE": [],
            "lst/0/.ATTRIBUTES/VARIABLE_VALUE": [], "d/a/.ATTRIBUTES/VARIABLE_VALUE": [],
            "optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE": [],
            "net/l1/kernel/.OPTIMIZER_SLOT/optimizer/momentum/.ATTRIBUTES/VARIABLE_VALUE": [1, 5],
            "_CHECKPOINTABLE_OBJECT_GRAPH": []}.items() <= keys.items()


@pytest.mark.parity
def test_model_and_variable_keys_match_tensorflow(tmp_path):
    real = pytest.importorskip("tensorflow")
    tf_keras = pytest.importorskip("tf_keras")

    def keys(lib, keras, folder):
        class TheNet(keras.Model):
            def __init__(self):
                super().__init__()
                self.l1 = keras.layers.Dense(5)

            def call(self, x):
                return self.l1(x)

        net = TheNet()
        net(lib.ones((2, 1)))
        seq = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dropout(0.1),
                                keras.layers.Dense(1), keras.layers.BatchNormalization()])
        ckpt = lib.train.Checkpoint(step=lib.Variable(1), net=net, seq=seq, lst=[lib.Variable(1.0)],
                                    d={"a": lib.Variable(2.0)}, mod=lib.Module())
        ckpt.mod.v = lib.Variable(3.0)
        return dict(lib.train.list_variables(ckpt.save(os.path.join(folder, "ckpt"))))

    ours, theirs = keys(tf, tf.keras, str(tmp_path / "a")), keys(real, tf_keras, str(tmp_path / "b"))
    assert ours == theirs


def test_write_and_read_use_the_exact_prefix(tmp_path):
    v = tf.Variable([1.0, 2.0])
    ckpt = tf.train.Checkpoint(v=v)
    assert ckpt.write(str(tmp_path / "exact")) == str(tmp_path / "exact")
    assert sorted(os.listdir(tmp_path)) == ["exact.data-00000-of-00001", "exact.index"]  # no checkpoint file
    v.assign([0.0, 0.0])
    ckpt.read(str(tmp_path / "exact")).assert_consumed()
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_save_numbers_and_records_the_newest(tmp_path):
    ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
    first = ckpt.save(str(tmp_path / "c"))
    second = ckpt.save(str(tmp_path / "c"))
    assert (first, second) == (str(tmp_path / "c-1"), str(tmp_path / "c-2"))
    assert tf.train.latest_checkpoint(str(tmp_path)) == second
    assert int(ckpt.save_counter) == 2
    restored = tf.train.Checkpoint(v=tf.Variable(0.0))
    restored.restore(first)
    assert int(restored.save_counter) == 1  # restored with the rest


def test_restore_none_is_initialization_only():
    status = tf.train.Checkpoint(v=tf.Variable(1.0)).restore(None)
    status.expect_partial()
    status.run_restore_ops()
    with pytest.raises(AssertionError, match="No checkpoint specified"):
        status.assert_consumed()


def test_partial_restore_statuses(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable(1.0), b=tf.Variable(2.0)).save(str(tmp_path / "c"))
    a = tf.Variable(0.0)
    status = tf.train.Checkpoint(a=a).restore(path)
    assert float(a) == 1.0
    status.assert_existing_objects_matched().assert_nontrivial_match()
    with pytest.raises(AssertionError, match=r"\(root\)\.b"):
        status.assert_consumed()
    status.expect_partial()

    extra = tf.Variable(0.0)
    status = tf.train.Checkpoint(a=tf.Variable(0.0), extra=extra).restore(path).expect_partial()
    with pytest.raises(AssertionError, match=r"\(root\)\.extra"):
        status.assert_existing_objects_matched()

    status = tf.train.Checkpoint(other=tf.Variable(0.0)).restore(path).expect_partial()
    with pytest.raises(AssertionError, match="Nothing except the root object matched"):
        status.assert_nontrivial_match()


def test_shape_mismatch_is_named(tmp_path):
    path = tf.train.Checkpoint(w=tf.Variable(np.zeros((2, 3), np.float32))).save(str(tmp_path / "c"))
    with pytest.raises(ValueError, match=r"'w/\.ATTRIBUTES/VARIABLE_VALUE' has shape \(2, 3\).*shape \(3, 2\)"):
        tf.train.Checkpoint(w=tf.Variable(np.zeros((3, 2), np.float32))).restore(path)


def test_untrackable_argument_is_named():
    with pytest.raises(ValueError, match="expecting 'it' to be a trackable object.*generator"):
        tf.train.Checkpoint(it=(x for x in range(3)))


def test_missing_checkpoint_is_not_found(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="no file .*nothing.index"):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(str(tmp_path / "nothing"))
    tf.train.Checkpoint(v=tf.Variable(1.0)).save(str(tmp_path / "c"))
    with pytest.raises(ValueError, match="directory of checkpoints.*latest_checkpoint"):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(str(tmp_path))


def test_nested_modules_and_checkpoints(tmp_path):
    class Block(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(np.arange(3.0, dtype=np.float32))
            self.inner = tf.train.Checkpoint(x=tf.Variable(5))

    path = tf.train.Checkpoint(block=Block()).save(str(tmp_path / "c"))
    assert "block/inner/x/.ATTRIBUTES/VARIABLE_VALUE" in dict(tf.train.list_variables(path))
    fresh = Block()
    fresh.w.assign([0.0, 0.0, 0.0])
    fresh.inner.x.assign(0)
    tf.train.Checkpoint(block=fresh).restore(path).assert_consumed()
    assert fresh.w.numpy().tolist() == [0.0, 1.0, 2.0] and int(fresh.inner.x) == 5


def test_shared_objects_are_saved_once(tmp_path):
    v = tf.Variable(1.0)
    path = tf.train.Checkpoint(a=v, b=[v], c={"k": v}).save(str(tmp_path / "c"))
    keys = [k for k, _ in tf.train.list_variables(path)]
    assert keys == ["_CHECKPOINTABLE_OBJECT_GRAPH", "a/.ATTRIBUTES/VARIABLE_VALUE",
                    "save_counter/.ATTRIBUTES/VARIABLE_VALUE"]
    w = tf.Variable(0.0)
    tf.train.Checkpoint(c={"k": w}).restore(path).assert_existing_objects_matched()  # found by another path
    assert float(w) == 1.0


def test_escaped_names(tmp_path):
    path = tf.train.Checkpoint(d={"a/b.c": tf.Variable(1.0)}).save(str(tmp_path / "c"))
    assert "d/a.Sb..c/.ATTRIBUTES/VARIABLE_VALUE" in dict(tf.train.list_variables(path))
    v = tf.Variable(0.0)
    tf.train.Checkpoint(d={"a/b.c": v}).restore(path)
    assert float(v) == 1.0


# -- the checkpoint guide, cell by cell ------------------------------------------------------------------------------
def test_guide_train_restore_and_continue(tmp_path, capsys):
    directory = str(tmp_path / "tf_ckpts")
    state = {}

    def setup():
        state["opt"] = optimizers.Adam(0.1)
        state["net"] = Net()
        state["iterator"] = iter(toy_dataset())
        state["ckpt"] = tf.train.Checkpoint(step=tf.Variable(1), optimizer=state["opt"], net=state["net"],
                                            iterator=state["iterator"])
        state["manager"] = tf.train.CheckpointManager(state["ckpt"], directory, max_to_keep=3)

    def train_and_checkpoint(net, manager):
        ckpt = state["ckpt"]
        ckpt.restore(manager.latest_checkpoint)
        if manager.latest_checkpoint:
            print("Restored from {}".format(manager.latest_checkpoint))
        else:
            print("Initializing from scratch.")
        for _ in range(50):
            example = next(state["iterator"])
            loss = train_step(net, example, state["opt"])
            ckpt.step.assign_add(1)
            if int(ckpt.step) % 10 == 0:
                save_path = manager.save()
                print("Saved checkpoint for step {}: {}".format(int(ckpt.step), save_path))
                print("loss {:1.2f}".format(loss.numpy()))

    setup()
    train_and_checkpoint(state["net"], state["manager"])
    first = capsys.readouterr().out
    assert first.startswith("Initializing from scratch.") and "ckpt-5" in first
    weights = [w.numpy() for w in state["net"].weights]
    setup()
    train_and_checkpoint(state["net"], state["manager"])
    out = capsys.readouterr().out
    assert out.startswith(f"Restored from {os.path.join(directory, 'ckpt-5')}")
    assert "Saved checkpoint for step 60" in out and "step 100" in out  # the step counter was restored
    assert state["manager"].checkpoints == [os.path.join(directory, f"ckpt-{i}") for i in (8, 9, 10)]
    assert sorted(os.listdir(directory)) == ["checkpoint"] + sorted(
        f"ckpt-{i}.{ext}" for i in (8, 9, 10) for ext in ("data-00000-of-00001", "index"))
    assert not np.allclose(weights[0], state["net"].weights[0].numpy())
    # the iterator went on from where it was saved (batch 49 at ckpt-5), so batch 99 comes next: x = 198 % 10
    assert float(next(state["iterator"])["x"][0, 0]) == 8.0  # a fresh iterator would give batch 50: 0.0

    # loading mechanics: restore the bias alone through a path of Checkpoint objects
    to_restore = tf.Variable(tf.zeros([5]))
    fake_layer = tf.train.Checkpoint(bias=to_restore)
    fake_net = tf.train.Checkpoint(l1=fake_layer)
    new_root = tf.train.Checkpoint(net=fake_net)
    status = new_root.restore(tf.train.latest_checkpoint(directory + "/"))
    np.testing.assert_array_equal(to_restore.numpy(), state["net"].l1.bias.numpy())
    status.assert_existing_objects_matched()
    with pytest.raises(AssertionError):
        status.assert_consumed()

    # deferred restoration: the kernel is restored when it is attached
    deferred_restore = tf.Variable(tf.zeros([1, 5]))
    assert not deferred_restore.numpy().any()
    fake_layer.kernel = deferred_restore
    np.testing.assert_array_equal(deferred_restore.numpy(), state["net"].l1.kernel.numpy())
    status.expect_partial()

    # manual inspection
    reader = tf.train.load_checkpoint(directory)
    shape_from_key = reader.get_variable_to_shape_map()
    dtype_from_key = reader.get_variable_to_dtype_map()
    key = "net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE"
    assert "_CHECKPOINTABLE_OBJECT_GRAPH" in sorted(shape_from_key.keys())
    assert shape_from_key[key] == [1, 5] and dtype_from_key[key].name == "float32"
    np.testing.assert_array_equal(reader.get_tensor(key), state["net"].l1.kernel.numpy())


def test_guide_object_tracking_of_lists_and_dicts(tmp_path):
    save = tf.train.Checkpoint()
    save.listed = [tf.Variable(1.0)]
    save.listed.append(tf.Variable(2.0))
    save.mapped = {"one": save.listed[0]}
    save.mapped["two"] = save.listed[1]
    save_path = save.save(str(tmp_path / "tf_list_example"))

    restore = tf.train.Checkpoint()
    v2 = tf.Variable(0.0)
    assert 0.0 == v2.numpy()  # not restored yet
    restore.mapped = {"two": v2}
    restore.restore(save_path)
    assert 2.0 == v2.numpy()

    restore.listed = []
    assert repr(restore.listed) == "ListWrapper([])"
    v1 = tf.Variable(0.0)
    restore.listed.append(v1)  # restores v1, from restore() above
    assert 1.0 == v1.numpy()


def test_checkpoint_with_root_keeps_the_roots_children_at_the_top(tmp_path):
    model = models.Sequential([layers.Input((2,)), layers.Dense(3)])
    path = tf.train.Checkpoint(root=model, extra=tf.Variable(1.0)).write(str(tmp_path / "c"))
    keys = dict(tf.train.list_variables(path))
    assert "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE" in keys and "extra/.ATTRIBUTES/VARIABLE_VALUE" in keys


def test_options_skip_slot_variables_and_call_write_callbacks(tmp_path):
    net, opt = trained(steps=1)
    seen = []
    options = tf.train.CheckpointOptions(experimental_skip_slot_variables=True, experimental_write_callbacks=[
        seen.append])
    path = tf.train.Checkpoint(net=net, optimizer=opt).write(str(tmp_path / "c"), options=options)
    assert seen == [path]
    assert not any(".OPTIMIZER_SLOT" in k for k, _ in tf.train.list_variables(path))


def test_load_variable_and_list_variables_of_a_directory(tmp_path):
    ckpt = tf.train.Checkpoint(w=tf.Variable([[1.0, 2.0]]))
    ckpt.save(str(tmp_path / "c"))
    ckpt.w.assign([[3.0, 4.0]])
    ckpt.save(str(tmp_path / "c"))
    np.testing.assert_array_equal(tf.train.load_variable(str(tmp_path), "w/.ATTRIBUTES/VARIABLE_VALUE"), [[3.0, 4.0]])
    assert ("w/.ATTRIBUTES/VARIABLE_VALUE", [1, 2]) in tf.train.list_variables(str(tmp_path))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file"):
        tf.train.list_variables(str(tmp_path / "empty"))


def test_tf1_names_in_tf_train_say_where_they_went():
    with pytest.raises(AttributeError, match="tf.keras.optimizers.Adam"):
        tf.train.AdamOptimizer  # noqa: B018
    with pytest.raises(AttributeError, match="graph mode"):
        tf.train.Saver  # noqa: B018
