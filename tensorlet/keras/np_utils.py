"""``keras.utils.np_utils`` (Keras 2): to_categorical and normalize."""
import warnings

from tensorlet.utils.numerical import normalize, to_categorical

warnings.warn("keras.utils.np_utils is the Keras 2 module; tensorlet keeps it. Use keras.utils.to_categorical.",
              DeprecationWarning, stacklevel=2)

__all__ = ["to_categorical", "normalize"]
