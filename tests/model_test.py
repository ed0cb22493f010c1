"""The front matter model: how it is built (without pydantic's plugin search) and what it
leaves behind for the rest of the process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = """
calls = []

class Plugin:
    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):
        calls.append(path.name)
        return None, None, None

plugin = Plugin()
"""

PROBE = """
import os, sys
if os.environ.get("PROBE_LOADER_FIRST"):
    import pydantic.plugin._loader  # another library built a model before ours
import repofolio.model as model
import folio_probe_plugin as probe
from pydantic import BaseModel

assert "pydantic.plugin._loader" not in sys.modules or hasattr(
    sys.modules["pydantic.plugin._loader"], "entry_points"
), "the stand-in loader was left in sys.modules"
print("env", os.environ.get("PYDANTIC_DISABLE_PLUGINS", "<unset>"))

class Later(BaseModel):
    n: int

assert Later(n="3").n == 3
print("calls", sorted(set(probe.calls)))
meta = model.ProjectMeta(title="T", summary="S", date="2024-05")
print("meta", meta.title, meta.tags, meta.links)
"""


def probe(tmp_path: Path, env_value: str | None, loader_first: bool = False) -> dict[str, str]:
    """Install a real pydantic plugin (an entry point in the 'pydantic' group) on a path,
    import our model, then build another model: what each saw."""
    site = tmp_path / "site"
    (site / "folio_probe_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "folio_probe_plugin.py").write_text(textwrap.dedent(PLUGIN))
    dist = site / "folio_probe_plugin-1.0.dist-info"
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: folio-probe-plugin\nVersion: 1\n")
    (dist / "entry_points.txt").write_text("[pydantic]\nprobe = folio_probe_plugin:plugin\n")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site)}
    if env_value is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = env_value
    if loader_first:
        env["PROBE_LOADER_FIRST"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines())


@pytest.mark.parametrize("loader_first", [False, True], ids=["fresh", "loader-imported"])
def test_plugins_skip_our_models_but_reach_the_rest(tmp_path: Path, loader_first: bool) -> None:
    seen = probe(tmp_path, None, loader_first)
    # the user's plugin saw the model built after ours, and never ours
    assert seen["calls"] == "['Later']"
    assert seen["env"] == "<unset>"  # the switch was put back as it was
    assert seen["meta"] == "T [] {}"


def test_the_users_own_switch_is_kept(tmp_path: Path) -> None:
    seen = probe(tmp_path, "__all__")
    assert seen["calls"] == "[]"
    assert seen["env"] == "__all__"


def test_mutable_defaults_are_not_shared() -> None:
    from repofolio.model import ProjectMeta

    one = ProjectMeta(title="A", summary="S", date="2024-01")
    two = ProjectMeta(title="B", summary="S", date="2024-01")
    one.tags.append("nlp")
    one.links["repo"] = "https://example.com"
    one.results.append("F1 0.9")
    assert (two.tags, two.links, two.results, two.skills) == ([], {}, [], [])
