"""`folio journal private add/remove/list/migrate`, JR012, and the example portfolio's digests.

On a newcomer's repository (folio.toml) and on a pyproject.toml kept by hand; the example
portfolio's own site is built and searched with its committed digests (its former names are
written nowhere, this test included).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from conftest import run_cli
from repofolio import privacy
from repofolio.cli import main
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.journal import publishable

ROOT = Path(__file__).resolve().parents[2]
DIGESTS = Path(".folio/private-names")

PLAIN = """\
[journal]
# the companies of my search
private = [
  "Initech",
  "Globex Corp",
]
private-people = ["Bill Lumbergh"]  # the recruiter
replacement = "a firm"
"""


def entry(root: Path, text: str, day: str = "2026-11-20") -> None:
    path = root / "docs" / "journal" / "posts" / f"{day}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ndate: {day}\n---\n\n# A day\n\n{text}\n", encoding="utf-8")


def check_lines(runner: CliRunner, code: str) -> list[str]:
    out = run_cli(runner, "check")[1]
    return [line for line in out.splitlines() if f" {code} " in line]


def test_add_list_remove(new_user_repo: Path, runner: CliRunner) -> None:
    code, out, err = run_cli(runner, "journal", "private", "list")
    assert code == 0 and "No .folio/private-names yet" in out
    assert run_cli(runner, "journal", "private", "add", "Initech")[0] == 0
    code, _, err = run_cli(runner, "journal", "private", "add", "Sam Roe", "--person")
    assert code == 0 and "Added a person (S*m R*e, 2 words)" in err
    code, _, err = run_cli(runner, "journal", "private", "add", "INITECH")
    assert code == 0 and "I*****H is in .folio/private-names already." in err
    code, out, _ = run_cli(runner, "journal", "private", "list")
    assert out == (
        ".folio/private-names: 2 private names as digests: 1 company, 1 person (and 2 first "
        "or family names alone)\n"
    )
    text = (new_user_repo / DIGESTS).read_text(encoding="utf-8")
    assert "initech" not in text.casefold() and "roe" not in text.casefold()
    entry(new_user_repo, "Coffee with Roe, then Initech's screen.")
    assert len(check_lines(runner, "JR011")) == 2
    code, _, err = run_cli(runner, "journal", "private", "remove", "sam roe")
    assert code == 0 and "Removed s*m r*e" in err
    assert [line.split(" JR011 ")[0] for line in check_lines(runner, "JR011")] == [
        "docs/journal/posts/2026-11-20.md:7:23:"
    ]
    assert run_cli(runner, "journal", "private", "remove", "Sam Roe")[0] == 1
    assert (new_user_repo / DIGESTS).read_text(encoding="utf-8").count("\npart ") == 0


def test_migrate_moves_the_plain_names_and_changes_only_those_lines(
    new_user_repo: Path, runner: CliRunner
) -> None:
    toml = new_user_repo / "folio.toml"
    before = toml.read_bytes().replace(b"\n", b"\r\n")  # CRLF, kept
    toml.write_bytes(before + PLAIN.replace("\n", "\r\n").encode())
    entry(new_user_repo, "Bill called from Initech; Globex\nCorp wrote.")
    warned = check_lines(runner, "JR012")
    line = before.count(b"\n") + 3
    assert warned == [
        f"folio.toml:{line}:1: JR012 [tool.folio.journal] private lists 2 names in plain text in "
        "a committed file, which publishes them: run 'folio journal private migrate' (salted "
        "digests in .folio/private-names instead)",
        f"folio.toml:{line + 4}:1: JR012 [tool.folio.journal] private-people lists 1 name in "
        "plain text in a committed file, which publishes them: run 'folio journal private "
        "migrate' (salted digests in .folio/private-names instead)",
    ]
    assert len(check_lines(runner, "JR011")) == 3

    code, _, err = run_cli(runner, "journal", "private", "migrate", "--check")
    assert code == 1 and "Would add 3 names" in err
    assert toml.read_bytes().endswith(PLAIN.replace("\n", "\r\n").encode())  # unchanged
    assert not (new_user_repo / DIGESTS).exists()
    code, _, err = run_cli(runner, "journal", "private", "migrate")
    assert code == 0, err
    assert "Added 3 names (as digests) to .folio/private-names; deleted" in err
    assert toml.read_bytes() == before + (
        b'[journal]\r\n# the companies of my search\r\nreplacement = "a firm"\r\n'
    )
    assert check_lines(runner, "JR012") == []
    # the same names, caught from the digests now
    assert len(check_lines(runner, "JR011")) == 3
    cfg = load_config(new_user_repo)
    assert publishable("Bill called from Initech", cfg) == "a contact called from a firm"
    assert run_cli(runner, "journal", "private", "migrate")[0] == 0  # nothing left to do


def test_migrate_on_a_pyproject_toml_and_the_names_of_an_older_store(
    repo: Path, runner: CliRunner
) -> None:
    """A store written before the digests existed: migrate takes its names too."""
    from repofolio.pipeline import model, store
    from repofolio.pipeline.location import store_path

    pyproject = repo / "pyproject.toml"
    original = pyproject.read_text(encoding="utf-8")
    text = original + '\n[tool.folio.journal]\nprivate = ["Initech"]\n\n[tool.other]\nx = 1\n'
    pyproject.write_text(text, encoding="utf-8")
    cfg = load_config(repo)
    pipeline = model.Pipeline()
    model.add_application(pipeline, "Hooli", "ML Engineer", day=dt.date(2026, 11, 2))
    model.add_contact(pipeline, "Peter Gibbons", day=dt.date(2026, 11, 2))
    store.save(store_path(cfg), pipeline)
    (repo / "README.md").write_text(
        "# Me\n\n<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n", encoding="utf-8"
    )
    code, _, err = run_cli(runner, "index")
    assert (
        code == 1
        and (
            "folio: warning: 2 names of the pipeline's store are not in .folio/private-names: "
            "hidden here, published by CI"
        )
        in err
    )
    code, _, err = run_cli(runner, "journal", "private", "migrate")
    assert code == 0, err
    assert "warning" not in run_cli(runner, "index")[2]
    assert pyproject.read_text(encoding="utf-8") == original + (
        "\n[tool.folio.journal]\n\n[tool.other]\nx = 1\n"
    )
    code, out, _ = run_cli(runner, "journal", "private", "list", "--format", "json")
    assert json.loads(out)["companies"] == 2 and json.loads(out)["people"] == 1


def test_a_key_a_line_edit_cannot_remove_is_refused_and_nothing_is_written(
    new_user_repo: Path, runner: CliRunner
) -> None:
    toml = new_user_repo / "folio.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + 'journal = { private = ["Initech"] }\n',
        encoding="utf-8",
    )
    before = toml.read_bytes()
    code, _, err = run_cli(runner, "journal", "private", "migrate")
    assert code == 2
    assert err.startswith("folio: error: folio.toml: [journal] private: written in a form")
    assert toml.read_bytes() == before and not (new_user_repo / DIGESTS).exists()


def test_a_bad_digests_file_is_one_line_for_check_and_build(
    new_user_repo: Path, runner: CliRunner
) -> None:
    (new_user_repo / ".folio").mkdir()
    (new_user_repo / DIGESTS).write_text("salt 12\n", encoding="utf-8")
    readme = new_user_repo / "README.md"
    regions = "\n<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n"
    readme.write_text(readme.read_text(encoding="utf-8") + regions, encoding="utf-8")
    entry(new_user_repo, "A quiet day.")
    for args in (("check",), ("index",), ("journal", "private", "list")):
        result = runner.invoke(main, list(args))
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr == (
            "folio: error: .folio/private-names:1: the salt must be 32 hexadecimal digits\n"
        )


def test_the_example_portfolio_publishes_none_of_its_private_names(tmp_path: Path) -> None:
    """From the digests alone: no window of words of any published byte matches one."""
    cfg = load_config(ROOT)
    digests = privacy.load(ROOT)
    assert digests is not None
    assert digests.counts() == {"company": 6, "person": 1, "part": 2}
    assert not cfg.journal.private and not cfg.journal.private_people  # no plain text left
    matcher = privacy.matcher(digests)
    portfolio = load_portfolio(cfg)
    assert len(portfolio.journal) >= 15
    for item in portfolio.journal:
        # the files themselves (public on GitHub) and what is published from them
        assert matcher.spans(item.text) == [], item.rel
        assert matcher.spans(publishable(item.text, cfg)) == [], item.rel
    assert matcher.spans((ROOT / "README.md").read_text(encoding="utf-8")) == []
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["-C", str(ROOT), "build", "--no-check", "-d", str(out)])
    assert result.exit_code == 0, result.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "search_index.json" for p in files)
    for path in files:
        text = path.read_bytes().decode("utf-8", "replace")
        assert matcher.spans(text) == [], path.relative_to(out)


def test_check_finds_names_from_the_digests_without_a_heavy_import(
    new_user_repo: Path, runner: CliRunner
) -> None:
    from conftest import folio_importtime

    assert run_cli(runner, "journal", "private", "add", "Initech")[0] == 0
    entry(new_user_repo, "Screen at Initech.")
    proc, imported = folio_importtime(new_user_repo, "check", timeout=60)
    assert proc.returncode == 1 and "JR011 a private company name (I*****h)" in proc.stdout
    # no store is read on this path: no platformdirs, no json; no secrets (the salt is read)
    assert sorted({"platformdirs", "json", "tempfile", "secrets"} & imported) == []
    assert "_blake2" in imported  # the probe sees the digests' import at all
    assert "_hashlib" not in imported  # hashlib's BLAKE2b, without OpenSSL


def test_a_text_found_clean_is_remembered_for_those_names_only(
    new_user_repo: Path, runner: CliRunner
) -> None:
    import dataclasses

    assert run_cli(runner, "journal", "private", "add", "Initech")[0] == 0
    cfg = load_config(new_user_repo)
    text = "A day at Hooli and at Initech."
    assert publishable(text, cfg) == "A day at Hooli and at a company."
    clean = "A quiet day with Hooli's docs."
    assert publishable(clean, cfg) == clean
    cache = new_user_repo / ".folio-cache" / "privacy"
    assert list(cache.glob("clean-*.txt")) == []  # written when the run is done, not before
    privacy.save_clean_texts()
    (first,) = cache.glob("clean-*.txt")
    assert first.read_text(encoding="ascii") == privacy.CleanTexts.key(clean) + "\n"
    assert publishable(clean, cfg) == clean  # from the cache: nothing appended
    privacy.save_clean_texts()
    assert first.read_text(encoding="ascii").count("\n") == 1
    # other names: the text once clean is scanned again, and the old file goes
    assert run_cli(runner, "journal", "private", "add", "Hooli")[0] == 0
    assert publishable(clean, cfg) == "A quiet day with a company's docs."
    assert publishable("nothing", cfg) == "nothing"
    privacy.save_clean_texts()
    assert [p.name for p in cache.glob("clean-*.txt")] != [first.name]
    assert not first.exists()
    off = dataclasses.replace(cfg, journal=dataclasses.replace(cfg.journal, redaction_cache=False))
    assert publishable(text, off) == "A day at a company and at a company."
