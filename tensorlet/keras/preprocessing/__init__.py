"""``keras.preprocessing`` (Keras 2): the ``sequence`` helpers."""
from tensorlet.keras.preprocessing import sequence
