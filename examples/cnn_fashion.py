"""The same CNN on Fashion-MNIST (target: >= 90% test accuracy).

    python examples/cnn_fashion.py [--epochs 6]
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cnn_mnist import main  # noqa: E402

import tensorlet as tf  # noqa: E402

if __name__ == "__main__":
    main(dataset=tf.keras.datasets.fashion_mnist, default_epochs=6)
