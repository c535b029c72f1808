"""``keras.preprocessing`` (Keras 2): the ``text``, ``sequence`` and ``image`` helpers, and
``image_dataset_from_directory``."""
from tensorlet.keras.preprocessing import image, sequence, text
from tensorlet.preprocessing.image.dataset_from_directory import image_dataset_from_directory
