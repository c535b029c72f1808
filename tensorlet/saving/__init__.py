"""Saving and loading, in layers from the bottom up.

- ``registry``: the one table of names (built-ins by family, user objects, scopes); imports nothing of tensorlet.
- ``serialization``: config <-> object through the registry; ``atomic``, ``lambda_code``: plain utilities.
- ``compile_config``, ``weights_store``, ``keras_zip``, ``legacy_h5``, ``model_files``: the file formats, and
  writing a model that exists (``Model.save`` calls ``model_files``).
- ``saving_api``: the public API; ``load_model`` builds models, so it alone imports the layer and model packages.

This ``__init__`` imports nothing, so that a family importing ``tensorlet.saving.registry`` pulls in nothing else.
"""
