"""pydantic-core's compiled module, loaded without running its package's ``__init__``.

A speed shortcut. ``import pydantic_core`` runs the package's ``__init__``, which imports
``core_schema`` (the schema's TypedDicts, for type checkers and for pydantic) and
typing_extensions: 12 ms that every ``folio check`` paid before its first project, for
validation that only calls ``SchemaValidator``. Here the compiled module
``pydantic_core._pydantic_core`` is loaded alone, from the package's folder, under its own
name in ``sys.modules``: a later ``import pydantic_core`` (pydantic, which a validation
error's ``errors()`` imports for its URL) runs the ``__init__`` then, and takes this very
module, so there is one ``SchemaValidator`` and one ``ValidationError`` either way.
Measured on 1,000 synthetic projects (bench/bench_check.py's corpus), ``folio check`` with
and without it: 0.239 s against 0.254 s (farm-bench, 21 pairs in one run), and 28 MiB
against 30 MiB at its peak.

``FOLIO_PYDANTIC_CORE_ALONE=0`` imports the package as before; so does a pydantic-core whose
compiled module is not an extension beside its ``__init__`` (tests/pydcore_test.py holds the
two ways to the same classes and the same findings).
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

NAME = "pydantic_core._pydantic_core"


def core() -> ModuleType:
    """``pydantic_core._pydantic_core``: SchemaValidator, SchemaError, ValidationError."""
    loaded = sys.modules.get(NAME)
    if loaded is not None:
        return loaded
    if os.environ.get("FOLIO_PYDANTIC_CORE_ALONE", "") != "0":
        alone = _load_alone()
        if alone is not None:
            return alone
    import pydantic_core

    return sys.modules.get(NAME) or pydantic_core  # the package re-exports the classes


def _load_alone() -> ModuleType | None:
    import importlib.machinery
    import importlib.util

    try:
        package = importlib.util.find_spec("pydantic_core")  # finds it; runs nothing
    except (ImportError, ValueError):
        return None
    if package is None or not package.submodule_search_locations:
        return None
    spec = importlib.machinery.PathFinder.find_spec(NAME, list(package.submodule_search_locations))
    if spec is None or not isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[NAME] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        del sys.modules[NAME]
        return None
    return module
