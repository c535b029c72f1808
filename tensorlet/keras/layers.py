"""``keras.layers``."""
from tensorlet.layers import *  # noqa: F401,F403
from tensorlet.layers import __all__  # noqa: F401
