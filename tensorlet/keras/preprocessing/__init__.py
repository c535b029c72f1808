"""``keras.preprocessing`` (Keras 2): the ``text`` and ``sequence`` helpers."""
from tensorlet.keras.preprocessing import sequence, text
