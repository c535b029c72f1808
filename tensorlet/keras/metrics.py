"""``keras.metrics``."""
from tensorlet.metrics import *  # noqa: F401,F403
from tensorlet.metrics import get  # noqa: F401
