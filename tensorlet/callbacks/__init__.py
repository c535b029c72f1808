"""Callbacks: hooks into fit/evaluate/predict."""
from tensorlet.callbacks.callback import Callback
from tensorlet.callbacks.callback_list import CallbackList
from tensorlet.callbacks.history import History
from tensorlet.callbacks.progbar_logger import ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
