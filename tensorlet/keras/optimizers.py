"""``keras.optimizers``."""
from tensorlet.optimizers import *  # noqa: F401,F403
from tensorlet.optimizers import get  # noqa: F401
