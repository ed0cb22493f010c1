"""repofolio.tomledit: a key's lines deleted, every other byte of the file kept."""

from __future__ import annotations

import pytest
from repofolio.tomledit import remove_key

TABLE = ("tool", "folio", "journal")

PYPROJECT = """\
[project]
name = "mine"   # keep this comment
dependencies = [
  "private",  # a value that looks like the key
]

[tool.folio.journal]
# my own comment, kept
tags = ["a", "b"]
private = [
  "Initech",   # a comment inside
  "Globex ]",  # a bracket in a string
]
replacement = "a firm"

[tool.folio.index]
private = ["not this table"]
"""


def test_a_multiline_array_goes_and_every_other_byte_stays() -> None:
    new = remove_key(PYPROJECT, TABLE, "private")
    lines = (
        'private = [\n  "Initech",   # a comment inside\n  "Globex ]",  # a bracket in a string\n'
        "]\n"
    )
    assert lines in PYPROJECT
    assert new == PYPROJECT.replace(lines, "")


def test_crlf_a_dotted_key_and_a_quoted_key() -> None:
    text = '[tool.folio]\r\nowner = "Me"\r\njournal.private = ["Initech"]\r\n\r\n[x]\r\ny = 1\r\n'
    kept = '[tool.folio]\r\nowner = "Me"\r\n\r\n[x]\r\ny = 1\r\n'
    assert remove_key(text, TABLE, "private") == kept
    quoted = '[tool.folio.journal]\n"private-people" = ["Jane"] # hers\nz = 2\n'
    assert remove_key(quoted, TABLE, "private-people") == "[tool.folio.journal]\nz = 2\n"


def test_a_folio_toml_table_and_a_missing_key() -> None:
    text = '[journal]\nprivate = ["Initech"]\n'
    assert remove_key(text, ("journal",), "private") == "[journal]\n"
    assert remove_key(text, ("journal",), "private-people") is None


def test_an_inline_table_is_refused_rather_than_guessed() -> None:
    text = '[tool.folio]\njournal = { private = ["Initech"], tags = ["a"] }\n'
    with pytest.raises(ValueError, match="inline table"):
        remove_key(text, TABLE, "private")
