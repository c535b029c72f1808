"""tf.random's stateless half: the numbers are a function of the seed, and seeds split and fold in."""
import numpy as np

import tensorlet as tf


def test_stateless_draws_repeat_for_a_seed_and_differ_between_seeds():
    a = tf.random.stateless_uniform([4], seed=(1, 2)).numpy()
    np.testing.assert_array_equal(a, tf.random.stateless_uniform([4], seed=tf.constant([1, 2])).numpy())
    assert not np.array_equal(a, tf.random.stateless_uniform([4], seed=(1, 3)).numpy())
    assert tf.random.stateless_normal([3, 2], seed=(5, 6)).shape == (3, 2)
    assert np.all(np.abs(tf.random.stateless_truncated_normal([100], seed=(5, 6)).numpy()) <= 2.0)


def test_split_fold_in_and_generator_seeds_give_new_seeds():
    seeds = tf.random.split(tf.constant([1, 2]), num=3)
    assert seeds.shape == (3, 2) and len({tuple(s) for s in seeds.numpy()}) == 3
    np.testing.assert_array_equal(seeds.numpy(), tf.random.split((1, 2), num=3).numpy())
    assert tf.random.fold_in((1, 2), 3).shape == (2,)
    assert not np.array_equal(tf.random.fold_in((1, 2), 3).numpy(), tf.random.fold_in((1, 2), 4).numpy())
    made = tf.random.Generator.from_seed(123, alg="philox").make_seeds(2)
    assert made.shape == (2, 2) and made.dtype == tf.int64
    np.testing.assert_array_equal(made.numpy(), tf.random.Generator.from_seed(123).make_seeds(2).numpy())
