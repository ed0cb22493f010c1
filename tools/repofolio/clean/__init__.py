"""Cleaning notebooks and code samples before they are published (``folio clean``).

- :mod:`repofolio.clean.notebook`: refuse bad notebooks, strip noise (nbformat, nbstripout)
- :mod:`repofolio.clean.code`: whitespace, final newline, ruff format in batches
- :mod:`repofolio.clean.secrets`: prefilter, token formats, detect-secrets plugins, baseline
- :mod:`repofolio.clean.paths`: personal absolute paths, found and rewritten
- :mod:`repofolio.clean.engine`: the pipeline ``folio clean`` and ``folio check`` share

Nothing heavy is imported here: nbformat loads with the first notebook, detect-secrets with
the first line that looks like a secret.
"""
