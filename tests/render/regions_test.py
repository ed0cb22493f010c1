"""Generated regions: bytes outside the markers are kept; bad markers are errors, never guesses."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from repofolio.cli import main
from repofolio.errors import FolioError
from repofolio.render.regions import (
    RegionError,
    find_regions,
    newline_of,
    replace_regions,
    stale_regions,
)

S = "<!-- folio:{}:start -->"
E = "<!-- folio:{}:end -->"


def test_replaces_only_between_markers() -> None:
    text = f"# Title\n\nintro\n{S.format('a')}\nold\nbody\n{E.format('a')}\noutro\n"
    out = replace_regions(text, {"a": "new"}, "README.md")
    assert out == f"# Title\n\nintro\n{S.format('a')}\nnew\n{E.format('a')}\noutro\n"


def test_crlf_stays_crlf_and_missing_final_newline_stays_missing() -> None:
    text = f"top\r\n{S.format('a')}\r\n{E.format('a')}\r\nbottom"
    out = replace_regions(text, {"a": "line 1\nline 2\n"}, "R.md")
    assert out == f"top\r\n{S.format('a')}\r\nline 1\r\nline 2\r\n{E.format('a')}\r\nbottom"
    assert "\n" not in out.replace("\r\n", "")


def test_empty_body_and_markers_on_one_line() -> None:
    text = f"x {S.format('a')}{E.format('a')} y\n"
    once = replace_regions(text, {"a": ""}, "R.md")
    assert once == f"x {S.format('a')}\n{E.format('a')} y\n"
    assert replace_regions(once, {"a": ""}, "R.md") == once


def test_indent_of_end_marker_is_kept() -> None:
    text = f"- item\n  {S.format('a')}\n  old\n  {E.format('a')}\n"
    out = replace_regions(text, {"a": "new"}, "R.md")
    assert out == f"- item\n  {S.format('a')}\nnew\n  {E.format('a')}\n"
    assert replace_regions(out, {"a": "new"}, "R.md") == out


def test_other_regions_are_left_alone() -> None:
    text = f"{S.format('a')}\nA\n{E.format('a')}\n{S.format('other')}\nmine\n{E.format('other')}\n"
    out = replace_regions(text, {"a": "B"}, "R.md")
    assert f"{S.format('other')}\nmine\n{E.format('other')}" in out
    assert "\nB\n" in out


def test_markers_in_code_are_text() -> None:
    text = (
        f"Use `{S.format('a')}` and `{E.format('a')}` in your README:\n\n"
        f"```markdown\n{S.format('a')}\n{E.format('a')}\n```\n\n"
        f"~~~\n{S.format('a')}\n~~~\n"
        f"{S.format('a')}\nold\n{E.format('a')}\n"
    )
    out = replace_regions(text, {"a": "new"}, "R.md")
    assert out == text.replace("\nold\n", "\nnew\n")
    assert find_regions(text, "R.md")["a"].start_line == 11


MALFORMED = [
    # (case id, text, expected message start)
    ("missing", "no markers here\n", "R.md:1: region 'a' is missing"),
    ("start-without-end", f"x\n{S.format('a')}\nbody\n", "R.md:2: <!-- folio:a:start --> has no"),
    ("end-without-start", f"x\n\n{E.format('a')}\n", "R.md:3: <!-- folio:a:end --> has no"),
    (
        "duplicate",
        f"{S.format('a')}\n{E.format('a')}\n{S.format('a')}\n{E.format('a')}\n",
        "R.md:3: duplicate <!-- folio:a:start -->",
    ),
    (
        "nested",
        f"{S.format('a')}\n{S.format('b')}\n{E.format('b')}\n{E.format('a')}\n",
        "R.md:2: <!-- folio:b:start --> is nested inside region 'a'",
    ),
    (
        "crossed",
        f"{S.format('a')}\n{E.format('b')}\n",
        "R.md:2: <!-- folio:b:end --> does not close region 'a'",
    ),
    (
        "end-before-start",
        f"{E.format('a')}\n{S.format('a')}\n",
        "R.md:1: <!-- folio:a:end --> has no matching start",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED]
)
def test_malformed_markers_raise_with_path_and_line(text: str, message: str) -> None:
    with pytest.raises(RegionError) as info:
        replace_regions(text, {"a": "new"}, "R.md")
    assert str(info.value).startswith(message)
    assert isinstance(info.value, FolioError)  # exit 2 in the CLI, no traceback


def test_generated_text_with_a_marker_is_refused() -> None:
    text = f"{S.format('a')}\n{E.format('a')}\n"
    with pytest.raises(RegionError, match="contains a folio marker"):
        replace_regions(text, {"a": f"evil {E.format('a')}"}, "R.md")


def test_stale_regions_names_the_changed_ones() -> None:
    text = f"{S.format('a')}\nA\n{E.format('a')}\n{S.format('b')}\nB\n{E.format('b')}\n"
    new = replace_regions(text, {"a": "A", "b": "changed"}, "R.md")
    assert [r.name for r in stale_regions(text, new, "R.md")] == ["b"]


def test_newline_of() -> None:
    assert newline_of("a\r\nb\n") == "\r\n"
    assert newline_of("a\nb\r\n") == "\n"
    assert newline_of("") == "\n"


# -- properties ------------------------------------------------------------------------------

# Owner text: any characters (CR, LF, unicode, '<!--') except what opens code or a marker.
outside = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="`~"),
    max_size=200,
).filter(lambda s: "folio:" not in s)
body = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200).filter(
    lambda s: "folio:" not in s
)


@settings(max_examples=300, deadline=None)
@given(
    before=outside,
    middle=outside,
    after=outside,
    old_a=body,
    old_b=body,
    new_a=body,
    new_b=body,
    crlf=st.booleans(),
)
def test_property_regenerate_is_idempotent_and_keeps_outside(
    before: str,
    middle: str,
    after: str,
    old_a: str,
    old_b: str,
    new_a: str,
    new_b: str,
    crlf: bool,
) -> None:
    nl = "\r\n" if crlf else "\n"
    # markers on their own lines, as a README has them
    start_a, end_a = nl + S.format("projects"), E.format("projects") + nl
    start_b, end_b = nl + S.format("journal"), E.format("journal") + nl
    text = (
        before
        + start_a
        + nl
        + old_a
        + nl
        + end_a
        + middle
        + start_b
        + nl
        + old_b
        + nl
        + end_b
        + after
    )
    try:
        find_regions(text, "R.md")
    except RegionError:
        assume(False)  # an old body with an unclosed code fence: not well-formed
    regions = {"projects": new_a, "journal": new_b}
    try:
        once = replace_regions(text, regions, "R.md")
    except RegionError as exc:
        # the only refusal of well-formed input: a new body that would open a code fence
        assert "code fence" in str(exc)
        assert any(c in new_a + new_b for c in "`~")
        return
    twice = replace_regions(once, regions, "R.md")
    assert once == twice
    # every byte outside the markers is the owner's: compare the pieces around the regions
    found = find_regions(once, "R.md")
    a, b = found["projects"], found["journal"]
    assert once[: a.inner_start] == text[: find_regions(text, "R.md")["projects"].inner_start]
    assert once[a.inner_end : b.inner_start] == end_a + middle + start_b
    tail = once[b.inner_end :]
    assert tail == end_b + after


TOKENS = st.lists(
    st.sampled_from(["S:projects", "E:projects", "S:journal", "E:journal", "text"]),
    max_size=8,
)


def well_formed(tokens: list[str], *, either: bool = False) -> bool:
    """Reference rule, written independently: each region once, start then end, never nested,
    and both regions there (``either``: at least one, which is what ``folio index`` needs)."""
    seen: set[str] = set()
    open_name: str | None = None
    for token in tokens:
        if token == "text":
            continue
        kind, name = token.split(":")
        if kind == "S":
            if open_name is not None or name in seen:
                return False
            open_name = name
        else:
            if open_name != name:
                return False
            seen.add(name)
            open_name = None
    if open_name is not None:
        return False
    return bool(seen) if either else seen == {"projects", "journal"}


def render_tokens(tokens: list[str]) -> str:
    lines = ["# Portfolio", ""]
    for token in tokens:
        if token == "text":
            lines.append("Some owner text.")
        else:
            kind, name = token.split(":")
            lines.append((S if kind == "S" else E).format(name))
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None)
@given(tokens=TOKENS)
def test_property_malformed_markers_always_raise(tokens: list[str]) -> None:
    text = render_tokens(tokens)
    regions = {"projects": "P", "journal": "J"}
    if well_formed(tokens):
        assert replace_regions(text, regions, "R.md").count("\nP\n") == 1
    else:
        with pytest.raises(RegionError) as info:
            replace_regions(text, regions, "R.md")
        assert re.match(r"^R\.md:\d+: ", str(info.value))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tokens=TOKENS.filter(lambda t: not well_formed(t, either=True)))
def test_property_malformed_markers_never_write(tokens: list[str]) -> None:
    """The CLI on a real file: exit 2, one line naming README.md:LINE, the bytes untouched."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[tool.folio]\n", encoding="utf-8")
        (root / "projects").mkdir()
        readme = root / "README.md"
        data = render_tokens(tokens).encode("utf-8")
        readme.write_bytes(data)
        before = readme.stat().st_mtime_ns
        result = CliRunner().invoke(main, ["-C", str(root), "index"])
        assert result.exit_code == 2, result.output
        assert re.search(r"folio: error: README\.md:\d+: ", result.stderr)
        assert "Traceback" not in result.output
        assert readme.read_bytes() == data
        assert readme.stat().st_mtime_ns == before
        assert sorted(p.name for p in root.iterdir()) == ["README.md", "projects", "pyproject.toml"]
