"""Package data (the MNIST sample for offline demos)."""
