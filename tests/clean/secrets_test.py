"""Secrets: every fake format in every file type is found, shown masked, never printed in
full; pragmas and the baseline accept false positives; the example projects are clean."""

from __future__ import annotations

import json
import re
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


# ------------------------------------------------------------------ issue 19: real notebooks
def _b64(text: str | bytes) -> str:
    import base64

    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def _stream(text: str, name: str = "stdout") -> dict:
    return {"name": name, "output_type": "stream", "text": text}


def _display(data: dict) -> dict:
    return {"data": data, "metadata": {}, "output_type": "display_data"}


PLACES = ("markdown", "code", "stream", "html", "json")
NAMES = {  # as in the fixture app.py
    "GITHUB": "GITHUB_TOKEN",
    "AWS_ID": "aws_access_key_id",
    "AWS_SECRET": "aws_secret_access_key",
    "SLACK": "SLACK",
    "WEBHOOK": "WEBHOOK",
    "GOOGLE": "MAPS_KEY",
    "PRIVATE": "KEY",
    "PASSWORD": "db_password",
}


def held_out_notebook() -> dict:
    """Each fake token in each place a real notebook holds one: a markdown cell, a code
    cell, a stream output, a text/html output, JSON in an output."""
    cells: list[dict] = []
    for n, (key, value) in enumerate(sorted(FAKE.items())):
        assign = f"{NAMES[key]} = '{value}'"
        cells.append(
            {
                "cell_type": "markdown",
                "id": f"m{n}",
                "metadata": {},
                "source": f"# Setup\n\nUse `{assign}` here.",
            }
        )
        cells.append(
            {
                "cell_type": "code",
                "execution_count": n + 1,
                "id": f"c{n}",
                "metadata": {},
                "source": f"{assign}\nconnect()",
                "outputs": [
                    _stream(f"connected with {assign}\n"),
                    _display({"text/html": f"<pre>{assign}</pre>", "text/plain": "<HTML>"}),
                    _display({"application/json": {"config": {"value": assign}}}),
                ],
            }
        )
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _where(message: str) -> str:
    return message.rsplit(" in cell ", 1)[1]


def test_every_token_in_every_place_of_a_notebook(repo: Path) -> None:
    folder = write_project(repo, "held-out", good_readme())
    (folder / "held.ipynb").write_text(json.dumps(held_out_notebook(), indent=1), encoding="utf-8")
    outcome = run(
        load_config(repo),
        [Target("projects/held-out/held.ipynb", "projects/held-out")],
        Settings(check=True, format_code=False),
    )
    places: dict[str, set[str]] = {}
    for diagnostic, (_, secret) in zip(
        [d for d in outcome.diagnostics if d.code == "SE001"], outcome.secrets, strict=True
    ):
        assert diagnostic.line > 0, diagnostic
        places.setdefault(secret.value, set()).add(_where(diagnostic.message).split(" ", 1)[1])
    for key, value in FAKE.items():
        # source (markdown and code cells) and output (stream, html, json): all five found
        assert value in places, f"{KINDS[key]} not found"
    kinds = {value: KINDS[key] for key, value in FAKE.items()}
    assert all(s.kind == kinds[s.value] for _, s in outcome.secrets)
    counts: dict[str, int] = {}
    for _, secret in outcome.secrets:
        counts[secret.value] = counts.get(secret.value, 0) + 1
    # one finding per place: markdown, code, stream, html, json
    assert counts == {value: len(PLACES) for value in FAKE.values()}


OTHER_FORMATS = {  # a value of each format the detect-secrets plugins add
    "stripe": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "jwt": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + "eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjg",
    "gitlab": "glpat-" + "Xk3mQ9vB2nR7pL4wZ8tY",
    "gitlab runner": "glrt-" + "Xk3mQ9vB2nR7pL4wZ8tYq1",
    "sendgrid": "SG." + "aBcDeFgHiJkLmNoPqRsTuV." + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcDeFg",
    "square": "sq0csp-" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcDeFg",
    "mailchimp": "0123456789abcdef0123456789abcdef" + "-us12",
    "azure": "AccountKey=" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789" * 2 + "aBcDeFgHiJkLmNoP",
    "npm": "//registry.npmjs.org/:_authToken=" + "npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
    "pypi": "pypi-AgEIcHlwaS5vcmc" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789" * 2,
    "putty": "PuTTY-User-" + "Key-File-2: ssh-rsa",
}


def switch_texts() -> list[tuple[str, str]]:
    """Texts a speed switch must not change the findings of: the fixtures, every token in
    every notebook place, line endings, non-ASCII, basic auth, base64 text, DNA, long lines,
    the other formats, and windows that hold keywords but no plugin's literal."""
    from repofolio.clean import notebook

    texts = [(fill((DATA / name).read_text(encoding="utf-8")), name) for name in FILES]
    nb = notebook.from_data(held_out_notebook()).nb
    texts += [(piece, "held.ipynb") for _, _, piece in notebook.text_pieces(nb)]
    texts += [
        ("x = 1\r\npassword = 'Tr0ub4dor&3-horse'\r\n", "a.py"),
        ("İstanbul token = 'ghp_" + "R7bK2mQ9xW4pL8vN3cT6yH1jF5dS0aZgUeXo'\n", "a.py"),
        ("PAſſWORD = 'Tr0ub4dor&3-horse'\n", "a.py"),  # "ſ" matches "s" in detect-secrets
        ("url = 'https://maya:s3cr3tpass@db.example.org/x'\n", "a.py"),
        (f'<img src="data:text/plain;base64,{_b64("token = " + repr(FAKE["GITHUB"]))}">', "a.md"),
        ("ACCA" + "GTTCAGGTTACCAGTA and AKIA" + "Q4TZ7NB2XK5LMW3P\n" * 3, "a.txt"),
        ("key = 'value'  " * 2000 + "\n", "long.py"),
        ('e={token:"ident",value:t};f={token:"operator-name",value:u}\n' * 40, "plotly.ipynb"),
        ('r.on("keydown",function(t){t.preventDefault()});x={secret:"abc"}\n', "plotly.ipynb"),
        ("access_token = 'aBcDeFgHiJkLmNoP'\nauth_token: 'aBcDeFgHiJkLmNoPq'\n", "a.py"),
        ("aws_token = '" + "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzQ8vT2LmKe'\n", "a.py"),
        ('db_secret_value = "Tr0ub4dor&3horse"\n', "a.py"),  # the keyword plugin's alone
    ]
    texts += [
        (f'{name.upper().replace(" ", "_")} = "{value}"\n', "x.py")
        for name, value in OTHER_FORMATS.items()
    ]
    texts += [(f"{name}: {value}\n", "c.yaml") for name, value in OTHER_FORMATS.items()]
    return texts


@pytest.mark.parametrize(
    "switch", ["JUMP_TO_HITS", "PLUGIN_GATE", "PREFILTER_BY_LITERAL", "ASCII_AS_BYTES"]
)
def test_scan_is_the_same_with_a_speed_switch_off(
    monkeypatch: pytest.MonkeyPatch, switch: str
) -> None:
    """JUMP_TO_HITS, PLUGIN_GATE, PREFILTER_BY_LITERAL and ASCII_AS_BYTES are speed
    switches: off, every line is looked at (every plugin runs on every window, the whole
    prefilter on every text, the str automaton on ASCII text), with the same findings."""
    texts = switch_texts()
    fast = [secrets.scan_text(text, name) for text, name in texts]
    monkeypatch.setattr(secrets, switch, False)
    slow = [secrets.scan_text(text, name) for text, name in texts]
    assert fast == slow
    assert sum(map(len, fast)) >= 80  # the comparison is about findings, not empty lists
    kinds = {s.kind for found in fast for s in found}
    assert {
        "Azure Storage Account access key",
        "JSON Web Token",
        "Mailchimp Access Key",
        "NPM tokens",
        "PyPI Token",
        "Secret Keyword",
        "SendGrid API Key",
        "Square OAuth Secret",
        "Stripe Access Key",
    } <= kinds


def _plugin_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every pattern of every detect-secrets plugin we run, with the plugin's module."""
    import importlib

    from detect_secrets.plugins import keyword

    found = []
    for module, name, _ in secrets.PLUGINS:
        cls = getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)
        patterns = list(getattr(cls, "denylist", ()))
        if module == "keyword":
            tables = [
                *keyword.REGEX_BY_FILETYPE.values(),
                keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
            ]
            patterns = list({regex.pattern: regex for table in tables for regex in table}.values())
        assert patterns, module
        found += [(module, pattern) for pattern in patterns]
    return found


@pytest.mark.parametrize(
    ("module", "pattern"), _plugin_patterns(), ids=lambda v: getattr(v, "pattern", v)[:40]
)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_plugin_gate_opens_on_every_match_of_its_patterns(
    module: str, pattern: re.Pattern[str], data: st.DataObject
) -> None:
    """PLUGIN_GATE skips a plugin on a window without its literals: every string a pattern
    of the plugin matches (ASCII; other text runs every plugin) holds one of them."""
    text = data.draw(st.from_regex(pattern, alphabet=st.characters(codec="ascii")))
    assert module in secrets.needed_plugins(text)
    assert module in secrets.needed_plugins(text + " é")  # not ASCII: folded, still opens
    # any text, the characters that match an ASCII letter under IGNORECASE included
    wide = data.draw(
        st.from_regex(pattern, alphabet=st.characters(exclude_categories=["Cs"])), label="wide"
    )
    assert module in secrets.needed_plugins(wide)


def test_ascii_fold_holds_every_character_that_matches_an_ascii_letter() -> None:
    """_ASCII_FOLD is complete: every code point Python's re matches to an ASCII letter
    under IGNORECASE (the keyword plugin's "(?i)password" matches "paſsword")."""
    import string

    every = "".join(chr(c) for c in range(128, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    found = {
        m.group(): letter
        for letter in string.ascii_lowercase
        for m in re.finditer(f"(?i){letter}", every)
    }
    assert found == secrets._ASCII_FOLD


def test_gate_patterns_are_the_plugins_own() -> None:
    from detect_secrets.plugins.basic_auth import BasicAuthDetector
    from detect_secrets.plugins.jwt import JwtTokenDetector

    assert [r.pattern for r in BasicAuthDetector.denylist] == [secrets.GATE_PATTERNS["basic_auth"]]
    assert [r.pattern for r in JwtTokenDetector.denylist] == [secrets.GATE_PATTERNS["jwt"]]
    from detect_secrets.plugins import keyword

    assert keyword.DENYLIST == secrets.KEYWORD_DENYLIST


def test_gate_on_real_shaped_windows_imports_no_plugin() -> None:
    """What opened detect-secrets on real notebooks, and needs none of its plugins: a
    sklearn <style> with a non-ASCII character, minified JavaScript with a URL and an "@",
    a widget id in hex that starts with "acca", a JWT-looking word in lower case."""
    windows = [
        "<style>#sk-9b54 {color: black;}\n#sk-9b54 pre{padding: 0;} /* – */ token: x",
        'M=/^(\\w+):\\/\\/([^\\/?]*)/;e="access_token="+t;x.y="@media"',
        '    "accabe33802e4865a0fec03c04511282": {',
        "var eyjafjallajokull = 1;",
        "t.sankeyRight=function(t,e){return e-1-t.height},t.sankeyJustify=a,t.x=1",
        'throw new Error("Use a public access token (pk.*), not a secret access token (sk.*)")',
    ]
    assert [secrets.needed_plugins(w) for w in windows] == [frozenset()] * 6
    assert secrets.needed_plugins("url = 'https://maya:s3cr3t@db.example.org'") == {"basic_auth"}
    assert secrets.needed_plugins("ıd = 'AKIA" + "Q4TZ7NB2XK5LMW3P'") == {"aws"}
    assert "keyword" in secrets.needed_plugins("PAſſWORD = 'Tr0ub4dor&3-horse' – é")


def test_folded_keyword_is_found() -> None:
    """A keyword written with a character that matches an ASCII letter ("ſ" for "s") is a
    keyword: the first gate folds it, and the finding is where it is in the text."""
    found = secrets.scan_text("x = 1\nPAſſWORD = 'Tr0ub4dor&3-horse'\n", "a.py")
    assert [(s.line, s.value) for s in found] == [(2, "Tr0ub4dor&3-horse")]


def test_minified_javascript_never_imports_detect_secrets() -> None:
    """A window the prefilter opens (`token:"ident"`) that no plugin can match: findings
    from our own patterns only, and detect-secrets is not imported."""
    code = (
        "import sys\nfrom repofolio.clean import secrets\n"
        'text = \'e={token:"ident",value:t};r.on("keydown",f);\' * 100\n'
        "text += \" password = 'Tr0ub4dor&3-horse'\"\n"
        "found = secrets.scan_text(text[:-40] + '\\n', 'plotly.ipynb')\n"
        "print(len(found), 'detect_secrets' in sys.modules)\n"
        "found = secrets.scan_text(text, 'plotly.ipynb')\n"
        "print(len(found), 'detect_secrets' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out == ["0", "False", "1", "True"]


def test_dna_is_no_aws_key() -> None:
    primers = "\n".join(
        ["ACCA" + "GTTCAGGTTACCAGTA", "ACCA" + "TGCAATCATCACCGCT", "ACCAAT" + "CACCAGATACACGG"]
    )
    fasta = ">NR_024570.1 16S\n" + ("ACCA" + "GTACGTTAGCCATGCA" * 4 + "\n") * 50
    table = "primer,tm\n" + "\n".join(f"ACCA{s},61.2" for s in ("GTTCAGGTTACCAGTA",) * 3)
    for text in (primers, fasta, table, f"seqs = ['{'ACCA' + 'GGTTAACCGGTTAACC'}']\n"):
        assert secrets.scan_text(text, "genomics.ipynb") == [], text[:40]
    # a key id in a key's context is still one, in code, .env and YAML
    key = FAKE["AWS_ID"]
    for text, name in (
        (f'aws_access_key_id = "{key}"\n', "a.py"),
        (f"AWS_KEY={key}\n", ".env"),
        (f"access_key_id: {key}\n", "c.yaml"),
    ):
        assert [(s.kind, s.value) for s in secrets.scan_text(text, name)] == [
            ("AWS access key", key)
        ], name
    assert secrets.could_be_key_id(key) and not secrets.could_be_key_id("ACCA" + "GTTCAGGTTACCAGTA")


def test_base64_media_is_not_scanned_as_text() -> None:
    key = FAKE["AWS_ID"]
    # binary-looking base64 that happens to hold a key id, in every shape notebooks embed it
    blob = _b64(bytes(range(256)) * 40)
    planted = blob[:500] + "+" + key + "/" + blob[500:]
    wrapped = "\n".join(planted[i : i + 76] for i in range(0, len(planted), 76))
    shapes = [
        f'<img src="data:image/png;base64,{planted}">',  # an HTML output
        f"![plot](data:image/png;base64,{planted})",  # a markdown cell
        f'<video controls><source type="video/mp4" src="data:video/mp4;base64,{wrapped}">',
        f'frames[0] = "data:image/png;base64,{wrapped.replace(chr(10), chr(92) + chr(10))}"',
        planted,  # a bare run
        wrapped,  # base64.encodebytes, printed
    ]
    for text in shapes:
        assert secrets.scan_text(text, "anim.ipynb") == [], text[:60]
    # while the same key beside the data, in text, is found
    found = secrets.scan_text(f'<img src="data:image/png;base64,{blob}"> AWS_KEY="{key}"', "a.md")
    assert [(s.kind, s.value) for s in found] == [("AWS access key", key)]
    assert found[0].col == len(f'<img src="data:image/png;base64,{blob}"> AWS_KEY="') + 1


def test_base64_text_is_decoded_binary_is_not() -> None:
    leak = f"GITHUB_TOKEN = '{FAKE['GITHUB']}'\n"
    text = f'see <a href="data:text/plain;base64,{_b64(leak)}">config</a>'
    found = secrets.scan_text("intro\n" + text, "page.md")
    assert [(s.line, s.col, s.kind, s.value) for s in found] == [
        (2, 14, "GitHub token in base64 data", FAKE["GITHUB"])
    ]
    assert found[0].found_as.startswith("data:text/plain;base64,")
    # the same bytes under an image MIME type are not decoded, nor is binary data
    assert secrets.scan_text(text.replace("text/plain", "image/png"), "page.md") == []
    binary = _b64(b"\x89PNG\r\n\x1a\n" + leak.encode() * 20)
    assert secrets.scan_text(f"data:application/octet-stream;base64,{binary}", "x.md") == []
    assert secrets.scan_text(f"data:;base64,{binary}", "x.md") == []  # not text: not decoded


def test_a_long_token_assigned_is_not_taken_for_data() -> None:
    token = "FwoGZXIvYXdzE" + "A" * 300 + "Q=="  # session tokens run to 400+ characters
    for text, name in ((f'api_key = "{token}"\n', "a.py"), (f"AWS_SECRET_KEY={token}\n", ".env")):
        found = secrets.scan_text(text, name)
        assert [(s.kind, s.value) for s in found] == [("password assignment", token)], name


def test_work_is_bounded_per_line() -> None:
    """Windows of bounded length over a 1 MB line, overlapping by a bounded amount."""
    size = 1_000_000
    windows = secrets.windows(0, size)
    longest = max(to - start for _, _, start, to in windows)
    assert longest <= secrets.CONTEXT + secrets.WINDOW + secrets.OVERLAP <= 2 * secrets.LINE_MAX
    assert sum(to - start for _, _, start, to in windows) <= 1.3 * size
    kept = [(lo, hi) for lo, hi, _, _ in windows]  # every character kept by one window
    assert kept[0][0] == 0 and kept[-1][1] == size
    assert all(a[1] == b[0] for a, b in zip(kept, kept[1:], strict=False))
    assert secrets.windows(0, secrets.LINE_MAX) == [(0, secrets.LINE_MAX, 0, secrets.LINE_MAX)]


PATHOLOGICAL = {
    "keywords": "password" * 125_000,
    "keyword runs with values": ("secret" * 150 + "='Tr0ub4dor&3-horse' ") * 1_100,
    "dotted names": "a." * 500_000,
    "key prefixes": "sk-" * 333_334,
    "url parts": "://a:" * 200_000,
    "key ids": "AKIA" * 250_000,
    "quotes": "'key': '" * 125_000,
    "config line": "api_key" + "_x" * 500_000 + " = value",
}


def test_pathological_megabyte_lines_finish() -> None:
    """Each 1 MB line in a child process with a generous bound: quadratic work on one of
    them takes hours, linear work seconds."""
    code = (
        "import json, sys, time\nfrom repofolio.clean import secrets\n"
        "cases = json.load(sys.stdin)\nout = {}\n"
        "for name, text in cases.items():\n"
        "    start = time.process_time()\n"
        "    found = secrets.scan_text(text, 'x.env' if 'config' in name else 'x.py')\n"
        "    out[name] = [len(found), time.process_time() - start]\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(PATHOLOGICAL),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result = json.loads(proc.stdout)
    assert all(len(text) >= 1_000_000 for text in PATHOLOGICAL.values())
    assert result["keyword runs with values"][0] >= 1  # the values are still found
    assert result["keywords"][0] == 0 and result["dotted names"][0] == 0


_BRANCHES = [
    *((branch, literals, (False, True)) for branch, literals in secrets._TRIGGER_BRANCHES),
    (secrets._ASSIGNED_CODE, secrets._KEYWORD_LITERALS, (False,)),
    (secrets._ASSIGNED_CONFIG, secrets._KEYWORD_LITERALS, (True,)),
]


@pytest.mark.parametrize(("branch", "literals", "configs"), _BRANCHES, ids=lambda v: str(v)[:30])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_each_prefilter_alternative_holds_its_literals(
    branch: str, literals: tuple[str, ...], configs: tuple[bool, ...], data: st.DataObject
) -> None:
    """PREFILTER_BY_LITERAL leaves out an alternative whose literals a text lacks: every
    match of an alternative, lowercased as the text is, holds one of them (the basic-auth
    one a "://" and an "@"), and the text's own prefilter keeps it."""
    text = data.draw(st.from_regex(branch, fullmatch=True))
    low = secrets._lower(text)
    if literals:
        assert any(x in low for x in literals), (branch, text)
    else:
        assert "://" in low and "@" in low
    found, basic = secrets._gate(low)
    for config in configs:  # the prefilter of code files, of config files, or both
        assert secrets._prefilter_of(found, basic, config).search(low) is not None


@given(st.text(alphabet="akiasecrtp_-kyeé€KſİAKIAXYZ\n =\"'", max_size=300))
@settings(max_examples=300, deadline=None)
def test_ascii_text_searched_as_bytes_gives_the_str_automaton_s_hits(text: str) -> None:
    """ASCII_AS_BYTES: the bytes automaton's hits on ASCII text are the str automaton's
    (same literal, same character offsets); other text still goes to the str one."""
    low = secrets._lower(text)
    hits = secrets._hits(low)
    assert hits == secrets._automaton().find_matches_as_indexes(low, overlapping=True)
    if low.isascii():
        assert hits == secrets._byte_automaton().find_matches_as_indexes(
            low.encode("ascii"), overlapping=True
        )
