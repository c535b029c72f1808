"""Keras 2's preprocessing utilities: ``keras.preprocessing.text`` (the Tokenizer, the word-splitting and hashing
helpers) and the word2vec helpers of ``keras.preprocessing.sequence``. ``pad_sequences`` lives in
:mod:`tensorlet.utils.padding`. The public Keras spellings are in
:mod:`tensorlet.keras.preprocessing`."""
