"""Models: Model (subclassing), Sequential and Functional, and clone_model."""
from tensorlet.models.cloning import clone_model
from tensorlet.models.functional import Functional
from tensorlet.models.model import Model
from tensorlet.models.sequential import Sequential

__all__ = ["Model", "Sequential", "Functional", "clone_model"]
