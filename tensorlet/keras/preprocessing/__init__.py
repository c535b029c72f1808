"""``keras.preprocessing`` (Keras 2): the ``text``, ``sequence`` and ``image`` helpers,
``timeseries_dataset_from_array`` and ``image_dataset_from_directory``."""
from tensorlet.keras.preprocessing import image, sequence, text
from tensorlet.keras.utils import timeseries_dataset_from_array
from tensorlet.preprocessing.image.dataset_from_directory import image_dataset_from_directory
