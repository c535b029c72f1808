"""``keras.losses``."""
from tensorlet.losses import *  # noqa: F401,F403
from tensorlet.losses import get  # noqa: F401
