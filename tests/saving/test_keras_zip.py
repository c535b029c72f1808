"""Loading a .keras file is bounded by the model it describes: zip bombs in config.json or model.weights.h5, and
configs that ask for more weights than the file could hold, are refused before they cost memory."""
from __future__ import annotations

import json
import zipfile
import zlib

import numpy as np
import pytest

from tensorlet.keras import layers, models

pytest.importorskip("h5py")


def saved(tmp_path, name="m.keras"):
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(3, name="d")])
    path = tmp_path / name
    model.save(str(path))
    with zipfile.ZipFile(path) as z:
        return path, {n: z.read(n) for n in z.namelist()}


def rewrite(path, members, deflated=()):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED if name in deflated else zipfile.ZIP_STORED)


def bomb_member(z: zipfile.ZipFile, name: str, size: int, head: bytes = b"") -> None:
    """A deflated member of ``size`` bytes (``head`` then spaces), compressed in streaming so the test stays
    small in memory."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w", force_zip64=True) as out:
        out.write(head)
        block = b" " * (1 << 20)
        written = len(head)
        while written < size:
            chunk = block[: size - written]
            out.write(chunk)
            written += len(chunk)


def test_a_config_json_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    path, members = saved(tmp_path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        bomb_member(z, "config.json", 96 << 20, head=members["config.json"])  # valid JSON, then 96 MiB of spaces
        z.writestr("model.weights.h5", members["model.weights.h5"])
    assert path.stat().st_size < 1 << 20
    with pytest.raises(ValueError, match=r"m.keras: config.json: declares 100663296 bytes, more than the"):
        models.load_model(str(path))


def test_a_weights_zip_bomb_is_refused_by_a_bound_from_the_model(tmp_path):
    path, members = saved(tmp_path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", members["config.json"])
        bomb_member(z, "model.weights.h5", 48 << 20, head=members["model.weights.h5"])
    with pytest.raises(ValueError, match=r"m.keras: model.weights.h5: declares 50331648 bytes, more than the"):
        models.load_model(str(path))
    with pytest.raises(ValueError, match=r"model.weights.h5: declares 50331648 bytes"):
        models.Sequential([layers.Input(shape=(4,)), layers.Dense(3, name="d")]).load_weights(str(path))


def test_a_config_asking_for_more_weights_than_the_file_holds_is_refused(tmp_path):
    path, members = saved(tmp_path)
    config = json.loads(members["config.json"])
    config["config"]["layers"][-1]["config"]["units"] = 10**10  # 320 GB of kernel
    members["config.json"] = json.dumps(config).encode()
    rewrite(path, members)
    with pytest.raises(ValueError, match=r"m.keras: config.json: the model config asks for weight 'd/kernel'"):
        models.load_model(str(path))


def test_layers_given_as_an_empty_dict_do_not_load_an_empty_model(tmp_path):
    path, members = saved(tmp_path)
    config = json.loads(members["config.json"])
    config["config"]["layers"] = {}
    members["config.json"] = json.dumps(config).encode()
    rewrite(path, members)
    with pytest.raises(ValueError, match=r"m.keras: .*'layers': a list of layer configs; got dict"):
        models.load_model(str(path))


def test_an_empty_layer_list_does_not_ignore_the_files_weights(tmp_path):
    path, members = saved(tmp_path)
    config = json.loads(members["config.json"])
    config["config"]["layers"] = [config["config"]["layers"][0]]  # the InputLayer only
    members["config.json"] = json.dumps(config).encode()
    rewrite(path, members)
    with pytest.raises(ValueError, match=r"holds weights for layer group\(s\) \['dense'\]"):
        models.load_model(str(path))


@pytest.mark.parametrize("edit, message", [
    (lambda c: c["config"]["layers"][-1].__setitem__("build_config", True),
     r"could not load a model from this file: AttributeError"),
    (lambda c: c["config"].__setitem__("layers", [{"class_name": "Dense"}]), r"could not load"),
    (lambda c: c["config"]["layers"][-1].__setitem__("config", [1, 2]), r"could not load"),
    (lambda c: c["config"]["layers"][-1]["config"].__setitem__("activation", {"x": 1}), r"m.keras"),
])
def test_malformed_configs_raise_one_value_error_naming_the_file(tmp_path, edit, message):
    path, members = saved(tmp_path)
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    rewrite(path, members)
    with pytest.raises(ValueError, match=message) as info:
        models.load_model(str(path))
    assert str(path) in str(info.value)


def test_a_deeply_nested_config_is_a_value_error_not_a_recursion_error(tmp_path):
    path, members = saved(tmp_path)
    members["config.json"] = b'{"class_name": "Sequential", "config": {"layers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    rewrite(path, members, deflated=("config.json",))
    with pytest.raises(ValueError, match=r"m.keras: .*nested too deeply"):
        models.load_model(str(path))


def test_text_that_is_not_utf8_is_a_value_error_naming_the_file(tmp_path):
    path, members = saved(tmp_path)
    members["config.json"] = members["config.json"].replace(b'"d"', b'"\xff\xfe"')
    rewrite(path, members)
    with pytest.raises(ValueError, match=r"m.keras: config.json is corrupted"):
        models.load_model(str(path))


def test_a_good_file_still_loads_after_the_checks(tmp_path):
    path, _ = saved(tmp_path)
    model = models.load_model(str(path))
    assert model.predict(np.ones((1, 4), "f4"), verbose=0).shape == (1, 3)
    assert zlib  # the bomb helpers above compress with zlib through zipfile


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_an_h5_config_asking_for_more_weights_than_the_file_holds_is_refused(tmp_path):
    import h5py

    path = tmp_path / "m.h5"
    models.Sequential([layers.Input(shape=(4,)), layers.Dense(3, name="d")]).save(str(path))
    with h5py.File(path, "r+") as f:
        config = json.loads(f.attrs["model_config"])
        config["config"]["layers"][-1]["config"]["units"] = 10**10
        f.attrs["model_config"] = json.dumps(config).encode()
    with pytest.raises(ValueError, match=r"m.h5: model_config: the model config asks for weight 'd/kernel'"):
        models.load_model(str(path))
