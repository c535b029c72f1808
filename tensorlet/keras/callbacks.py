"""``keras.callbacks``."""
from tensorlet.callbacks import *  # noqa: F401,F403
