"""``keras.initializers``."""
from tensorlet.initializers import *  # noqa: F401,F403
from tensorlet.initializers import get  # noqa: F401
