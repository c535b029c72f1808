"""Layer family."""
