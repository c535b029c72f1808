"""The one registry: registration, lookup order, scopes, errors, and the built-ins each family files into it."""
from __future__ import annotations

import threading

import pytest

import tensorlet as tf
from tensorlet import activations, constraints, initializers, losses, metrics, optimizers, regularizers
from tensorlet.keras import layers, models, saving, utils
from tensorlet.saving import registry


def twice(x):
    return x * 2.0


def test_register_keras_serializable_files_package_and_name():
    registered = saving.register_keras_serializable(package="course")(twice)
    assert registered is twice
    assert saving.get_custom_objects()["course>twice"] is twice
    assert saving.get_registered_name(twice) == "course>twice"
    assert saving.get_registered_object("course>twice") is twice
    saving.register_keras_serializable("course", name="doubled")(twice)
    assert saving.get_registered_object("course>doubled") is twice


def test_register_keras_serializable_is_the_same_in_keras_utils_and_keras_saving():
    assert utils.register_keras_serializable is saving.register_keras_serializable
    assert utils.get_custom_objects() is saving.get_custom_objects()
    assert tf.keras.utils.custom_object_scope is saving.CustomObjectScope


def test_a_registered_class_needs_get_config_and_its_subclasses_are_not_registered():
    class NoConfig:
        pass

    with pytest.raises(ValueError, match="get_config"):
        saving.register_keras_serializable("course")(NoConfig)

    @saving.register_keras_serializable("course")
    class Scale(layers.Layer):
        pass

    class Bigger(Scale):
        pass

    assert saving.get_registered_name(Scale) == "course>Scale"
    assert saving.get_registered_name(Bigger) == "Bigger"
    # as Keras 3 writes an unregistered class: by its class name, which custom_objects answer to
    assert saving.serialize_keras_object(Bigger())["registered_name"] == "Bigger"


def test_lookup_order_argument_then_scopes_inner_first_then_global_then_builtins():
    def a(x):
        return x

    def b(x):
        return x

    def c(x):
        return x

    assert registry.lookup("relu", "activations") is activations.relu
    saving.get_custom_objects()["relu"] = a
    assert registry.lookup("relu", "activations") is a
    with saving.custom_object_scope({"relu": b}):
        assert activations.get("relu") is b
        with saving.CustomObjectScope({"relu": c}):
            assert activations.get("relu") is c
            assert activations.deserialize("relu", custom_objects={"relu": a}) is a
        assert activations.get("relu") is b
    assert activations.get("relu") is a


def test_a_registered_object_is_also_found_by_its_bare_name_after_the_builtins():
    saving.register_keras_serializable("course")(twice)
    assert activations.get("twice") is twice

    @saving.register_keras_serializable("course")
    def relu(x):
        return x

    assert activations.get("relu") is activations.relu  # a bare name never hides a built-in
    assert activations.get("course>relu") is relu


def test_scope_ends_on_error_and_belongs_to_its_thread():
    with pytest.raises(RuntimeError):
        with saving.custom_object_scope({"twice": twice}):
            raise RuntimeError("boom")
    assert registry.lookup("twice", "activations") is None

    seen = []
    entered, checked = threading.Event(), threading.Event()

    def other_thread():
        entered.wait()
        seen.append(registry.lookup("twice", "activations"))
        checked.set()

    worker = threading.Thread(target=other_thread)
    worker.start()
    with saving.custom_object_scope({"twice": twice}):
        entered.set()
        checked.wait(10)
        assert registry.lookup("twice", "activations") is twice
    worker.join()
    assert seen == [None]


def test_custom_object_scope_rejects_what_is_not_a_dict():
    with pytest.raises(TypeError, match="dicts of name -> object"):
        saving.CustomObjectScope([("twice", twice)])


@pytest.mark.parametrize("family_get,kind", [
    (activations.get, "activation function"), (initializers.get, "initializer"), (losses.get, "loss"),
    (metrics.get, "metric"), (regularizers.get, "regularizer"), (constraints.get, "constraint")])
def test_an_unknown_name_says_what_it_is_the_valid_names_and_how_to_add_one(family_get, kind):
    with pytest.raises(ValueError, match=f"Unknown {kind}: 'no_such_thing'. Valid names are: .*custom_objects"):
        family_get("no_such_thing")


def test_unknown_optimizer_and_layer_names_say_how_to_add_one():
    with pytest.raises(ValueError, match=r"optimizer identifier: 'adamm'. Valid names are \['adadelta'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Unknown layer or object: 'MyLayer'.*register_keras_serializable"):
        saving.deserialize_keras_object({"class_name": "MyLayer", "config": {}})


def test_two_builtins_may_not_share_a_name():
    with pytest.raises(ValueError, match="already taken by tensorlet.activations.relu"):
        registry.register_builtin("activations", twice, "relu")


def test_layer_and_model_classes_register_themselves_users_classes_do_not():
    for name, cls in [("Dense", layers.Dense), ("Convolution2D", layers.Conv2D), ("MaxPool2D", layers.MaxPooling2D),
                      ("Sequential", models.Sequential), ("Functional", models.Functional), ("Model", models.Model),
                      ("InputLayer", layers.InputLayer), ("Layer", layers.Layer)]:
        assert registry.lookup(name, "layers") is cls

    class Mine(layers.Layer):
        pass

    assert registry.lookup("Mine", "layers") is None


def test_every_family_registers_its_builtins():
    assert registry.lookup("he_normal", "initializers") is initializers.HeNormal
    assert registry.lookup("MSE", "losses") is losses.mean_squared_error
    assert registry.lookup("acc", "metrics") is metrics.Accuracy
    assert registry.lookup("l1_l2", "regularizers") is regularizers.l1_l2
    assert registry.lookup("max_norm", "constraints") is constraints.MaxNorm
    assert registry.lookup("adam", "optimizers") is optimizers.Adam
    assert registry.lookup("ExponentialDecay", "schedules") is optimizers.schedules.ExponentialDecay
    assert registry.lookup("swish", "activations") is activations.silu
