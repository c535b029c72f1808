"""optimizers.get / serialize / deserialize: strings, instances, classes and configs (Keras 3 and Keras 2)."""
from __future__ import annotations

import warnings

import pytest

from tensorlet import optimizers
from tensorlet.optimizers import SGD, Adam, AdamW, Ftrl, Lion, Nadam, RMSprop

NAMES = {"sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW", "adagrad": "Adagrad",
         "adadelta": "Adadelta", "adamax": "Adamax", "nadam": "Nadam", "lion": "Lion", "ftrl": "Ftrl"}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_get_resolves_strings_case_insensitively(name):
    assert type(optimizers.get(name)).__name__ == NAMES[name]
    assert type(optimizers.get(NAMES[name])).__name__ == NAMES[name]


def test_get_passes_instances_and_instantiates_classes():
    opt = Adam()
    assert optimizers.get(opt) is opt
    assert isinstance(optimizers.get(SGD), SGD)


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="adam.*sgd"):
        optimizers.get("sgdd")


NON_DEFAULT = [SGD(0.1, momentum=0.9, nesterov=True, clipnorm=1.0), RMSprop(0.01, rho=0.8, centered=True),
               Adam(0.01, amsgrad=True, weight_decay=0.1), AdamW(weight_decay=0.2), Nadam(0.002, beta_1=0.8),
               Lion(beta_2=0.9, use_ema=True, ema_momentum=0.9), Ftrl(l1_regularization_strength=0.1)]


@pytest.mark.parametrize("opt", NON_DEFAULT, ids=lambda o: type(o).__name__)
def test_config_round_trip(opt):
    config = opt.get_config()
    again = type(opt).from_config(config)
    assert again.get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert type(restored) is type(opt) and restored.get_config() == config
    assert optimizers.serialize(opt)["module"] == "keras.optimizers"


def test_keras2_config_loads_quietly_and_keeps_lr_and_decay():
    config = {"class_name": "SGD", "config": {"name": "SGD", "lr": 0.05, "decay": 0.01, "momentum": 0.9,
                                              "nesterov": False}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt = optimizers.deserialize(config)
    assert float(opt.learning_rate) == pytest.approx(0.05) and opt.decay == 0.01 and opt.momentum == 0.9
    tf211 = {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.001, "jit_compile": True,
                                              "is_legacy_optimizer": False, "amsgrad": False}}
    assert isinstance(optimizers.get(tf211), Adam)


def test_keras_namespace_exposes_optimizers_and_schedules():
    from tensorlet.keras import optimizers as keras_optimizers

    assert keras_optimizers.Adam is Adam
    assert keras_optimizers.schedules.ExponentialDecay is optimizers.schedules.ExponentialDecay


def test_legacy_and_experimental_namespaces_are_the_same_classes():
    assert optimizers.legacy.Adam is Adam and optimizers.legacy.SGD is SGD
    assert optimizers.experimental.AdamW is AdamW
