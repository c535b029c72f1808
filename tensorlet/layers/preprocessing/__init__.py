"""Preprocessing layers: Rescaling, Normalization, and random image augmentation (training only)."""
