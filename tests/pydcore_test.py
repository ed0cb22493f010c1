"""pydcore: pydantic-core's compiled module loaded alone, and the package imported as before.

Each way runs in a fresh interpreter (which modules are loaded is the point), through the
``folio`` entry point, with an atexit probe that reads ``sys.modules`` after the command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import good_readme, write_project

PROBE = (
    "import atexit, json, sys\n"
    "def probe():\n"
    "    mods = sys.modules\n"
    "    print('PROBE ' + json.dumps({\n"
    "        'package': 'pydantic_core' in mods,\n"
    "        'core_schema': 'pydantic_core.core_schema' in mods,\n"
    "        'compiled': 'pydantic_core._pydantic_core' in mods,\n"
    "    }))\n"
    "atexit.register(probe)\n"
    "sys.argv = ['folio', 'check']\n"
    "from repofolio.cli import entry\n"
    "entry()\n"
)


def _check(repo: Path, switch: str) -> tuple[int, str, dict[str, bool]]:
    env = {**os.environ, "FOLIO_PYDANTIC_CORE_ALONE": switch}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=repo, capture_output=True, text=True, env=env
    )
    lines = proc.stdout.splitlines()
    probe = json.loads(next(x for x in lines if x.startswith("PROBE "))[6:])
    findings = "\n".join(x for x in lines if not x.startswith("PROBE "))
    return proc.returncode, findings, probe


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "schema-errors"])
def test_the_compiled_module_alone_gives_the_same_findings_as_the_package(
    repo: Path, valid: bool
) -> None:
    readme = good_readme()
    if not valid:  # a bad date, an unknown key, a title that is not a string
        readme = readme.replace("date: 2024-05-01", "date: March\nsumary: typo", 1)
        readme = readme.replace("title: Churn model", "title: [1, 2]", 1)
        assert "title: [1, 2]" in readme
    write_project(repo, "churn-model", readme)
    alone = _check(repo, "")
    package = _check(repo, "0")
    assert alone[0] == package[0] == (0 if valid else 1)
    assert alone[1] == package[1]  # the same findings, byte for byte
    if not valid:
        assert len(alone[1].splitlines()) >= 3 and "sumary" in alone[1], alone[1]
    assert alone[2] == {"package": False, "core_schema": False, "compiled": True}
    assert package[2] == {"package": True, "core_schema": True, "compiled": True}


def test_a_later_import_of_the_package_takes_the_module_loaded_alone() -> None:
    """pydantic (the CV's models, the schema compiler) imports pydantic-core's package after
    the shortcut: one SchemaValidator, one ValidationError, and pydantic works."""
    code = (
        "import sys\n"
        "from repofolio.pydcore import core\n"
        "alone = core()\n"
        "assert 'pydantic_core' not in sys.modules\n"
        "import pydantic_core\n"
        "from pydantic_core import _pydantic_core\n"
        "assert _pydantic_core is alone\n"
        "assert pydantic_core.SchemaValidator is alone.SchemaValidator\n"
        "assert pydantic_core.ValidationError is alone.ValidationError\n"
        "import pydantic\n"
        "class M(pydantic.BaseModel):\n"
        "    n: int\n"
        "try:\n"
        "    M(n='x')\n"
        "except alone.ValidationError as exc:\n"
        "    print(exc.errors()[0]['type'])\n"
        "from repofolio.model import validate_meta\n"
        "print(validate_meta({'title': 'T', 'summary': 'S', 'date': '2024-05'}).title)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "FOLIO_PYDANTIC_CORE_ALONE": ""},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["int_parsing", "T"]
