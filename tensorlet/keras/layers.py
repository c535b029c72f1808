"""``keras.layers``."""
from tensorlet.layers import *  # noqa: F401,F403
from tensorlet.layers import __all__  # noqa: F401

_NOT_YET = {"Conv3D", "MaxPooling3D", "AveragePooling3D"}


def __getattr__(name: str) -> object:
    if name in _NOT_YET:
        raise AttributeError(f"keras.layers.{name} is a Keras layer that tensorlet does not provide yet "
                             "(README, 'Layers', lists those it has)")
    raise AttributeError(f"module 'keras.layers' has no attribute '{name}'")
