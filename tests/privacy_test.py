"""repofolio.privacy: salted digests of the private names, and matching texts against them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from repofolio import privacy
from repofolio.errors import FolioError

SALT = bytes(range(16))


def digests(companies: tuple[str, ...] = (), people: tuple[str, ...] = ()) -> privacy.Digests:
    d = privacy.Digests(SALT, frozenset())
    privacy.add_all(d, companies, people)
    return d


def redact(text: str, d: privacy.Digests) -> str:
    return privacy.matcher(d).redact(text)


NAMES = digests(("Initech", "Globex Corp", "AT&T"), ("Jane Doe", "Bill Lumbergh"))

CASES = [
    ("Jane from Initech called.", "a contact from a company called."),
    ("INITECH and initech's office", "a company and a company's office"),
    ("Met Bill\nLumbergh of Globex-Corp", "Met a contact of a company"),
    ("**Globex** **Corp** hired", "**a company** hired"),
    ("Globex\n\nCorp stay apart", "Globex\n\nCorp stay apart"),  # a paragraph is no name
    ("Globex, and later the Corp", "Globex, and later the Corp"),  # too far apart
    ("Initechnology and MyInitech stay", "Initechnology and MyInitech stay"),
    ("resume_initech.pdf and initech-2026", "resume_a company.pdf and a company-2026"),
    ("Ｉｎｉｔｅｃｈ in full width", "a company in full width"),  # NFKC
    ("AT&T and at-t", "a company and a company"),
    ("I will bill the hours to Bill.", "I will bill the hours to a contact."),  # as written
    ("Lumbergh's memo; Doe", "a contact's memo; a contact"),
    ("Ｂｉｌｌ wrote; ＢＩＬＬ did not", "a contact wrote; ＢＩＬＬ did not"),  # NFKC, as written
    ("Janet and Doeville stay", "Janet and Doeville stay"),
    ("[Initech](https://initech.example/jobs)", "[a company](https://a company.example/jobs)"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_names_are_replaced_by_the_word_of_their_kind(text: str, expected: str) -> None:
    assert redact(text, NAMES) == expected


def test_the_file_holds_digests_kinds_and_word_counts_never_a_name() -> None:
    text = NAMES.text()
    for name in ("initech", "globex", "corp", "jane", "doe", "bill", "lumbergh"):
        assert name not in text.casefold()
    rows = [line.split() for line in text.splitlines() if line and not line.startswith("#")]
    assert rows[0] == ["salt", SALT.hex()]
    kinds = sorted((r[0], r[1]) for r in rows[1:])
    # AT&T is two words (letters and digits make words); a person's parts are one each
    assert kinds == sorted(
        [
            ("company", "1"),
            ("company", "2"),
            ("company", "2"),
            ("person", "2"),
            ("person", "2"),
            ("part", "1"),
            ("part", "1"),
            ("part", "1"),
            ("part", "1"),
        ]
    )
    assert privacy.parse(text, "x") == NAMES  # the same digests back


def test_the_same_name_has_other_digests_in_another_repository() -> None:
    other = privacy.Digests(bytes(16), frozenset())
    other.add("Initech", "company")
    mine = digests(("Initech",))
    assert {e.digest for e in mine.entries}.isdisjoint({e.digest for e in other.entries})
    # and one normal form: case, spaces, width and punctuation do not matter
    again = digests(("  INITECH ",))
    assert again.entries == mine.entries
    assert privacy.name_key("Globex\u3000 corp") == privacy.name_key("GLOBEX-Corp") == "globex corp"


def test_removing_a_person_removes_their_name_parts() -> None:
    d = digests(("Initech",), ("Jane Doe", "Bill Doe"))
    assert d.counts() == {"company": 1, "person": 2, "part": 4}
    assert d.remove("jane doe") == 3  # the person and both parts ("Doe" of Bill stays)
    assert redact("Jane met Doe at Initech", d) == "Jane met a contact at a company"
    assert d.remove("Nobody") == 0


def test_longest_name_first_and_a_replacement_never_forms_a_name_again() -> None:
    d = digests(("Kvarn", "Kvarn Labs", "company Labs"))
    assert redact("Kvarn Labs and Kvarn", d) == "a company and a company"
    # "a company" + " Labs" reads "company Labs", itself private: replaced again
    assert redact("Kvarn Labs Labs", d) == "a a company"
    # a replacement that is itself a name is replaced 8 times, then removed
    loop = digests(("Initech", "a company"))
    out = redact("Initech rocks", loop)
    assert out == " rocks" and not privacy.matcher(loop).spans(out)


BAD = [
    ("salt 00\n", "x:1: the salt must be 32 hexadecimal digits"),
    (f"salt {SALT.hex()}\nsalt {SALT.hex()}\n", "x:2: a second salt line"),
    (f"salt {SALT.hex()}\nfirm 1 {'0' * 32}\n", "x:2: expected 'salt HEX' or 'KIND WORDS"),
    (f"salt {SALT.hex()}\ncompany 0 {'0' * 32}\n", "x:2: expected 'company WORDS DIGEST'"),
    (f"salt {SALT.hex()}\ncompany 1 {'g' * 32}\n", "x:2: the digest must be 32 hexadecimal"),
    (f"salt {SALT.hex()}\npart 1 {'0' * 32}\n", "x:2: expected 'part 1 DIGEST OWNER'"),
    (f"company 1 {'0' * 32}\n", "x: no 'salt HEX' line"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_a_bad_file_is_one_error_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(FolioError, match=re.escape(message)):
        privacy.parse(text, "x")


def test_load_never_follows_a_symlink_out_of_the_repository(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.write_text(NAMES.text(), encoding="utf-8")
    root = tmp_path / "repo"
    (root / ".folio").mkdir(parents=True)
    (root / privacy.DIGESTS_FILE).symlink_to(outside)
    with pytest.raises(FolioError, match="symlink out of the repository; not read"):
        privacy.load(root)
    with pytest.raises(FolioError, match="symlink out of the repository; not written"):
        privacy.save(root, NAMES)
    assert outside.read_text(encoding="utf-8") == NAMES.text()


def test_mask_keeps_the_first_and_last_letter_of_each_word() -> None:
    assert privacy.mask("Initech") == "I*****h"
    assert privacy.mask("Globex Corp") == "G****x C**p"
    assert privacy.mask("AT&T") == "** *"


word = st.text(alphabet="abcXYZéß", min_size=1, max_size=4)
gap = st.sampled_from([" ", "\n", ", ", "'s ", "-", "**", " & "])


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.one_of(word, gap), max_size=30),
    names=st.lists(st.lists(word, min_size=1, max_size=3), min_size=1, max_size=3),
    where=st.integers(min_value=0, max_value=30),
)
def test_property_no_window_of_the_output_matches_a_digest(
    pieces: list[str], names: list[list[str]], where: int
) -> None:
    """Whatever the text, a name put in it is found, and the output holds no name at all."""
    joined = [" ".join(n) for n in names]
    d = digests(tuple(joined))
    m = privacy.matcher(d)
    pieces.insert(min(where, len(pieces)), " " + joined[0] + " ")
    text = "".join(pieces)
    assert m.spans(text), "the name put in the text is found"
    out = m.redact(text)
    # a reference: every window of 1..3 words of the output, hashed; one that matches a
    # digest must have words too far apart to be one name (a paragraph, a long gap)
    found = list(privacy.WORD.finditer(out))
    table = {e.digest for e in d.entries}
    for n in (1, 2, 3):
        for i in range(len(found) - n + 1):
            window = found[i : i + n]
            key = " ".join(privacy.normal_word(w.group()) for w in window)
            if privacy.digest(SALT, key).hex() in table:
                gaps = [out[a.end() : b.start()] for a, b in zip(window, window[1:], strict=False)]
                assert any(len(g) > privacy.MAX_GAP or g.count("\n") > 1 for g in gaps), out


@pytest.mark.parametrize("switch", ["", "0"], ids=["builtin", "hashlib"])
def test_blake2b_is_hashlib_s_own_and_skips_openssl(switch: str) -> None:
    """The digests are hashlib's BLAKE2b either way; by default without loading OpenSSL."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from repofolio import privacy\n"
        "d = privacy.digest(bytes(16), 'initech')\n"
        "loaded = '_hashlib' in sys.modules\n"
        "import hashlib\n"
        "same = hashlib.blake2b(b'initech', digest_size=16, salt=bytes(16)).digest() == d\n"
        "print(loaded, same)\n"
    )
    env = {**os.environ, "FOLIO_BUILTIN_BLAKE2": switch}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(switch == "0"), "True"]
