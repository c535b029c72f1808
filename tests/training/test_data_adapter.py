"""fit's data in nested structures: conversion, casting, slicing and flattening through tensorlet.tree."""
from __future__ import annotations

import collections

import numpy as np

import tensorlet as tf
from tensorlet.training import data_adapter as da

Pair = collections.namedtuple("Pair", "left right")


def test_to_numpy_keeps_the_structure_and_converts_leaves():
    x = {"b": (tf.constant([[1.0]]), [1, 2, 3]), "a": [None, Pair(np.zeros(2), [[1.0, 2.0]])]}
    out = da.to_numpy(x)
    assert list(out) == ["b", "a"] and type(out["b"]) is tuple and type(out["a"][1]) is Pair
    assert isinstance(out["b"][0], np.ndarray) and out["b"][1].tolist() == [1, 2, 3]
    assert out["a"][0] is None and isinstance(out["a"][1].right[0], np.ndarray)
    assert da.to_numpy(None) is None and da.to_numpy([1.5, 2.5]).dtype == np.float64


def test_cast_inputs_reaches_tuples_and_dicts():
    x = (np.zeros(2, "float64"), {"k": np.ones(2, "int64"), "s": np.array(["a"])})
    out = da.cast_inputs(x)
    assert out[0].dtype == np.float32 and out[1]["k"].dtype == np.float32 and out[1]["s"].dtype.kind == "O"


def test_take_slices_every_array_and_keeps_none():
    x = ({"b": np.arange(6), "a": None}, [np.arange(6) * 10])
    out = da.take(x, slice(1, 3))
    assert type(out) is tuple and out[0]["a"] is None
    assert out[0]["b"].tolist() == [1, 2] and out[1][0].tolist() == [10, 20]
    assert da.take(None, slice(0, 1)) is None


def test_flat_sorts_dict_keys_and_drops_none():
    a, b, c = np.zeros(1), np.ones(1), np.full(1, 2.0)
    got = da.flat({"z": a, "m": [b, None], "a": (c,)})
    assert [float(v[0]) for v in got] == [2.0, 1.0, 0.0]
    assert da.flat(None) == [] and da.num_samples({"z": np.zeros((5, 2))}) == 5


def test_split_validation_on_a_tuple_of_inputs():
    x = (np.arange(10), np.arange(10) * 2)
    xt, _, _, xv, _, _ = da.split_validation(x, None, None, 0.2)
    assert type(xt) is tuple and xt[1].tolist() == list(range(0, 16, 2)) and xv[0].tolist() == [8, 9]
