"""TD seed 002, §6 (questions 10 to 13): History curves, TensorBoard, checkpoints every 2 epochs, early stopping.

    python examples/handout_002_callbacks.py [output_folder]
Writes history.png (matplotlib), TensorBoard logs in <folder>/logs (view with `tensorboard --logdir
<folder>/logs`), and the best model of every second epoch in <folder>/checkpoints.
"""
from __future__ import annotations

import os
import sys

import numpy as np

from tensorlet.keras.callbacks import EarlyStopping, ModelCheckpoint, TensorBoard
from tensorlet.keras.datasets import mnist
from tensorlet.keras.layers import Dense
from tensorlet.keras.models import Sequential
from tensorlet.keras.utils import to_categorical

EPOCHS = int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", "30"))
SAMPLES = int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", "0")) or None
out = sys.argv[1] if len(sys.argv) > 1 else "handout_002_outputs"
os.makedirs(os.path.join(out, "checkpoints"), exist_ok=True)

(x_train, y_train), _ = mnist.load_data()
x_train = x_train[:SAMPLES].reshape(-1, 784).astype("float32") / 255.0
y_train = to_categorical(y_train[:SAMPLES], 10)

model = Sequential([Dense(128, activation="relu", input_dim=784), Dense(128, activation="relu"),
                    Dense(10, activation="softmax")])
model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])

callbacks = [
    # Q11 : TensorBoard
    TensorBoard(log_dir=os.path.join(out, "logs")),
    # Q12 : toutes les 2 itérations, seulement si le risque de validation bat tous les précédents enregistrés
    ModelCheckpoint(os.path.join(out, "checkpoints", "model.{epoch:02d}-{val_loss:.4f}.keras"), monitor="val_loss",
                    save_best_only=True, period=2),
    # Q13 : arrêt précoce si le risque de validation ne diminue plus depuis 5 itérations
    EarlyStopping(monitor="val_loss", patience=5),
]
history = model.fit(x_train, y_train, epochs=EPOCHS, batch_size=200, validation_split=0.3, verbose=2,
                    callbacks=callbacks)

# Q10 : courbes du taux de bonnes classifications (apprentissage et validation)
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.plot(history.history["accuracy"], label="apprentissage")
    plt.plot(history.history["val_accuracy"], label="validation")
    plt.xlabel("époque")
    plt.ylabel("taux de bonnes classifications")
    plt.legend()
    plt.grid(True)
    plt.savefig(os.path.join(out, "history.png"))
    print("courbes :", os.path.join(out, "history.png"))
except ImportError:
    print("matplotlib absent : pas de courbes (pip install 'tensorlet[plot]')")
print("checkpoints :", sorted(os.listdir(os.path.join(out, "checkpoints"))))
print("époques effectuées :", len(history.epoch), "- meilleure val_loss :", float(np.min(history.history["val_loss"])))
