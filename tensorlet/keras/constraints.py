"""``keras.constraints``."""
from tensorlet.constraints import *  # noqa: F401,F403
from tensorlet.constraints import get  # noqa: F401
