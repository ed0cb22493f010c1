"""The MkDocs adapter: every ``mkdocs`` import of the toolkit is in this folder.

``plugin`` adds the pages of :func:`repofolio.site.pages.generate` to a build in memory (as
mkdocs-gen-files does); ``build`` runs ``mkdocs build`` and ``mkdocs serve`` for ``folio build``
and ``folio serve``; the other modules are speed layers, each switched off by
``[tool.folio.site] cache = false`` (see ``layers``).
"""
