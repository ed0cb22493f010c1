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


# The line (in the file: the opening '---' is line 1) where each YAML mistake is, and the
# message's start. An error PyYAML notices only at the end of the YAML is never put on the
# closing '---': it goes where the unclosed quote or bracket opens.
YAML_ERRORS = [
    ("title: a\nsummary: b: c\ndate: 2024", 3, 11, "mapping values are not allowed"),
    ('title: a\nsummary: "unclosed\ndate: 2024-01-01\ntags: [a]', 3, 10, "the quote that opens"),
    ("title: 'abc\n\nq: 1", 2, 8, "the quote that opens here is never closed"),
    ("x: 1\ny: 2\nz: 3\ntags: [a, b", 5, 7, "the '[' here is never closed with ']'"),
    ("links: {repo: x\n", 2, 8, "the '{' here is never closed with '}'"),
    ("title: [a\nsummary: x", 3, 8, "did not find expected ',' or ']' (the flow sequence"),
    ("title: a\n  bad: indent\nx: 1", 3, 6, "mapping values are not allowed"),
    ("a: 1\nb: 2\n\tc: 3", 4, 1, "found a tab character"),
    ("a: 1\nb: |\n  x\n c: 2", 5, 2, "did not find expected key"),
    ('key: "a\\q"', 2, 8, "found unknown escape character"),
]


@pytest.mark.parametrize(("yaml_text", "line", "col", "message"), YAML_ERRORS)
def test_fm003_points_at_the_line_of_the_mistake(
    yaml_text: str, line: int, col: int, message: str
) -> None:
    text = f"---\n{yaml_text}\n---\n# Body\n"
    closing = text.splitlines().index("---", 1) + 1
    fm = frontmatter.parse(text)
    assert [(f.line, f.col, f.code) for f in fm.findings] == [(line, col, "FM003")]
    assert fm.findings[0].message.startswith(f"invalid YAML: {message}")
    assert fm.findings[0].line != closing
