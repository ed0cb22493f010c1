"""Secrets: every fake format in every file type is found, shown masked, never printed in
full; pragmas and the baseline accept false positives; the example projects are clean."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import good_readme, run_cli, write_project
from hypothesis import given, settings
from hypothesis import strategies as st
from repofolio.clean import secrets
from repofolio.clean.engine import Settings, Target, run
from repofolio.config import load_config

DATA = Path(__file__).parents[1] / "data" / "clean" / "secrets"
REPO_ROOT = Path(__file__).resolve().parents[2]

# Fake values, assembled here so no scanner (GitHub push protection included) sees a whole
# token in the repository. The fixture files hold @@NAME@@ placeholders.
FAKE = {
    "GITHUB": "ghp_" + "R7bK2mQ9xW4pL8vN3cT6yH1jF5dS0aZgUeXo",
    "AWS_ID": "AKIA" + "Q4TZ7NB2XK5LMW3P",
    "AWS_SECRET": "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzQ8vT2LmKe",
    "SLACK": "xoxb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx",
    "WEBHOOK": "https://hooks.slack.com/services/" + "T0AB1CD2E/B0FG3HI4J/aBcDeFgHiJkLmNoPqRsTuVwX",
    "GOOGLE": "AIza" + "SyD3f8Kq2mN7pL4xW9vB6cT1hJ5gR0aZ-eU",
    "PRIVATE": "-----BEGIN RSA " + "PRIVATE KEY-----",
    "PASSWORD": "Tr0ub4dor&3-" + "horse",
}
KINDS = {
    "GITHUB": "GitHub token",
    "AWS_ID": "AWS access key",
    "AWS_SECRET": "AWS secret key",
    "SLACK": "Slack token",
    "WEBHOOK": "Slack webhook",
    "GOOGLE": "Google API key",
    "PRIVATE": "private key",
    "PASSWORD": "password assignment",
}
FILES = ["app.py", ".env", "config.yaml", "leaky.ipynb"]


def fill(text: str) -> str:
    for name, value in FAKE.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def write_leaks(repo: Path) -> Path:
    folder = write_project(repo, "leaky", good_readme())
    for name in FILES:
        (folder / name).write_text(
            fill((DATA / name).read_text(encoding="utf-8")), encoding="utf-8"
        )
    return folder


def test_fake_values_have_the_real_formats() -> None:
    assert len(FAKE["GITHUB"]) == 40 and len(FAKE["AWS_ID"]) == 20
    assert len(FAKE["AWS_SECRET"]) == 40 and len(FAKE["GOOGLE"]) == 39


@pytest.mark.parametrize("name", FILES)
def test_every_fake_secret_is_found_in_every_file_type(repo: Path, name: str) -> None:
    write_leaks(repo)
    cfg = load_config(repo)
    outcome = run(cfg, [Target(f"projects/leaky/{name}", "projects/leaky")], Settings(check=True))
    found = {secret.value: secret for _, secret in outcome.secrets}
    for key, value in FAKE.items():
        assert value in found, f"{KINDS[key]} not found in {name}"
        assert found[value].kind == KINDS[key], (name, key, found[value].kind)
    diagnostics = [d for d in outcome.diagnostics if d.code == "SE001"]
    assert all(d.line > 0 for d in diagnostics), diagnostics  # located, even in the notebook
    text = (repo / "projects/leaky" / name).read_text(encoding="utf-8").splitlines()
    for d in diagnostics:
        secret = next(s for p, s in outcome.secrets if s.masked in d.message)
        if name.endswith(".ipynb"):
            assert json.dumps(secret.value)[1:-1] in text[d.line - 1]
        else:
            assert secret.value in text[d.line - 1]


def test_no_false_positives_in_the_fixture_files(repo: Path) -> None:
    write_leaks(repo)
    outcome = run(
        load_config(repo), [Target("projects/leaky/app.py", "projects/leaky")], Settings(check=True)
    )
    values = {s.value for _, s in outcome.secrets}
    assert values == set(FAKE.values())  # not os.environ, <your-api-key>, the tokenizer name


def test_cli_reports_masked_never_in_full(repo: Path, runner: CliRunner) -> None:
    write_leaks(repo)
    for args in (
        ["clean", "--check"],
        ["clean"],
        ["check", "-q"],
        ["clean", "--check", "--format", "json"],
        ["clean", "--format", "github"],
    ):
        code, out, err = run_cli(runner, *args)
        assert code == 1, (args, out, err)
        for value in FAKE.values():
            if value != FAKE["PRIVATE"]:  # the BEGIN line is a marker, shown as is
                assert value not in out + err, (args, value)
    code, out, _ = run_cli(runner, "clean", "--check")
    assert "projects/leaky/app.py:5:17: SE001 github token: ghp_" in out
    assert "projects/leaky/leaky.ipynb:" in out and "in cell 1 output" in out


def test_image_data_is_not_scanned() -> None:
    from repofolio.clean import notebook

    nb = notebook.load((DATA / "leaky.ipynb").read_bytes()).nb
    pieces = " ".join(text for _, _, text in notebook.text_pieces(nb))
    assert "iVBORw0KGgo" not in pieces and "<Figure>" in pieces


def test_detect_secrets_plugins_find_other_formats(repo: Path) -> None:
    stripe = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    jwt = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        + "eyJzdWIiOiIxMjM0NTY3ODkwIn0."
        + "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    )
    found = secrets.scan_text(f'STRIPE = "{stripe}"\nTOKEN = "{jwt}"\n', "x.py")
    kinds = {s.value: s.kind for s in found}
    assert kinds[stripe] == "Stripe Access Key"
    # detect-secrets' JWT pattern stops before the signature: header and payload are enough
    assert [s.kind for s in found if jwt.startswith(s.value)] == ["JSON Web Token"]


def test_pragma_accepts_a_false_positive(repo: Path, runner: CliRunner) -> None:
    value = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    write_project(
        repo,
        "demo",
        good_readme(),
        {
            "a.py": f'EXAMPLE = "{value}"  # folio: allow-secret\n',
            "b.py": f'EXAMPLE = "{value}"  # pragma: allowlist secret\n',
        },
    )
    code, out, _ = run_cli(runner, "clean", "--check")
    assert code == 0 and "SE001" not in out


def test_baseline_accepts_known_findings(repo: Path, runner: CliRunner) -> None:
    write_leaks(repo)
    code, out, err = run_cli(runner, "clean", "--update-baseline")
    assert code == 0 and "Accepted" in err
    baseline = json.loads((repo / ".secrets.baseline").read_text(encoding="utf-8"))
    assert "projects/leaky/app.py" in baseline["results"]
    assert not any(v in json.dumps(baseline) for v in FAKE.values() if "PRIVATE" not in v)
    code, out, _ = run_cli(runner, "clean", "--check")
    assert "SE001" not in out
    # a new secret is still reported
    (repo / "projects/leaky/new.py").write_text(
        'SLACK = "xoxp-' + '2222222222-3333333333-abcdefabcdef"\n', encoding="utf-8"
    )
    code, out, _ = run_cli(runner, "clean", "--check")
    assert code == 1 and "projects/leaky/new.py:1:10: SE001 slack token" in out


def test_broken_baseline_is_a_warning(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "demo", good_readme())
    (repo / ".secrets.baseline").write_text("{not json", encoding="utf-8")
    code, out, _ = run_cli(runner, "clean", "--check")
    assert ".secrets.baseline: SE002 cannot read secrets baseline" in out
    assert code == 0


def test_example_projects_have_no_false_positive() -> None:
    projects = REPO_ROOT / "projects"
    if not projects.is_dir():
        pytest.fail("the repository's example projects are missing")
    cfg = load_config(REPO_ROOT)
    from repofolio.commands.clean import select_targets

    targets = select_targets(cfg, [projects])
    assert targets, "no files in the example projects"
    outcome = run(cfg, targets, Settings(check=True, format_code=False, text=False))
    assert [d.format() for d in outcome.diagnostics if d.code == "SE001"] == []


def test_clean_file_never_imports_detect_secrets(tmp_path: Path) -> None:
    sample = tmp_path / "train.py"
    sample.write_text(
        "import torch\n\ntokenizer = load('bert')\nkeys = sorted(d)\n" * 200, encoding="utf-8"
    )
    code = (
        "import sys\nfrom pathlib import Path\nfrom repofolio.clean import secrets\n"
        f"found = secrets.scan_text(Path({str(sample)!r}).read_text(), 'train.py')\n"
        "print(len(found), 'detect_secrets' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out == ["0", "False"]


@pytest.mark.parametrize(
    ("value", "masked"),
    [("ghp_" + "x" * 36, "ghp_************ (40 chars)"), ("hunter22", "******** (8 chars)")],
)
def test_mask(value: str, masked: str) -> None:
    assert secrets.mask(value) == masked


ML_TOKENS = {
    "Hugging Face token": "hf_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567",
    "OpenAI API key": "sk-proj-" + "Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp3r",
}


@pytest.mark.parametrize("kind", sorted(ML_TOKENS))
def test_ml_service_tokens(kind: str) -> None:
    value = ML_TOKENS[kind]
    found = secrets.scan_text(f'login(token="{value}")\n', "train.py")
    assert [(s.kind, s.value) for s in found] == [(kind, value)]


def test_kaggle_json_key() -> None:
    key = "0123456789abcdef" + "fedcba9876543210"
    found = secrets.scan_text('{"username": "maya", "key": "' + key + '"}\n', "kaggle.json")
    assert [(s.kind, s.value) for s in found] == [("Kaggle API key", key)]


@pytest.mark.parametrize(
    "line",
    [
        "tokenizer = AutoTokenizer.from_pretrained('bert-base-uncased')",
        "tokens = tokenizer('hello world')",
        "df['key'] = df['id'].astype(str)",
        "risk-adjusted returns for the task-specific model",
        "password = getpass.getpass()",
        "api_key = os.environ['API_KEY']",
        "d = {'key': 'value'}",
    ],
)
def test_ordinary_ml_code_is_not_a_secret(line: str) -> None:
    assert secrets.scan_text(line + "\n", "notebook.py") == []


# Literal pieces glued together: overlapping literals ("sk-us", "ghp_ghp_"), literals made
# across pieces ("pa" + "ss"), and non-ASCII text.
_PIECES = [*secrets.LITERALS, "a", "s", "pa", "ss", " ", "\n", "_", "-", ":", "//", "@", "é"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_literal_gate_finds_exactly_the_literals_present(text: str) -> None:
    low = text.lower()
    expected = tuple(x for x in secrets.LITERALS if x in low)
    assert secrets._gate(low) == (expected, "://" in low and "@" in low)


def test_literal_gate_on_the_fixtures() -> None:
    for name in FILES:
        low = fill((DATA / name).read_text(encoding="utf-8")).lower()
        found, _ = secrets._gate(low)
        assert found == tuple(x for x in secrets.LITERALS if x in low)
        assert found  # every fixture holds secrets: the gate must open
    assert secrets._gate("") == ((), False)
    assert secrets._gate("nothing to see here\n") == ((), False)
