"""``keras.saving`` (Keras 3): save/load and the registry of custom objects."""
from tensorlet.saving.registry import (  # noqa: F401
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from tensorlet.saving.saving_api import load_model, save_model  # noqa: F401
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object  # noqa: F401
