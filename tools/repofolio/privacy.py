"""The names of the job search, hidden wherever anything is published, from salted digests.

The journal must never publish the companies and people of the job search, yet the list of
those names cannot live in the public repository in plain text (it would publish them), and
CI, which builds the published site, has no pipeline store to read them from. So the
repository commits ``.folio/private-names``: per name, a salted digest of its normalized
form, its kind and its word count, never the name itself::

    # folio private names (format 1): salted digests, never the names. ...
    salt 5d0f6a3c9e1b2a4f8c7d6e5f4a3b2c1d
    company 1 0c6e...
    company 2 9a41...
    person 2 77be...
    part 1 31d0... 77be...

- **Normalized**: the words of the name (runs of letters and digits; everything else
  separates them), each NFKC-normalized and case-folded, joined by one space: "Globex
  Corp", "GLOBEX-corp" and "Globex\\n**Corp**" are one key.
- **Salted**: 16 random bytes per repository, generated once and committed beside the
  digests, so the digest of "Initech" differs between repositories; BLAKE2b (hashlib) with
  that salt, 16 bytes of digest.
- **Kinds**: ``company`` becomes ``replacement`` ("a company"), ``person`` and ``part``
  ``person-replacement`` ("a contact"). A ``part`` is a person's first or family name alone,
  as written (capitalized: "Bill" names Bill Lumbergh, "bill" is a verb); its last field is
  the digest of the person it belongs to, so removing the person removes it.

What a digest protects: a name of low entropy (a company, a first and a family name) is
found by anyone who hashes a list of candidates with the committed salt. The digests resist
casual reading (of the repository on GitHub, of a clone, of a search engine's index), not a
targeted dictionary attack. That is still far better than the plain text list it replaces,
which published the names to every reader; who needs more keeps the names out of the
journal altogether, and ``folio check`` (JR011) points at every one that slips in.

Matching hashes every window of 1..N words of a text, only for the word counts present, and
remembers the digest of each window it has seen (a site repeats its words). Light on
purpose: ``folio check`` and every published page use it; no json, no platformdirs.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from repofolio.errors import FolioError

if TYPE_CHECKING:
    from repofolio.config import Config

DIGESTS_FILE = ".folio/private-names"
FORMAT = "1"
KINDS = ("company", "person", "part")
SALT_BYTES = 16
DIGEST_BYTES = 16
# a word: letters and digits; "_" separates too, so "resume_initech.pdf" names Initech
WORD = re.compile(r"[^\W_]+")
# the words of WORD that may be capitalized (two characters or more): every word that
# starts with a letter other than a-z, the name parts' prefilter (isupper() decides)
CAPITALIZED = re.compile(r"(?<![^\W_])[^\W\d_a-z][^\W_]+")
# what may stand between two words of one name: "Globex **Corp**", "AT&T", one line
# break ("Bill\nLumbergh"), never a paragraph
MAX_GAP = 10
# the digests of the windows seen are remembered: a site repeats its words (cleared beyond)
MEMO_SIZE = 300000
# particles of a family name: not a name on their own
NOT_A_NAME_PART = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "del", "la", "le"})

HEADER = f"""\
# folio private names (format {FORMAT}): salted digests of the companies and people of the
# job search, never the names. folio check reports them in any published file (JR011) and
# every page folio publishes replaces them ("a company", "a contact"). Written by
# 'folio apply add', 'folio apply contact add' and 'folio journal private add/remove/migrate';
# commit it: CI, which has no pipeline store, redacts from it. Lines: KIND WORDS DIGEST.
"""


# -- names to keys -----------------------------------------------------------------------------


def normal_word(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def name_key(name: str) -> str:
    """The normalized form of a name: its words, NFKC, case-folded, joined by one space."""
    return " ".join(normal_word(w) for w in WORD.findall(name))


def part_key(word: str) -> str:
    """A first or family name alone matches as written (NFKC only); its own domain."""
    return "part:" + _nfkc(word)


def _nfkc(word: str) -> str:
    return unicodedata.normalize("NFKC", word)


def name_parts(person: str) -> list[str]:
    """The first and family names of a person, each of which names them on its own."""
    words = WORD.findall(person)
    if len(words) < 2:
        return []
    return [
        w for w in words if len(w) >= 2 and w[0].isupper() and w.casefold() not in NOT_A_NAME_PART
    ]


def digest(salt: bytes, key: str) -> bytes:
    value: bytes = _blake2b()(key.encode("utf-8"), digest_size=DIGEST_BYTES, salt=salt).digest()
    return value


@cache
def _blake2b() -> Any:
    """hashlib's BLAKE2b, taken from the module hashlib takes it from (``hashlib.blake2b is
    _blake2.blake2b``): importing hashlib loads OpenSSL first, 2.7 ms of every ``folio check``
    of a portfolio with private names, where ``_blake2`` takes 0.2 ms. ``hashlib`` itself
    where CPython was built without it, or with ``FOLIO_BUILTIN_BLAKE2=0``."""
    if os.environ.get("FOLIO_BUILTIN_BLAKE2", "") != "0":
        try:
            from _blake2 import blake2b

            return blake2b
        except ImportError:  # a CPython built --without-builtin-hashlib-hashes
            pass
    import hashlib

    return hashlib.blake2b


def mask(text: str) -> str:
    """'Globex Corp' -> 'G****x C**p': enough to find it, not to read it."""
    return " ".join(
        w[0] + "*" * (len(w) - 2) + w[-1] if len(w) > 2 else "*" * len(w)
        for w in WORD.findall(text)
    )


# -- the committed file --------------------------------------------------------------------------


class Entry(NamedTuple):
    kind: str  # company, person, part
    words: int
    digest: str  # hex
    owner: str = ""  # a part: the digest of its person

    def line(self) -> str:
        return " ".join(str(x) for x in self if x != "")


@dataclass
class Digests:
    """The contents of ``.folio/private-names``: the salt and the entries."""

    salt: bytes
    entries: frozenset[Entry]  # replaced, never changed in place: a cached copy stays true

    def add(self, name: str, kind: str) -> bool:
        """Add a company or a person (and the person's name parts); True when new."""
        if kind not in ("company", "person"):
            raise ValueError(kind)
        key = name_key(name)
        if not key:
            raise FolioError(f"'{name}' has no letters or digits: not a name")
        hexed = digest(self.salt, key).hex()
        added = set()
        if not any(e.digest == hexed and e.kind != "part" for e in self.entries):
            added.add(Entry(kind, len(key.split()), hexed))
        if kind == "person":
            for part in name_parts(name):
                if normal_word(part) != key:
                    added.add(Entry("part", 1, digest(self.salt, part_key(part)).hex(), hexed))
        new = added - self.entries
        self.entries = self.entries | new
        return bool(new)

    def remove(self, name: str) -> int:
        """Remove a name (and, for a person, its parts); how many entries went."""
        hexed = digest(self.salt, name_key(name)).hex()
        gone = {e for e in self.entries if e.digest == hexed and e.kind != "part"}
        gone |= {e for e in self.entries if e.kind == "part" and e.owner == hexed}
        self.entries = self.entries - gone
        return len(gone)

    def has(self, name: str) -> bool:
        hexed = digest(self.salt, name_key(name)).hex()
        return any(e.digest == hexed and e.kind != "part" for e in self.entries)

    def counts(self) -> dict[str, int]:
        return {k: sum(1 for e in self.entries if e.kind == k) for k in KINDS}

    def text(self) -> str:
        # sorted by kind and digest: the order says nothing of when a name was added
        lines = sorted(self.entries, key=lambda e: (KINDS.index(e.kind), e.words, e.digest))
        body = "".join(e.line() + "\n" for e in lines)
        return f"{HEADER}salt {self.salt.hex()}\n{body}"


def parse(text: str, shown: str) -> Digests:
    """The file's contents; a FolioError naming ``shown`` and the line for anything else."""
    salt: bytes | None = None
    entries: set[Entry] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        where = f"{shown}:{number}"
        if fields[0] == "salt":
            if salt is not None:
                raise FolioError(f"{where}: a second salt line (one per repository)")
            salt = _hex(fields[1] if len(fields) == 2 else "", SALT_BYTES, where, "salt")
            continue
        if fields[0] not in KINDS:
            raise FolioError(
                f"{where}: expected 'salt HEX' or 'KIND WORDS DIGEST' with KIND one of "
                f"{', '.join(KINDS)}, not {fields[0]!r}"
            )
        form = "part 1 DIGEST OWNER" if fields[0] == "part" else f"{fields[0]} WORDS DIGEST"
        if len(fields) != len(form.split()) or not fields[1].isdigit() or int(fields[1]) < 1:
            raise FolioError(f"{where}: expected '{form}' (WORDS: a count from 1)")
        for value in fields[2:]:
            _hex(value, DIGEST_BYTES, where, "digest")
        entries.add(Entry(fields[0], int(fields[1]), *(f.lower() for f in fields[2:])))
    if salt is None:
        if entries:
            raise FolioError(f"{shown}: no 'salt HEX' line: the digests cannot be matched")
        salt = b""
    return Digests(salt, frozenset(entries))


def _hex(value: str, size: int, where: str, what: str) -> bytes:
    try:
        data = bytes.fromhex(value)
    except ValueError:
        data = b""
    if len(data) != size:
        raise FolioError(f"{where}: the {what} must be {2 * size} hexadecimal digits")
    return data


_loaded: dict[str, tuple[tuple[int, int], Digests | None]] = {}


def digests_path(root: Path) -> Path:
    return root / DIGESTS_FILE


def load(root: Path) -> Digests | None:
    """The committed digests, None without the file; remembered until the file changes."""
    path = digests_path(root)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FolioError(f"{DIGESTS_FILE}: cannot read ({exc.strerror})") from None
    key = (st.st_mtime_ns, st.st_size)
    cached = _loaded.get(os.fspath(path))
    if cached is not None and cached[0] == key:
        return cached[1]
    from repofolio.fsio import is_inside, read_text

    if not is_inside(path, root.resolve()):
        raise FolioError(f"{DIGESTS_FILE}: is a symlink out of the repository; not read")
    result = read_text(path, st=st)
    if result.text is None:
        raise FolioError(f"{DIGESTS_FILE}: {result.problem}")
    digests = parse(result.text, DIGESTS_FILE)
    _loaded[os.fspath(path)] = (key, digests)
    return digests


def load_or_new(root: Path) -> Digests:
    """The digests to change: the file's, else a new salt (nothing is written yet)."""
    found = load(root)
    if found is not None and found.salt:
        return Digests(found.salt, found.entries)
    import secrets

    return Digests(secrets.token_bytes(SALT_BYTES), frozenset())


def save(root: Path, digests: Digests) -> bool:
    """Write the file atomically (only when it changes); True when written."""
    from repofolio.fsio import is_inside, read_text, write_if_changed

    path = digests_path(root)
    if not is_inside(path, root.resolve()):
        raise FolioError(f"{DIGESTS_FILE}: is a symlink out of the repository; not written")
    old = read_text(path).text if path.is_file() else None
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_if_changed(path, digests.text(), old)


def add_all(digests: Digests, companies: Iterable[str], people: Iterable[str]) -> int:
    """Add names (those with a letter or digit); how many are new."""
    new = sum(digests.add(n, "company") for n in companies if name_key(n))
    return new + sum(digests.add(n, "person") for n in people if name_key(n))


def remember(cfg: Config, companies: Iterable[str] = (), people: Iterable[str] = ()) -> int:
    """Add names to the committed digests; how many are new (the file is written if any)."""
    digests = load_or_new(cfg.root)
    new = add_all(digests, companies, people)
    if new:
        save(cfg.root, digests)
    return new


# the configuration's plain-text lists (before the digests): key, kind
PLAIN_KEYS = (("private", "company"), ("private-people", "person"))


def config_table(source: str | None, text: str) -> tuple[str, ...]:
    """Where ``[tool.folio.journal]`` is in the configuration file ``source``."""
    if source == "folio.toml":
        from repofolio.tomledit import loads

        return ("tool", "folio", "journal") if "tool" in loads(text) else ("journal",)
    return ("tool", "folio", "journal")


# -- matching ------------------------------------------------------------------------------------


class Span(NamedTuple):
    start: int
    end: int
    kind: str  # company, person, part


class Matcher:
    """The private names of a portfolio, found in a text by hashing its windows of words.

    ``tables`` maps a word count to the digests of that many words and their kinds;
    ``parts`` holds the digests of the name parts (one word, as written).

    Speed (bench/bench_private.py, 400 notebook pages and 500 journal entries): the windows
    of a text are looked up as sets (a window seen before costs a set operation in C, not a
    digest), so only windows never seen are hashed; ``remember=False`` forgets them after
    each text (the same result; the figures are in the benchmark's docstring).
    """

    def __init__(
        self,
        salt: bytes,
        tables: dict[int, dict[bytes, str]],
        parts: frozenset[bytes],
        *,
        remember: bool = True,
    ) -> None:
        self.salt = salt
        self.tables = tables
        self.parts = parts
        self.counts = sorted((n for n in tables if tables[n]), reverse=True)  # longest first
        self.remember = remember
        # windows seen: those that are a name (with its kind), and those that are not; a
        # window of n words is only ever looked up in table n, so one memo serves them all
        self._hits: dict[str, str] = {}
        self._misses: set[str] = set()
        self._part_hits: dict[str, str] = {}  # capitalized words, as written
        self._part_misses: set[str] = set()
        self._part_table = dict.fromkeys(parts, "part")
        self._salted = _blake2b()(digest_size=DIGEST_BYTES, salt=salt)
        # what these names are: the salt and every digest (a cache of clean texts is per names)
        whole = sorted(f"{n} {d.hex()} {k}" for n, t in tables.items() for d, k in t.items())
        state = _blake2b()(salt, digest_size=DIGEST_BYTES)
        state.update("\n".join([*whole, *sorted(p.hex() for p in parts)]).encode())
        self.fingerprint = state.hexdigest()
        self._normal: dict[str, str] = {}  # word as written -> normal_word

    def __bool__(self) -> bool:
        return bool(self.counts or self.parts)

    def _found(
        self, windows: Iterable[str], table: dict[bytes, str], *, part: bool = False
    ) -> set[str]:
        """The windows that are names: those seen before from the memo, the others hashed."""
        hits, misses = (self._part_hits, self._part_misses) if part else (self._hits, self._misses)
        windows = set(windows)
        unseen = windows.difference(misses).difference(hits)
        found = hits.keys() & windows if hits else set()
        if not unseen:
            return found
        # full, the memo keeps what it has (a site's common words come first) and stops
        keep = self.remember and len(misses) < MEMO_SIZE
        # digest() inlined, from a copy of the salted state (30% faster than a new hasher
        # each time): this loop is most of what a cold site pays
        state, prefix = self._salted, "part:" if part else ""
        for window in unseen:
            hasher = state.copy()
            hasher.update((prefix + window).encode("utf-8"))
            kind = table.get(hasher.digest())
            if kind is not None:
                hits[window] = kind  # few: names, always kept
                found.add(window)
            elif keep:
                misses.add(window)
        return found

    def _keys(self, raw: list[str]) -> list[str]:
        normal = self._normal
        if len(normal) >= MEMO_SIZE:
            normal.clear()
        out = []
        for word in raw:
            key = normal.get(word)
            if key is None:
                key = normal[word] = normal_word(word)
            out.append(key)
        return out

    def spans(self, text: str) -> list[Span]:
        """Every private name in ``text``, left to right, the longest at each place."""
        if not self:
            return []
        ascii = text.isascii()
        # lower() keeps every ASCII word one word: the same words, normalized in C
        keys = WORD.findall(text.lower()) if ascii else self._keys(WORD.findall(text))
        hits: list[tuple[int, int, str]] = []  # (first word, -word count, kind)
        for n in self.counts:
            windows = keys if n == 1 else _windows(keys, n)
            names = self._found(windows, self.tables[n])
            if names:
                hits += [(i, -n, self._hits[w]) for i, w in enumerate(windows) if w in names]
        if self.parts:  # a first or family name alone, as written: capitalized words only
            as_key = str if ascii else _nfkc  # as written, in its NFKC form
            words = {as_key(w) for w in set(CAPITALIZED.findall(text)) if w[0].isupper()}
            parts = self._found(words, self._part_table, part=True)
            if parts:
                raw = WORD.findall(text)
                hits += [(i, -1, "part") for i, w in enumerate(raw) if as_key(w) in parts]
        if not hits:
            return []
        offsets = [m.span() for m in WORD.finditer(text)]
        found: list[Span] = []
        cursor = 0
        for i, minus_n, kind in sorted(hits):  # at each word the longest name first
            n = -minus_n
            if i < cursor or (n > 1 and not _together(text, offsets, i, n)):
                continue
            found.append(Span(offsets[i][0], offsets[i + n - 1][1], kind))
            cursor = i + n
        return found

    def redact(self, text: str, company: str = "a company", person: str = "a contact") -> str:
        """Each private name replaced by the neutral word of its kind.

        Repeated until nothing matches, since a replacement next to other words can form a
        name again; if the replacements keep producing names, those are removed.
        """
        words = {"company": company, "person": person, "part": person}
        for _ in range(8):
            spans = self.spans(text)
            if not spans:
                return text
            text = _replace(text, spans, words)
        while spans := self.spans(text):  # each pass is shorter, so this ends
            text = _replace(text, spans, {"company": "", "person": "", "part": ""})
        return text


class CleanTexts:
    """Texts in which a matcher found no name, remembered between runs (as digests).

    A warm ``folio build`` redacts the same pages as the last one: 7 MB for a site of 400
    notebook pages, about a second of hashing windows (bench/bench_private.py). A text
    whose BLAKE2b digest is here was clean for these very names (the file is named after
    the matcher's fingerprint: other names, another file), so it is not scanned again.
    ``[tool.folio.journal] redaction-cache = false`` turns it off (the same output).
    One line a text, appended: a run that dies leaves at worst a torn last line, ignored.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.known: set[str] = set()
        self.pending: list[str] = []
        try:
            lines = path.read_text(encoding="ascii").split()
        except (OSError, UnicodeDecodeError):
            lines = []
        self.known = {line for line in lines if len(line) == 2 * DIGEST_BYTES}

    @staticmethod
    def key(text: str) -> str:
        hexed: str = _blake2b()(text.encode("utf-8"), digest_size=DIGEST_BYTES).hexdigest()
        return hexed

    def __contains__(self, key: object) -> bool:
        return key in self.known

    def add(self, key: str) -> None:
        """Remember ``key`` in memory; :meth:`save` writes what was added (the pages stay pure:
        ``site.pages.generate`` opens no file, the build writes the cache when it is done)."""
        if key not in self.known:
            self.known.add(key)
            self.pending.append(key)

    def save(self) -> None:
        if not self.pending:
            return
        try:
            if not self.path.exists():  # a new file: those of other names are stale
                self.path.parent.mkdir(parents=True, exist_ok=True)
                for old in self.path.parent.glob("clean-*.txt"):
                    old.unlink()
            with open(self.path, "a", encoding="ascii") as fh:
                fh.write("".join(key + "\n" for key in self.pending))
            self.pending = []
        except OSError:
            pass  # a cache that cannot be written only costs time


_clean: dict[str, CleanTexts] = {}


def save_clean_texts() -> None:
    """Write the texts found clean in this run (``folio build``, ``folio index``: at the end)."""
    for found in _clean.values():
        found.save()


def clean_texts(cache_dir: Path, matcher: Matcher) -> CleanTexts:
    """The clean texts of ``matcher``'s names, in ``cache_dir``/privacy (read once a run)."""
    path = cache_dir / "privacy" / f"clean-{matcher.fingerprint}.txt"
    found = _clean.get(os.fspath(path))
    if found is None:
        found = _clean[os.fspath(path)] = CleanTexts(path)
    return found


def _windows(keys: list[str], n: int) -> list[str]:
    """Every run of ``n`` consecutive words, joined: ["a b", "b c"] for n=2."""
    return list(map(" ".join, zip(*(keys[j:] for j in range(n)), strict=False)))


def _together(text: str, offsets: list[tuple[int, int]], first: int, count: int) -> bool:
    for j in range(first + 1, first + count):
        gap = text[offsets[j - 1][1] : offsets[j][0]]
        if len(gap) > MAX_GAP or gap.count("\n") > 1:
            return False
    return True


def _replace(text: str, spans: Sequence[Span], words: dict[str, str]) -> str:
    out = []
    cursor = 0
    for span in spans:
        out.append(text[cursor : span.start])
        out.append(words[span.kind])
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)


_matchers: dict[tuple[object, ...], Matcher] = {}


def portfolio_matcher(cfg: Config, *, store: bool = True) -> Matcher:
    """Every private name of the portfolio: the committed digests (``.folio/private-names``),
    the names still configured in plain text (``[tool.folio.journal] private``,
    ``private-people``) and, with ``store``, every company and contact of the pipeline's
    store on this machine (CI has none: it redacts from the digests).

    The store lives outside the repository; when it cannot be read, this raises (publish
    nothing rather than a name). Each source costs one ``stat`` once it is cached. Here,
    not in journal.py: `folio check` builds it without importing the journal (7 ms).
    """
    companies: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    if store:
        from repofolio.pipeline.names import pipeline_names

        companies, people = pipeline_names(cfg)
    journal = cfg.journal
    return matcher(
        load(cfg.root),
        (*journal.private, *companies),
        (*journal.private_people, *people),
    )


def matcher(
    digests: Digests | None, companies: Sequence[str] = (), people: Sequence[str] = ()
) -> Matcher:
    """The committed digests joined by names known in plain text (the configuration's, the
    pipeline store's), hashed with the same salt; remembered while they stay the same."""
    salt = digests.salt if digests is not None and digests.salt else b"\0" * SALT_BYTES
    entries = digests.entries if digests is not None else frozenset()
    memo = (salt, entries, tuple(companies), tuple(people))
    found = _matchers.get(memo)
    if found is not None:
        return found
    extra = Digests(salt, frozenset())
    for name in companies:
        if name_key(name):
            extra.add(name, "company")
    for name in people:
        if name_key(name):
            extra.add(name, "person")
    tables: dict[int, dict[bytes, str]] = {}
    parts: set[bytes] = set()
    for entry in sorted(entries | extra.entries, key=lambda e: KINDS.index(e.kind)):
        value = bytes.fromhex(entry.digest)
        if entry.kind == "part":
            parts.add(value)
        else:
            tables.setdefault(entry.words, {}).setdefault(value, entry.kind)
    found = Matcher(salt, tables, frozenset(parts))
    if len(_matchers) > 16:
        _matchers.clear()
    _matchers[memo] = found
    return found
