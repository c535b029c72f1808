"""``keras.regularizers``."""
from tensorlet.regularizers import *  # noqa: F401,F403
from tensorlet.regularizers import get  # noqa: F401
