"""``keras.activations``."""
from tensorlet.activations import *  # noqa: F401,F403
from tensorlet.activations import get  # noqa: F401
