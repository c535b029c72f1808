"""The restricted unpickler: arrays and plain data load; functions, classes and object arrays are refused."""
from __future__ import annotations

import builtins
import os
import pickle

import numpy as np
import pytest

from tensorlet.datasets.cifar_pickle import UnsafePickleError, load_batch, load_pickle


def dump(tmp_path, obj, protocol=2, name="batch"):
    path = tmp_path / name
    path.write_bytes(obj if isinstance(obj, bytes) else pickle.dumps(obj, protocol=protocol))
    return str(path)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_plain_data_and_arrays_round_trip(tmp_path, protocol):
    obj = {b"data": np.arange(24, dtype=np.uint8).reshape(4, 6), "labels": [3, 1, 4, 1],
           b"floats": np.linspace(0, 1, 6, dtype=">f8").reshape(2, 3, order="F"), b"names": [b"a.png", "b"],
           b"scalar": np.int64(7), b"text": np.array(["ab", "c"]), b"nested": ({b"x": None}, 2.5, True)}
    loaded = load_pickle(dump(tmp_path, obj, protocol))
    for key in (b"data", b"floats", b"text"):
        np.testing.assert_array_equal(loaded[key], obj[key])
        assert loaded[key].dtype == obj[key].dtype and loaded[key].flags.writeable
    assert loaded[b"floats"].dtype.byteorder == ">"
    assert loaded["labels"] == [3, 1, 4, 1] and loaded[b"names"] == [b"a.png", "b"]
    assert loaded[b"scalar"] == 7 and loaded[b"scalar"].dtype == np.int64
    assert loaded[b"nested"] == ({b"x": None}, 2.5, True)


def test_numpy1_module_names_load(tmp_path):
    """The official files were written by Python 2 and NumPy 1, whose arrays name ``numpy.core.multiarray``."""
    raw = pickle.dumps({b"data": np.arange(6, dtype=np.uint8)}, protocol=2).replace(b"numpy._core", b"numpy.core")
    assert b"numpy.core.multiarray" in raw
    np.testing.assert_array_equal(load_pickle(dump(tmp_path, raw))[b"data"], np.arange(6))


class Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


@pytest.mark.parametrize("protocol", [0, 2, 4, 5])
def test_a_call_to_os_system_is_refused_and_never_runs(tmp_path, protocol):
    marker = tmp_path / "it-ran"
    path = dump(tmp_path, {b"data": Exploit(marker)}, protocol)
    with pytest.raises(UnsafePickleError, match="refusing to load"):
        load_pickle(path)
    assert not marker.exists()


class EvalExploit:
    def __reduce__(self):
        return builtins.eval, ("__import__('os').getcwd()",)


class Instance:
    pass


@pytest.mark.parametrize("obj, message", [
    ({b"x": EvalExploit()}, r"(__builtin__|builtins)\.eval"),
    ({b"x": Instance()}, r"refusing (to load|opcode)"),  # copyreg._reconstructor or NEWOBJ, then the class
    ({b"x": np.array([1, "a"], dtype=object)}, r"refusing dtype"),
    ({b"x": np.zeros(2, dtype=[("a", "i4"), ("b", "f8")])}, r"refusing dtype"),
    ({b"x": {1, 2}}, r"(__builtin__|builtins)\.set"),
    ({b"x": np.datetime64("2020-01-01")}, r"refusing dtype"),
])
def test_anything_but_plain_data_and_simple_arrays_is_refused(tmp_path, obj, message):
    with pytest.raises(UnsafePickleError, match=message):
        load_pickle(dump(tmp_path, obj))


class ShortArray:
    """Pickles as an 8-byte uint8 array whose data holds only 7 bytes."""

    def __reduce__(self):
        function, args, state = np.arange(8, dtype=np.uint8).__reduce__()
        return function, args, (*state[:4], state[4][:7])


def test_malformed_arrays_and_files_are_errors_not_crashes(tmp_path):
    with pytest.raises(pickle.UnpicklingError, match="array data has 7 bytes"):
        load_pickle(dump(tmp_path, {b"data": ShortArray()}))
    raw = pickle.dumps({b"data": np.arange(8, dtype=np.uint8)}, protocol=2)
    with pytest.raises(pickle.UnpicklingError, match="not a valid dataset pickle|truncated"):
        load_pickle(dump(tmp_path, raw[:-5]))


def test_load_batch_checks_the_cifar_layout(tmp_path):
    data = np.random.default_rng(0).integers(0, 256, (3, 3072), dtype=np.uint8)
    x, labels = load_batch(dump(tmp_path, {b"data": data, b"labels": [1, 2, 3]}))
    assert x.shape == (3, 3, 32, 32) and labels == [1, 2, 3]
    with pytest.raises(ValueError, match="should be a list of 3 integers"):
        load_batch(dump(tmp_path, {b"data": data, b"labels": [1, 2]}))
    with pytest.raises(ValueError, match=r"shape \(n, 3072\)"):
        load_batch(dump(tmp_path, {b"data": data[:, :100], b"labels": [1, 2, 3]}))
    with pytest.raises(pickle.UnpicklingError, match="a CIFAR batch is a dict"):
        load_batch(dump(tmp_path, [data]))
