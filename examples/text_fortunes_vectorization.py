"""Topic classification of fortune cookies from raw strings, the Keras 3 way: TextVectorization -> Embedding with
mask_zero -> Bidirectional LSTM -> Dense, the whole pipeline in one model that takes text, saved and reloaded as a
``.keras`` file (the vocabulary travels in its assets). The corpus needs no network (Debian's ``fortunes``).

    apt-get install fortunes        # or copy the topic files into $TENSORLET_DATASETS_MIRROR/fortunes/
    python examples/text_fortunes_vectorization.py [--epochs 10]

``TENSORLET_EXAMPLE_EPOCHS`` and ``TENSORLET_EXAMPLE_SAMPLES`` shorten the run (the tests do).
"""
from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np

import tensorlet as tf
from tensorlet.datasets import fortunes

VOCAB_SIZE = 4000
MAX_LENGTH = 50


def build(vectorize: tf.keras.layers.TextVectorization, classes: int) -> tf.keras.Model:
    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(1,), dtype="string")
    x = vectorize(inputs)
    x = layers.Embedding(VOCAB_SIZE, 32, mask_zero=True)(x)  # padding (index 0) is masked from here on
    x = layers.Bidirectional(layers.LSTM(24))(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(classes, activation="softmax")(x)
    model = tf.keras.Model(inputs, outputs)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 10)))
    args = parser.parse_args()
    samples = int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 0)) or None
    tf.keras.utils.set_random_seed(7)

    (x_train, y_train), (x_test, y_test) = fortunes.load_data()
    x_train, y_train = x_train[:samples], y_train[:samples]
    names = fortunes.get_label_names()
    print(f"{len(x_train)} training and {len(x_test)} test fortunes, topics {names}")

    vectorize = tf.keras.layers.TextVectorization(max_tokens=VOCAB_SIZE, output_sequence_length=MAX_LENGTH)
    vectorize.adapt(x_train)
    print(f"vocabulary: {vectorize.vocabulary_size()} tokens, the most frequent: {vectorize.get_vocabulary()[2:9]}")

    model = build(vectorize, len(names))
    history = model.fit(x_train, y_train, epochs=args.epochs, batch_size=32, validation_split=0.1, verbose=2)
    print(f"Training loss: {history.history['loss'][0]:.4f} -> {history.history['loss'][-1]:.4f}")
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    majority = np.bincount(y_test).max() / len(y_test)
    print(f"Test accuracy: {accuracy:.4f} (always guessing the largest topic: {majority:.4f})")

    probe = ["The program crashed because of a bug in the compiler",
             "The senator promised lower taxes before the election"]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "fortunes.keras")
        model.save(path)
        reloaded = tf.keras.models.load_model(path)
    same = np.allclose(reloaded.predict(probe, verbose=0), model.predict(probe, verbose=0), atol=1e-6)
    print(f"Reloaded from .keras, same predictions: {same}")
    for text, guess in zip(probe, reloaded.predict(probe, verbose=0).argmax(axis=1)):
        print(f"  {names[guess]:>10}: {text}")


if __name__ == "__main__":
    main()
