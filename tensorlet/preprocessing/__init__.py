"""Keras 2's preprocessing utilities (``keras.preprocessing.text``): the Tokenizer and the word-splitting and
hashing helpers. ``pad_sequences`` lives in :mod:`tensorlet.utils.padding`. The public Keras spellings are in
:mod:`tensorlet.keras.preprocessing`."""
