"""Measure the handout's MNIST claim the way the handout trains it, on tensorlet and (if installed) on Keras.

Handout 000: the 784-256-256-128-10 MLP, inputs scaled to [-1, 1], 25% held out with train_test_split(
random_state=42), SGD(lr=0.001), batch 64, 20 epochs, then model.evaluate on the test set.

    python examples/compare_handout_claims.py [--epochs 20] [--keras]
"""
from __future__ import annotations

import argparse
import time


def data():
    from sklearn.model_selection import train_test_split

    import tensorlet as tl

    (x, y), (xt, yt) = tl.keras.datasets.mnist.load_data()
    x = (x.reshape(-1, 28, 28, 1).astype("float32") - 127.5) / 127.5
    xt = (xt.reshape(-1, 28, 28, 1).astype("float32") - 127.5) / 127.5
    x, xv, y, yv = train_test_split(x, y, random_state=42)
    return x, y, xv, yv, xt, yt


def run(tf, epochs, x, y, xv, yv, xt, yt):
    L = tf.keras.layers
    model = tf.keras.Sequential([L.Input(shape=(28, 28, 1)), L.Flatten(), L.Dense(256), L.Activation("relu"),
                                 L.Dense(256), L.Activation("relu"), L.Dense(128), L.Activation("relu"), L.Dense(10),
                                 L.Activation("softmax")])
    model.compile(loss="sparse_categorical_crossentropy", optimizer=tf.keras.optimizers.SGD(learning_rate=0.001),
                  metrics=["accuracy"])
    t0 = time.perf_counter()
    h = model.fit(x, y, epochs=epochs, batch_size=64, validation_data=(xv, yv), verbose=0)
    seconds = time.perf_counter() - t0
    _, acc = model.evaluate(xt, yt, verbose=0)
    return acc, h.history["val_accuracy"][-1], seconds / epochs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--keras", action="store_true", help="also run real TensorFlow/Keras")
    args = parser.parse_args()
    arrays = data()
    import tensorlet

    tensorlet.keras.utils.set_random_seed(42)
    results = {"tensorlet": run(tensorlet, args.epochs, *arrays)}
    if args.keras:
        import tensorflow

        tensorflow.keras.utils.set_random_seed(42)
        results[f"tf.keras {tensorflow.__version__}"] = run(tensorflow, args.epochs, *arrays)
    print("| system | test accuracy | last val accuracy | s/epoch |\n|---|---|---|---|")
    for name, (acc, val, spe) in results.items():
        print(f"| {name} | {acc:.4f} | {val:.4f} | {spe:.2f} |")


if __name__ == "__main__":
    main()
