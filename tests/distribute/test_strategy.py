"""tf.distribute on one device: scope, run, reduce, replica contexts; TPU strategies fail naming themselves."""
from __future__ import annotations

import threading

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import keras


def test_default_strategy_has_one_replica_and_a_replica_context():
    s = tf.distribute.get_strategy()
    assert s.num_replicas_in_sync == 1 and not tf.distribute.has_strategy()
    ctx = tf.distribute.get_replica_context()
    assert ctx.num_replicas_in_sync == 1 and ctx.replica_id_in_sync_group == 0


def test_mirrored_strategy_scope_builds_and_trains_a_model():
    strategy = tf.distribute.MirroredStrategy()
    assert strategy.num_replicas_in_sync == 1
    assert strategy.extended.worker_devices == ("/job:localhost/replica:0/task:0/device:CPU:0",)
    with strategy.scope():
        assert tf.distribute.get_strategy() is strategy and tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_replica_context() is None
        model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
        model.compile(optimizer="sgd", loss="mse")
    assert tf.distribute.get_strategy() is not strategy
    batch = 16 * strategy.num_replicas_in_sync
    history = model.fit(np.ones((32, 2), "float32"), np.ones((32, 1), "float32"), batch_size=batch, epochs=2,
                        verbose=0)
    assert len(history.history["loss"]) == 2


def test_run_and_reduce_with_one_replica():
    s = tf.distribute.OneDeviceStrategy("/cpu:0")
    assert s.extended.worker_devices == ("/job:localhost/replica:0/task:0/device:CPU:0",)
    per_replica = s.run(lambda x: x * 2, args=(tf.constant([1.0, 2.0]),))
    np.testing.assert_allclose(s.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None).numpy(), [2.0, 4.0])
    assert float(s.reduce("MEAN", per_replica, axis=0)) == pytest.approx(3.0)
    assert float(s.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=0)) == pytest.approx(6.0)
    assert s.experimental_local_results(per_replica) == (per_replica,)
    with pytest.raises(ValueError, match="reduce_op must be tf.distribute.ReduceOp.SUM or MEAN"):
        s.reduce("MAX", per_replica, axis=None)


def test_run_enters_a_replica_context():
    s = tf.distribute.MirroredStrategy()
    with s.scope():
        seen = s.run(lambda: (tf.distribute.in_cross_replica_context(), tf.distribute.get_replica_context()))
    assert seen[0] is False and seen[1].all_reduce("sum", 3) == 3


def test_datasets_pass_through_and_input_context_splits_the_batch():
    s = tf.distribute.MirroredStrategy()
    data = [1, 2, 3]
    assert s.experimental_distribute_dataset(data) is data
    assert s.distribute_datasets_from_function(lambda ctx: ctx.get_per_replica_batch_size(64)) == 64


def test_strategy_stack_is_per_thread():
    s = tf.distribute.MirroredStrategy()
    seen = []
    with s.scope():
        t = threading.Thread(target=lambda: seen.append(tf.distribute.get_strategy() is s))
        t.start()
        t.join()
    assert seen == [False]


def test_tpu_strategy_fails_naming_the_symbol():
    with pytest.raises(ValueError, match="tf.distribute.TPUStrategy is not provided by tensorlet"):
        tf.distribute.TPUStrategy()
    with pytest.raises(ValueError, match="TPUStrategy is not provided"):
        tf.distribute.experimental.TPUStrategy()


def test_tpu_detection_idiom_falls_back_to_the_default_strategy():
    try:
        tpu = tf.distribute.cluster_resolver.TPUClusterResolver()
        tf.config.experimental_connect_to_cluster(tpu)
        strategy = tf.distribute.TPUStrategy(tpu)
    except ValueError as e:
        assert "TPUClusterResolver is not provided by tensorlet" in str(e)
        strategy = tf.distribute.get_strategy()
    assert strategy.num_replicas_in_sync == 1
