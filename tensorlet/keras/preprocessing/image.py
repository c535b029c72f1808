"""``keras.preprocessing.image`` (Keras 2): ImageDataGenerator and its iterators, the image-file helpers,
smart_resize and the single-image augmentation functions."""
from tensorlet.preprocessing.image import *  # noqa: F403
from tensorlet.preprocessing.image import __all__  # noqa: F401
