"""Cleaning notebooks and code samples before they are published (``folio clean``).

- :mod:`repofolio.clean.notebook`: refuse bad notebooks, strip noise (nbformat's way)
- :mod:`repofolio.clean.nbschema`: nbformat's schema files, validated without nbformat
- :mod:`repofolio.clean.code`: whitespace, final newline, ruff format in batches
- :mod:`repofolio.clean.secrets`: prefilter, token formats, detect-secrets plugins, baseline
- :mod:`repofolio.clean.paths`: personal absolute paths, found and rewritten
- :mod:`repofolio.clean.engine`: the pipeline ``folio clean`` and ``folio check`` share

Nothing heavy is imported here. nbformat is not imported at all (only to word the error
of an invalid notebook, and in strip mode for nbstripout); fastjsonschema loads with the
first notebook, detect-secrets with the first line that looks like a secret.
"""
