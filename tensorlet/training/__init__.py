"""The training loop and its data plumbing."""
