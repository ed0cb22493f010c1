"""Front matter values are what PyYAML's safe loader gives, built in one walk, and a value that
cannot be read leaves every other value whole."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import yaml
from repofolio import frontmatter

PIECES = [
    "title: Churn model",
    "summary: 'Quoted: with a colon'",
    "date: 2024-01-05",
    "period: {start: 2023-09, end: present}",
    "tags: [ml, 'nlp', \"cv\"]",
    "n: 12",
    "f: 1.5e3",
    "yes_no: yes",
    "nothing:",
    "tilde: ~",
    "links:\n  repo: https://example.org/r\n  demo: demo.md",
    "results:\n  - F1 0.91\n  - 3x faster",
    "a: &x [1, 2]\nb: *x",
    "base: &b {p: 1}\nmerged:\n  <<: *b\n  q: 2",
    "s: !!set {a, b}",
    "o: !!omap [a: 1, b: 2]",
    "1: a number as a key",
    "t: !!str 12",
    "bin: !!binary aGVsbG8=",
    "nested:\n  - {a: [1, {b: c}]}\n  - - x\n    - y",
    "ts: 2024-01-01T10:00:00Z",
    "oct: 0o17",
    "sexagesimal: 1:20",
    "inf: .inf",
    "multi: |\n  line 1\n  line 2",
    "empty_list: []",
    "empty_map: {}",
]


def documents() -> list[str]:
    docs = ["\n".join(pair) for pair in itertools.combinations(PIECES, 2)]
    docs += ["\n".join(PIECES[i::3]) for i in range(3)]
    return docs


@pytest.mark.parametrize("text", documents())
def test_values_match_yaml_safe_load(text: str) -> None:
    fm = frontmatter.parse(f"---\n{text}\n---\n# Body\n")
    assert fm.findings == []
    assert fm.data == yaml.safe_load(text + "\n")


def test_one_unreadable_value_leaves_the_others_whole() -> None:
    text = (
        "---\n"
        "date: 2024-02-30\n"
        "period: {start: 2023-09, end: present}\n"
        "a: &x [1, 2]\n"
        "b: *x\n"
        "base: &b {p: 1}\n"
        "merged:\n  <<: *b\n  q: 2\n"
        f"big: {'9' * 5000}\n"
        "links:\n  repo: https://example.org/r\n"
        "---\n"
    )
    fm = frontmatter.parse(text)
    assert [(f.line, f.code) for f in fm.findings] == [(2, "FM007"), (10, "FM007")]
    assert fm.data == {
        "period": {"start": "2023-09", "end": "present"},
        "a": [1, 2],
        "b": [1, 2],
        "base": {"p": 1},
        "merged": {"p": 1, "q": 2},
        "links": {"repo": "https://example.org/r"},
    }


def test_key_lines_and_plain_scalars() -> None:
    fm = frontmatter.parse("---\ntitle: x\nlinks:\n  repo: 'r'\ndate: 2024-01-02\n---\nbody\n")
    assert fm.lines == {"title": 2, "links": 3, "links.repo": 4, "date": 5}
    assert fm.plain_scalars == {"title": "x", "date": "2024-01-02"}  # 'r' is quoted
    assert fm.data == {"title": "x", "links": {"repo": "r"}, "date": dt.date(2024, 1, 2)}
    assert (fm.body, fm.body_line) == ("body\n", 7)
