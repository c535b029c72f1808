"""A small transformer classifier of fortune cookies, written as the Keras text-classification tutorial writes
one: a token + position embedding layer and a transformer block (MultiHeadAttention, LayerNormalization and a
feed-forward network with residual connections) as user-defined layers, on a corpus that needs no network
(Debian's ``fortunes``). The token embedding masks the padding, and the mask reaches the attention and the pooling.

    apt-get install fortunes        # or copy the topic files into $TENSORLET_DATASETS_MIRROR/fortunes/
    python examples/text_fortunes_transformer.py [--epochs 10]

``TENSORLET_EXAMPLE_EPOCHS`` and ``TENSORLET_EXAMPLE_SAMPLES`` shorten the run (the tests do).
"""
from __future__ import annotations

import argparse
import os

import numpy as np

import tensorlet as tf

keras = tf.keras
layers = tf.keras.layers

VOCAB_SIZE = 4000
MAX_LENGTH = 48
EMBED_DIM = 32
NUM_HEADS = 2
FF_DIM = 64


class TokenAndPositionEmbedding(layers.Layer):
    """Token embedding (index 0 is padding, masked) plus a learned embedding of each position."""

    def __init__(self, maxlen, vocab_size, embed_dim, **kwargs):
        super().__init__(**kwargs)
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim, mask_zero=True)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = tf.shape(x)[-1]
        positions = self.pos_emb(tf.range(start=0, limit=maxlen, delta=1))
        return self.token_emb(x) + positions

    def compute_mask(self, inputs, mask=None):
        return self.token_emb.compute_mask(inputs)


class TransformerBlock(layers.Layer):
    """Self-attention and a feed-forward network, each with dropout, a residual connection and layer norm."""

    def __init__(self, embed_dim, num_heads, ff_dim, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.att = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
        self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(embed_dim)])
        self.layernorm1 = layers.LayerNormalization(epsilon=1e-6)
        self.layernorm2 = layers.LayerNormalization(epsilon=1e-6)
        self.dropout1 = layers.Dropout(rate)
        self.dropout2 = layers.Dropout(rate)
        self.supports_masking = True

    def call(self, inputs, training=False, mask=None):
        attention_mask = None if mask is None else tf.logical_and(mask[:, :, None], mask[:, None, :])
        attn_output = self.att(inputs, inputs, attention_mask=attention_mask)
        attn_output = self.dropout1(attn_output, training=training)
        out1 = self.layernorm1(inputs + attn_output)
        ffn_output = self.dropout2(self.ffn(out1), training=training)
        return self.layernorm2(out1 + ffn_output)


def build(vectorize, classes):
    inputs = keras.Input(shape=(1,), dtype="string")
    x = TokenAndPositionEmbedding(MAX_LENGTH, VOCAB_SIZE, EMBED_DIM)(vectorize(inputs))
    x = TransformerBlock(EMBED_DIM, NUM_HEADS, FF_DIM)(x)
    x = layers.GlobalAveragePooling1D()(x)  # the mean over the real tokens only
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(32, activation="relu")(x)
    outputs = layers.Dense(classes, activation="softmax")(x)
    model = keras.Model(inputs=inputs, outputs=outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 10)))
    args = parser.parse_args()
    samples = int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 0)) or None
    keras.utils.set_random_seed(7)

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fortunes.load_data()
    x_train, y_train = x_train[:samples], y_train[:samples]
    names = tf.keras.datasets.fortunes.get_label_names()
    print(f"{len(x_train)} training and {len(x_test)} test fortunes, topics {names}")

    vectorize = layers.TextVectorization(max_tokens=VOCAB_SIZE, output_sequence_length=MAX_LENGTH)
    vectorize.adapt(x_train)
    model = build(vectorize, len(names))
    history = model.fit(x_train, y_train, batch_size=32, epochs=args.epochs, validation_split=0.1, verbose=2)
    print(f"Training loss: {history.history['loss'][0]:.4f} -> {history.history['loss'][-1]:.4f}")
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    majority = np.bincount(y_test).max() / len(y_test)
    print(f"Test accuracy: {accuracy:.4f} (always guessing the largest topic: {majority:.4f})")


if __name__ == "__main__":
    main()
