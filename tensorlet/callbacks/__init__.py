"""Callbacks: hooks into fit/evaluate/predict."""
from tensorlet.callbacks.backup_and_restore import BackupAndRestore
from tensorlet.callbacks.callback import Callback
from tensorlet.callbacks.callback_list import CallbackList
from tensorlet.callbacks.early_stopping import EarlyStopping
from tensorlet.callbacks.history import History
from tensorlet.callbacks.logging_callbacks import CSVLogger, LambdaCallback, TerminateOnNaN
from tensorlet.callbacks.lr_callbacks import LearningRateScheduler, ReduceLROnPlateau
from tensorlet.callbacks.model_checkpoint import ModelCheckpoint
from tensorlet.callbacks.progbar_logger import ProgbarLogger
from tensorlet.callbacks.tensorboard import TensorBoard

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger", "EarlyStopping", "ModelCheckpoint",
           "TensorBoard", "CSVLogger", "LambdaCallback", "TerminateOnNaN", "LearningRateScheduler",
           "ReduceLROnPlateau", "BackupAndRestore"]
