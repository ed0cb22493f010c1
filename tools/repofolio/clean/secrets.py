"""Find secrets in text: a cheap prefilter, high-confidence token formats, detect-secrets plugins.

Only lines the prefilter matches reach the regexes and the detect-secrets plugins, so a clean
file costs one regex search, and detect-secrets (whose import pulls in requests, about 0.2 s)
is imported only when a line holds a literal of a plugin's own patterns (PLUGIN_GATE).
Plugins are called through ``analyze_string``, never ``analyze_line``: the latter may verify
a token over the network.

A secret is never printed in full: :func:`mask` keeps at most four leading characters.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

ALLOW_PRAGMAS = ("folio: allow-secret", "pragma: allowlist secret")

# The prefilter: what a line must hold before the patterns and plugins look at it. Every
# high-confidence pattern and every detect-secrets plugin we run has a literal here that any
# of its matches must contain (LITERALS below), at most PREFILTER_BEFORE characters into the
# match; and every quantifier is bounded, so a match is at most PREFILTER_AFTER characters
# past its literal: the prefilter runs only around the literals found (see _prefilter_hits).
# Each alternative of the token triggers, with the literals of LITERALS (lowercase) one of
# which each of its matches holds (tests/clean/secrets_test.py draws matches to hold them
# to it); the basic-auth trigger has none: it is looked for when "://" and "@" are.
_TRIGGER_BRANCHES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (  # no DNA
        r"(?:A3T[A-Z0-9]|ABIA|ACCA(?![ACGTUN]{16})|AKIA|ASIA)[0-9A-Z]{16}",
        ("a3t", "abia", "acca", "akia", "asia"),
    ),
    (r"gh[pousr]_[A-Za-z0-9_]{30}", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    (r"github_pat_", ("github_pat_",)),
    (r"glpat-", ("glpat-",)),
    (r"xox[abposr]-", ("xox",)),
    (r"hooks\.slack\.com", ("hooks.slack",)),
    (r"AIza[0-9A-Za-z_\-]{30}", ("aiza",)),
    (r"PRIVATE KEY", ("private key",)),
    (r"eyJ[A-Za-z0-9_=-]{8}", ("eyj",)),
    (r"[rs]k_live_", ("_live_",)),
    (r"T3BlbkFJ", ("t3blbkfj",)),
    (r"pypi-AgE", ("pypi-",)),
    (r"_authToken", ("_authtoken",)),
    (r"SG\.[\w-]{16}", ("sg.",)),
    (r"AccountKey=", ("accountkey",)),
    (r"://[^\s/:@'\"]{1,256}:[^\s/@'\"]{1,256}@", ()),
    (r"[0-9a-f]{32}-us\d{1,2}\b", ("-us",)),
    (r"hf_[A-Za-z0-9]{30}", ("hf_",)),
    (r"sk-[A-Za-z0-9_-]{30}", ("sk-",)),
    (r"[\"']key[\"']\s{0,32}:\s{0,32}[\"'][0-9a-f]{32}", ("key",)),
    (r"sq0csp-", ("sq0csp",)),
)  # fmt: skip
_TOKEN_TRIGGERS = "|".join(branch for branch, _ in _TRIGGER_BRANCHES)
# the literals one of which each keyword assignment holds
_KEYWORD_LITERALS = ("key", "pass", "pwd", "secret", "token", "contrase")
_KEYWORDS = (
    r"(?:api_?key|auth_?key|service_?key|account_?key|db_?key|database_?key|priv_?key"
    r"|private_?key|client_?key|db_?pass|database_?pass|key_?pass|password|passwd|pwd"
    r"|secret|token|contrase(?:ñ|n)a)"
)
# In code (and notebook outputs, which print Python values) a secret is a quoted string;
# in config files (.env, .yaml, .ini) values are often bare. (A name that goes on for more
# than 64 characters after its keyword, or 32 spaces around an "=", is no assignment.)
_ASSIGNED_CODE = (
    rf"(?i:{_KEYWORDS}[\w\"'\]\)]{{0,64}}\s{{0,32}}(?::=|=>|==|!=|=|:|<-)"
    r"\s{0,32}[@\[\(]{0,4}[frbu]{0,2}[\"'`])"
)
_ASSIGNED_CONFIG = (
    rf"(?i:{_KEYWORDS}[\w\"'\]]{{0,64}}\s{{0,32}}(?::=|=>|=|:)\s{{0,32}}"
    r"[\"'`]?[^\s\"'`#])"
)
_PREFILTER_CODE = f"{_TOKEN_TRIGGERS}|{_ASSIGNED_CODE}"
_PREFILTER_CONFIG = f"{_TOKEN_TRIGGERS}|{_ASSIGNED_CONFIG}"
PREFILTER_BEFORE = 40  # "[0-9a-f]{32}-us": the literal "-us" starts 32 characters in
PREFILTER_AFTER = 160  # a keyword assignment: 14 + 64 + 32 + 2 + 32 + 4 + 2 + 1 characters
BASIC_AFTER = 520  # the basic-auth trigger, from its "://": 3 + 256 + 1 + 256 + 1

# High-confidence formats: (kind, pattern, group holding the secret).
_PATTERNS: tuple[tuple[str, str, int], ...] = (
    ("GitHub token", (r"\b(gh[pousr]_[A-Za-z0-9_]{36,255})\b"), 1),
    ("GitHub token", (r"\b(github_pat_[A-Za-z0-9_]{60,255})\b"), 1),
    # Not inside a longer run of base64 or of letters (a DNA sequence, image data): see
    # could_be_key_id for what else a key id cannot be.
    (
        "AWS access key",
        r"(?<![A-Za-z0-9+/])((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})(?![A-Za-z0-9+/=])",
        1,
    ),
    (
        "AWS secret key",
        (
            r"(?i)aws_?secret_?(?:access_?)?key[\"']?\s*[:=]\s*[\"']?"
            r"([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
        ),
        1,
    ),
    ("Slack token", (r"\b(xox[abposr]-[A-Za-z0-9-]{10,})"), 1),
    (
        "Slack webhook",
        (r"(https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+)"),
        1,
    ),
    ("Google API key", (r"\b(AIza[0-9A-Za-z_\-]{35})(?![0-9A-Za-z_\-])"), 1),
    # What ML notebooks leak most: model hub, LLM API and Kaggle credentials.
    ("Hugging Face token", r"\b(hf_[A-Za-z0-9]{34,40})\b", 1),
    ("OpenAI API key", r"\b(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{40,})", 1),
    ("Kaggle API key", r"[\"']key[\"']\s*:\s*[\"']([0-9a-f]{32})[\"']", 1),
    (
        "private key",
        (r"(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)"),
        1,
    ),
    (
        "password assignment",
        (
            # (today's "\b[\w.]*" before the keyword matched the same values, and cost
            # quadratic time on a long run like "a.a.a.a...")
            r"(?i)(?:password|passwd|pwd|secret|api_?key|access_?token|auth_?token"
            r"|client_?secret)[\"']?\s*(?::=|=|:)\s*[frbu]{0,2}([\"'])([^\"'\s]{6,})\1"
        ),
        2,
    ),
)
# A whole line that is ``NAME = value`` (config files): NAME holds a keyword. Two steps, as
# "[\w.-]*keyword[\w.-]*" in one regex backtracks quadratically on a long NAME.
_BARE_ASSIGNMENT = (
    r"(?i)^\s*(?:export\s+)?([\w.-]*)\s*(?:=|:)\s*([^\s\"'#`][^\s\"'#`]{5,})\s*$",
    r"(?i)password|passwd|pwd|secret|api_?key|access_?token|auth_?token|client_?secret",
)


# What follows a keyword when it is assigned a value: the end of its name, an operator, a
# quote (the prefilter's, bounded: it runs before each long base64 run).
_ASSIGNED = r"[\w\"'\]\)]{0,64}\s*(?::=|=>|=|:)\s*[frbu]{0,2}[\"'`]?"


class _Compiled(NamedTuple):
    code: re.Pattern[str]  # the prefilter of code and notebooks, on lowercased text
    config: re.Pattern[str]  # the prefilter of config files, on lowercased text
    patterns: tuple[tuple[str, re.Pattern[str], int], ...]
    bare: re.Pattern[str]  # a whole NAME = value line ...
    bare_name: re.Pattern[str]  # ... whose NAME holds one of these
    assigned: re.Pattern[str]  # a keyword assignment just before a long base64 run


def _lowercase_pattern(pattern: str) -> str:
    """The prefilter for lowercased text: each match of ``pattern``, lowercased, matches it.

    Python's regex engine searches a case-insensitive alternation 15 times slower than a
    case-sensitive one (400 against 26 ns a character on a plotly bundle), and the literal
    gate has lowercased the text anyway. The prefilter only says where to look closer: a
    few more matches on lowercased text (``akia`` + 16 letters) cost a closer look, nothing
    else. Case-sensitive escapes (``\\S``, ``\\D``, ``\\W``, ``\\B``) would change meaning.
    """
    assert not re.search(r"\\[A-Z]", pattern), "an upper-case escape would change meaning"
    return pattern.lower().replace("(?i:", "(?:")


@functools.lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    # Compiled on the first suspicious line, not at import: `folio check` pays nothing.
    return _Compiled(
        re.compile(_lowercase_pattern(_PREFILTER_CODE)),
        re.compile(_lowercase_pattern(_PREFILTER_CONFIG)),
        tuple((kind, re.compile(pattern), group) for kind, pattern, group in _PATTERNS),
        re.compile(_BARE_ASSIGNMENT[0]),
        re.compile(_BARE_ASSIGNMENT[1]),
        re.compile(rf"(?i:{_KEYWORDS}){_ASSIGNED}$"),
    )


# detect-secrets plugins we run: token formats and keywords. Entropy plugins flag every hash
# and id in ML outputs, and the IBM/SoftLayer/Discord/Artifactory ones fire on ordinary words.
# With each plugin, lowercase literals of which every match of its patterns holds one (read
# off the plugin's regexes in detect-secrets 1.5; the tests hold each pattern to them).
_KEY_NAMES = ("api", "auth", "service", "account", "db", "database", "priv", "private", "client")
# A literal with capitals is looked for as it is (its patterns are case-sensitive: an AWS key
# id is "AKIA...", a JWT "eyJ..."), the others in the lowercased window.
PLUGINS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("aws", "AWSKeyDetector", ("A3T", "ABIA", "ACCA", "AKIA", "ASIA", "aws")),
    ("azure_storage_key", "AzureStorageKeyDetector", ("accountkey=",)),
    ("basic_auth", "BasicAuthDetector", ("://",)),
    ("github_token", "GitHubTokenDetector", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    (
        "gitlab_token",
        "GitLabTokenDetector",
        (
            "glpat-",
            "gldt-",
            "glft-",
            "glsoat-",
            "glrt-",
            "gr1348941",
            "glcbt-",
            "glimt-",
            "glptt-",
            "glagent-",
            "gloas-",
        ),
    ),
    ("jwt", "JwtTokenDetector", ("eyJ",)),
    # its denylist, with and without the "_": not a bare "key" ("keydown" in minified
    # JavaScript) nor "token" (`token:"ident"`), which it does not look for
    (
        "keyword",
        "KeywordDetector",
        (
            *(f"{name}{sep}key" for name in _KEY_NAMES for sep in ("_", "")),
            "pass",  # db_pass, database_pass, key_pass, password, passwd
            "pwd",
            "secret",
            "contrase",  # contraseña, contrasena
        ),
    ),
    ("mailchimp", "MailchimpDetector", ("-us",)),
    ("npm", "NpmDetector", ("_authtoken",)),
    ("openai", "OpenAIDetector", ("t3blbkfj",)),
    ("private_key", "PrivateKeyDetector", ("private key", "putty-user-key-file-2")),
    ("pypi_token", "PypiTokenDetector", ("pypi-ag",)),
    ("sendgrid", "SendGridDetector", ("sg.",)),
    ("slack", "SlackDetector", ("xox", "hooks.slack.com")),
    ("square_oauth", "SquareOAuthDetector", ("sq0csp-",)),
    ("stripe", "StripeDetector", ("k_live_",)),
)

# Each plugin runs only on a window holding one of its literals, and detect-secrets (whose
# import pulls in requests: 0.2-0.3 s, in every worker process that needs it) is imported
# only when some plugin must run. On the real-shaped bench corpus the windows that reach
# the plugins hold `token:"ident"` and "keydown" in minified JavaScript, which no plugin we
# run can match: the import, 0.29 s of a 0.55 s CPU total, is gone. A window that is not
# ASCII is folded first (_fold: "ſ" matches "s" in a case-insensitive pattern), as are
# the texts of the first gate.
# Three plugins whose literals are in many lines of minified JavaScript ("://", "eyJ" of
# "sankeyJustify", "secret" in prose of plotly.js) run only where their own pattern (or,
# for the keyword plugin, what each of its patterns needs) matches: GATE_PATTERNS, copied
# from detect-secrets 1.5 (the tests hold the copies to it, and draw matches of every
# plugin pattern to open its gate). On 390 real notebooks (fetch_real_notebooks.py) 102
# windows opened detect-secrets (0.145 s to import, in each worker process): 64 for not
# being ASCII, 38 for a "://"; none do now.
# False: every plugin on every window, as before (the same findings, tested).
PLUGIN_GATE = True
_BASIC_AUTH_RESERVED = re.escape(":/?#[]@" + "!$&'()*+,;=")
# The keyword plugin's denylist (detect-secrets 1.5, keyword.DENYLIST: the tests hold the
# copy to it). Each of its patterns is a keyword and a word's rest, then ":", "=", "!",
# "(", a quote within the next 50 characters that are no space, or comes after "==": a
# window where none follows a keyword ("not a secret access token" in plotly.js) needs no
# keyword plugin.
KEYWORD_DENYLIST = (
    "api_?key",
    "auth_?key",
    "service_?key",
    "account_?key",
    "db_?key",
    "database_?key",
    "priv_?key",
    "private_?key",
    "client_?key",
    "db_?pass",
    "database_?pass",
    "key_?pass",
    "password",
    "passwd",
    "pwd",
    "secret",
    "contraseña",
    "contrasena",
)
_DENY = "|".join(KEYWORD_DENYLIST)
GATE_PATTERNS = {
    "basic_auth": rf"://[^{_BASIC_AUTH_RESERVED}\s]+:([^{_BASIC_AUTH_RESERVED}\s]+)@",
    "jwt": r"eyJ[A-Za-z0-9-_=]+\.[A-Za-z0-9-_=]+\.?[A-Za-z0-9-_.+/=]*?",
    "keyword": (
        rf"(?i)(?:{_DENY})\w*(?:[]'\"]{{0,2}}\s*[:=!]|\[[0-9]*\]\s*[!=]|.assign\(|\("
        rf"|\S{{0,50}}?\s*[\"'`])|[!=]{{2}}\s*\w*(?:{_DENY})"
    ),
}

# The only characters Python's re matches to an ASCII letter under IGNORECASE (every code
# point tried: tests/clean/secrets_test.py), so "paſsword" is a (?i)password. Text holding
# one is folded to ASCII before the literal gates; one character for one.
_ASCII_FOLD = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
_FOLD_TABLE = str.maketrans(_ASCII_FOLD)


def _fold(text: str) -> str:
    """``text`` with the characters of _ASCII_FOLD as the ASCII letters they match."""
    if text.isascii() or not any(ch in text for ch in _ASCII_FOLD):
        return text
    return text.translate(_FOLD_TABLE)


# Values that are obviously not secrets: placeholders, templates, variable names.
_PLACEHOLDER = re.compile(
    r"(?i)^(?:x+|\*+|\.+|-+|_+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|\{[^}]*\}|%\([^)]*\)s|"
    r"(?:your|my|some|the|dummy|example|sample|fake|test|changeme|placeholder|redacted|none|null"
    r"|password|secret|token|xxx)[\w-]*)$"
)
_CONFIG_SUFFIXES = (".env", ".yaml", ".yml", ".ini", ".cfg", ".toml", ".conf", ".properties")


class Secret(NamedTuple):  # NamedTuples, not frozen dataclasses: ~1 ms less each at import
    """One finding: 1-based ``line`` and ``col`` within the scanned text."""

    line: int
    col: int
    kind: str
    value: str
    # How the value appears in the text, when it does not appear as itself: the start of
    # the base64 data it was decoded from. A finding is located by ``found_as or value``.
    found_as: str = ""

    @property
    def masked(self) -> str:
        return mask(self.value)

    @property
    def hashed(self) -> str:
        return hash_secret(self.value)


def mask(value: str) -> str:
    """Enough to recognise the token, never enough to use it."""
    if "PRIVATE KEY" in value:
        return value  # the BEGIN line is a marker, not the key
    keep = 4 if len(value) >= 16 else 0
    return value[:keep] + "*" * min(max(len(value) - keep, 4), 12) + f" ({len(value)} chars)"


def hash_secret(value: str) -> str:
    """detect-secrets' baseline hash: SHA-1 of the raw value."""
    import hashlib  # OpenSSL loads only when a finding needs its hash

    return hashlib.sha1(value.encode("utf-8")).hexdigest()  # noqa: S324 - baseline format


def is_config_file(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(_CONFIG_SUFFIXES) or Path(lower).name.startswith(".env")


# The first gate: substrings (lowercase) that every trigger above contains. One
# Aho-Corasick pass finds them all, where the regex alternation costs a second on 4 MB of
# notebook text.
LITERALS = (
    "akia",
    "asia",
    "abia",
    "acca",
    "a3t",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xox",
    "hooks.slack",
    "aiza",
    "private key",
    "eyj",
    "_live_",
    "t3blbkfj",
    "pypi-",
    "_authtoken",
    "sg.",
    "accountkey",
    "key",
    "pass",
    "pwd",
    "secret",
    "token",
    "contrase",
    "-us",
    "sq0csp",
    "hf_",
    "sk-",
)


@functools.lru_cache(maxsize=1)
def _automaton() -> Any:
    try:
        from ahocorasick_rs import AhoCorasick
    except ImportError:  # a platform without its wheel: the same answer, 33 scans
        return None
    return AhoCorasick(list(LITERALS))


def _gate(low: str) -> tuple[tuple[str, ...], bool]:
    """The literals of ``LITERALS`` that occur in ``low``, in that order; and basic auth.

    One Aho-Corasick pass (ahocorasick_rs) instead of 33 ``in`` scans: five times faster
    on a portfolio's text. Overlapping matches, so every literal present is found.
    """
    hits = _hits(low)
    if hits is None:
        found = tuple(x for x in LITERALS if x in low)
    else:
        found = tuple(LITERALS[i] for i in sorted({hit[0] for hit in hits})) if hits else ()
    return found, "://" in low and "@" in low


# ASCII text is searched as bytes (ahocorasick_rs.BytesAhoCorasick over ``low.encode()``,
# a plain copy; the offsets are the same). The str automaton maps every byte offset to a
# character offset as it goes: on 12 MB of base64 it took 0.121 s and 31,000 page faults
# (a 128 MB table), the bytes one 0.032 s and none, and the encode 1.5 ms. Notebook outputs
# (base64, JavaScript, logs) are nearly all ASCII. False: the str automaton for every
# text (the same hits, tested).
ASCII_AS_BYTES = True


@functools.lru_cache(maxsize=1)
def _byte_automaton() -> Any:
    from ahocorasick_rs import BytesAhoCorasick

    return BytesAhoCorasick([x.encode("ascii") for x in LITERALS])


def _hits(low: str) -> list[tuple[int, int, int]] | None:
    """(literal index, start, end) of every literal in ``low``; None without ahocorasick_rs."""
    automaton = _automaton()
    if automaton is None:
        return None
    if not low:
        return []
    if ASCII_AS_BYTES and low.isascii():
        return _byte_automaton().find_matches_as_indexes(low.encode("ascii"), overlapping=True)
    return automaton.find_matches_as_indexes(low, overlapping=True)


def might_contain(text: str) -> bool:
    """The literal gate alone: False means no line of ``text`` can hold a finding."""
    found, basic = _gate(_fold(text).lower())  # no positions wanted: any lowercasing does
    return bool(found) or basic


def prefilter(text: str, *, config: bool = False) -> bool:
    """True when some line could hold a secret: the cheap test before the real scan."""
    low = _lower(text)
    found, basic = _gate(low)
    if not found and not basic:
        return False
    c = _compiled()
    return (c.config if config else c.code).search(low) is not None


def _lower(text: str) -> str:
    """``text.lower()``, one character for one (positions in it are positions in ``text``),
    folded to ASCII where a character matches an ASCII letter (_fold)."""
    folded = _fold(text)
    low = folded.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in folded)


# Bounds on the work of a scan (issue 19). The regexes and the detect-secrets plugins see at
# most LINE_MAX characters at a time, so what they cost per character is bounded whatever
# the input: some of detect-secrets' keyword patterns backtrack quadratically, and one line
# of a notebook output can be megabytes of JavaScript.
LINE_MAX = 4096  # a line up to this long is scanned whole, as it always was
WINDOW = 1024  # a longer one in windows starting this far apart, ...
OVERLAP = 256  # ... each seeing this much of the next (a match up to this long is whole)
CONTEXT = 32  # and this much of the one before (word boundaries, lookbehinds)
BLOB_MIN = 256  # a run of base64 characters this long is data, not a token ...
ASSIGNED_BEFORE = 96  # ... unless a keyword is assigned it in the characters before
PEEK = 344  # base64 characters decoded (258 bytes) to tell text from binary
DECODE_MAX = 1_000_000  # base64 characters of one blob decoded and scanned, at most ...
DECODE_BUDGET = 4_000_000  # ... and of one scanned text

# Hit-driven scanning: only the lines around the Aho-Corasick hits are looked at, instead of
# every line of the text being lowered and searched in Python. On the real-shaped bench
# corpus (bench/make_realshaped.py: 3.6 MB animations, plotly bundles; 10 MB of notebook
# text) the scan takes 0.18 s this way and 0.5 s line by line; False: the plain line loop,
# the same findings (tested).
JUMP_TO_HITS = True

# data: URIs, and what in them is binary by its MIME type.
_DATA_URI = re.compile(
    r"data:(?P<mime>[\w.+-]+/[\w.+-]+)?(?:;[\w.+-]+=[^;,\s\"'<>()]*)*(?P<b64>;base64)?,",
    re.IGNORECASE,
)
_B64_PAYLOAD = re.compile(r"[A-Za-z0-9+/=\\]*")  # "\" ends a line of a JS string (to_jshtml)
_B64_WRAPPED = re.compile(r"[A-Za-z0-9+/=\\\r\n]*")  # and over the lines of wrapped base64
_URI_PAYLOAD = re.compile(r"[^\s\"'<>()\[\]{}]*")
BINARY_MIMES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/gzip",
    "application/wasm",
)
_B64_LINE = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}\\?")  # a line of wrapped base64 (fullmatch)


class _Blob(NamedTuple):
    start: int
    end: int
    payload: str  # the base64 to decode and scan if it is text; "" for a data: URI


# The prefilter of a text holds only the alternatives whose literals the text holds: in
# plotly.js (3.5 MB; "key", "pass", "token", "acca") the search around its 1,074 literal
# hits took 16.5 ms with every alternative, 8.4 ms with those. Alternatives keep their
# order, and one that can match is never left out, so the matches are the same. False: the
# whole prefilter on every text, as before (the same findings, tested).
PREFILTER_BY_LITERAL = True


@functools.lru_cache(maxsize=64)
def _prefilter_of(found: tuple[str, ...], basic: bool, config: bool) -> re.Pattern[str]:
    """The prefilter's alternatives that can match in a text holding ``found`` (and, with
    ``basic``, a "://" and an "@"), compiled for lowercased text."""
    branches = [
        branch
        for branch, literals in _TRIGGER_BRANCHES
        if (basic if not literals else any(x in found for x in literals))
    ]
    if any(x in found for x in _KEYWORD_LITERALS):
        branches.append(_ASSIGNED_CONFIG if config else _ASSIGNED_CODE)
    if not branches:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile(_lowercase_pattern("|".join(branches)))


class _Scan:
    """One text's scan: its settings and the decoding budget it has left."""

    def __init__(self, filename: str, found: tuple[str, ...], basic: bool, decode: bool) -> None:
        self.filename = filename
        self.config = is_config_file(filename)
        self.found = found
        self.basic = basic
        self.decode_left = DECODE_BUDGET if decode else 0
        if PREFILTER_BY_LITERAL and (found or basic):
            self.prefilter = _prefilter_of(found, basic, self.config)
        else:
            c = _compiled()
            self.prefilter = c.config if self.config else c.code

    def suspect(self, low: str) -> bool:
        return any(x in low for x in self.found) or (self.basic and "://" in low and "@" in low)


def scan_text(text: str, filename: str, *, first_line: int = 1) -> list[Secret]:
    """Secrets in ``text`` (lines numbered from ``first_line``), pragma lines skipped.

    Base64 data (``data:`` URIs, long base64 runs, lines of wrapped base64) is not scanned
    as text: it is decoded, up to ``DECODE_MAX`` characters, only when its first bytes are
    text, and what is found there is reported where the data starts. Each line is scanned
    in windows of bounded length: the work grows linearly with the text.
    """
    return _scan(text, filename, first_line, decode=True)


def _scan(text: str, filename: str, first_line: int, *, decode: bool) -> list[Secret]:
    uris = _base64_uris(text) if "data:" in text else []
    secrets: list[Secret] = []
    if decode and uris:
        secrets.extend(_uri_secrets(text, uris, first_line, _Scan(filename, (), False, decode)))
    if not JUMP_TO_HITS or _automaton() is None:
        return secrets + _scan_every_line(text, filename, first_line, decode)
    # Hit-driven: the literal gate over the text between base64 data: URIs (lowering and
    # searching a 4 MB to_jshtml animation's frames cost 0.15 s), then only the lines
    # around the hits. On the real-shaped bench corpus (10 MB of notebook text) the scan
    # takes 0.18 s this way and 0.5 s line by line (JUMP_TO_HITS = False: the same
    # findings, tested).
    hits: list[tuple[int, int, int]] = []
    pos = 0
    for start, end, _ in [*uris, (len(text), len(text), "")]:
        if start > pos:
            hits.extend((i, pos + a, pos + b) for i, a, b in _hits(_lower(text[pos:start])) or ())
        pos = max(pos, end)
    found = tuple(LITERALS[i] for i in sorted({hit[0] for hit in hits}))
    basic = "://" in text and "@" in text
    if not found and not basic:
        return secrets
    scan = _Scan(filename, found, basic, decode)
    number, counted = first_line, 0
    for start, end, at in _suspect_lines(text, hits, scan):
        number += text.count("\n", counted, start)
        counted = start
        if end > start and text[end - 1] == "\r":
            end -= 1
            at = [p for p in at if start + p < end]
        if at:
            line = text[start:end]
            secrets.extend(_scan_line(line, _lower(line), number, scan, at))
    return secrets


def _scan_every_line(text: str, filename: str, first_line: int, decode: bool) -> list[Secret]:
    """The plain path: the gate over the whole text, then every line in Python."""
    low = _lower(text)
    found, basic = _gate(low)
    if not found and not basic:
        return []
    scan = _Scan(filename, found, basic, decode)
    secrets: list[Secret] = []
    offset = 0
    for index, line in enumerate(text.split("\n")):
        low_line = low[offset : offset + len(line)]
        offset += len(line) + 1
        if line.endswith("\r"):
            line, low_line = line[:-1], low_line[:-1]
        at = _positions(low_line, scan)
        if at:
            secrets.extend(_scan_line(line, low_line, first_line + index, scan, at))
    return secrets


def _base64_uris(text: str) -> list[tuple[int, int, str]]:
    """(start, end, base64 to decode, or "" when binary by its MIME type) of each
    ``data:...;base64,`` URI, its payload running over wrapped lines."""
    uris = []
    at = text.find("data:")
    while at >= 0:
        end = at + 5
        match = _DATA_URI.match(text, at)
        if match and match.group("b64"):
            payload = _B64_WRAPPED.match(text, match.end()).group()  # type: ignore[union-attr]
            end = match.end() + len(payload)
            mime = (match.group("mime") or "text/plain").lower()
            uris.append((at, end, "" if mime.startswith(BINARY_MIMES) else payload))
        at = text.find("data:", end)
    return uris


def _uri_secrets(
    text: str, uris: list[tuple[int, int, str]], first_line: int, scan: _Scan
) -> list[Secret]:
    """Secrets in the base64 of the data: URIs that are text (decoded to find out)."""
    secrets: list[Secret] = []
    number, counted = first_line, 0
    for at, _, payload in uris:
        if not payload or scan.decode_left <= 0:
            continue
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if any(p in line for p in ALLOW_PRAGMAS):
            continue
        number += text.count("\n", counted, at)
        counted = at
        for secret in _scan_blob(payload, scan):
            secrets.append(_decoded(secret, number, at - line_start, line))
    return secrets


def _positions(low: str, scan: _Scan) -> list[int]:
    """Where the literals (and, with basic auth, '://' on a line with an '@') start."""
    at = []
    for literal in scan.found:
        pos = low.find(literal)
        while pos >= 0:
            at.append(pos)
            pos = low.find(literal, pos + 1)
    if scan.basic and "@" in low:
        pos = low.find("://")
        while pos >= 0:
            at.append(pos)
            pos = low.find("://", pos + 1)
    return sorted(at)


def _suspect_lines(
    text: str, hits: list[tuple[int, int, int]], scan: _Scan
) -> list[tuple[int, int, list[int]]]:
    """(start, end, where its hits start) of each line holding a hit, in order.

    With basic auth possible, each '://' is a hit too (the prefilter then wants an '@').
    """
    starts = sorted({hit[1] for hit in hits})
    if scan.basic:
        at = text.find("://")
        while at >= 0:
            starts.append(at)
            at = text.find("://", at + 3)
        starts = sorted(set(starts))
    lines: list[tuple[int, int, list[int]]] = []
    end = -1
    for pos in starts:
        if pos > end:
            begin = text.rfind("\n", 0, pos) + 1
            end = text.find("\n", pos)
            if end < 0:
                end = len(text)
            lines.append((begin, end, []))
        lines[-1][2].append(pos - lines[-1][0])
    return lines


def _prefilter_starts(low: str, at: list[int], scan: _Scan) -> list[int]:
    """Where prefilter matches start in ``low`` (a lowercased line), searched only around
    the hits ``at``.

    A match holds a literal at most PREFILTER_BEFORE characters in and ends at most
    PREFILTER_AFTER past it (BASIC_AFTER past a '://'), so the regions around the hits hold
    every match. The prefilter
    (no literal prefix, case-insensitive parts) costs about 90 ns a character searched, and
    a 4.8 MB plotly bundle holds 1,700 literals but 3 matches.
    """
    regions: list[list[int]] = []
    for pos in at:
        after = BASIC_AFTER if low.startswith("://", pos) else PREFILTER_AFTER
        a, b = max(0, pos - PREFILTER_BEFORE), min(len(low), pos + after)
        if regions and a <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], b)
        else:
            regions.append([a, b])
    return [m.start() for a, b in regions for m in scan.prefilter.finditer(low, a, b)]


def _scan_line(line: str, low: str, number: int, scan: _Scan, at: list[int]) -> list[Secret]:
    if any(p in line for p in ALLOW_PRAGMAS):
        return []
    starts = _prefilter_starts(low, at, scan)
    if not starts:
        return []
    spans, blobs = _split(line, low, starts) if len(line) >= 40 else ([(0, len(line))], [])
    if blobs:
        starts = [s for s in starts if not any(b.start <= s < b.end for b in blobs)]
    seen: dict[str, Secret] = {}
    if starts:
        for a, b in spans:
            whole = a == 0 and b == len(line) and b <= LINE_MAX
            for lo, hi, w0, w1 in windows(a, b):
                if lo == a and hi == b or any(lo <= s < hi for s in starts):
                    near = [s - w0 for s in starts if w0 <= s < w1]
                    _scan_window(line[w0:w1], w0, lo, hi, whole, number, scan, seen, near)
    for blob in blobs:
        for secret in _scan_blob(blob.payload, scan):
            if secret.value not in seen:
                seen[secret.value] = _decoded(secret, number, blob.start, line)
    return sorted(seen.values(), key=lambda s: s.col)


def _decoded(secret: Secret, number: int, start: int, text: str) -> Secret:
    """A secret found in decoded base64, placed where the base64 starts."""
    found_as = text[start : start + 40]
    return Secret(number, start + 1, f"{secret.kind} in base64 data", secret.value, found_as)


def windows(start: int, end: int) -> list[tuple[int, int, int, int]]:
    """How ``line[start:end]`` is scanned: (keep_from, keep_to, from, to) for each window.

    The regexes and plugins see ``line[from:to]``, at most ``CONTEXT + WINDOW + OVERLAP``
    characters, and keep what starts in ``[keep_from, keep_to)``; a line up to
    ``LINE_MAX`` long is one window.
    """
    if end - start <= LINE_MAX:
        return [(start, end, start, end)]
    return [
        (s, min(s + WINDOW, end), max(start, s - CONTEXT), min(end, s + WINDOW + OVERLAP))
        for s in range(start, end, WINDOW)
    ]


def _scan_window(
    window: str,
    w0: int,
    lo: int,
    hi: int,
    whole: bool,
    number: int,
    scan: _Scan,
    seen: dict[str, Secret],
    near: list[int] = (),  # type: ignore[assignment]
) -> None:
    c = _compiled()
    for kind, regex, group in c.patterns:
        for match in regex.finditer(window):
            if not lo <= w0 + match.start() < hi:
                continue  # another window's, or cut by this one's edge
            value = match.group(group)
            if value and not _is_placeholder(value) and value not in seen:
                if kind == "AWS access key" and not could_be_key_id(value):
                    continue
                seen[value] = Secret(number, w0 + match.start(group) + 1, kind, value)
    if whole:
        bare = c.bare.match(window)
        if bare and c.bare_name.search(bare.group(1)):
            value = bare.group(2)
            if not _is_placeholder(value) and value not in seen:
                seen[value] = Secret(number, bare.start(2) + 1, "password assignment", value)
    for kind, value in _plugin_findings(window, scan.filename, scan.config, near):
        if _is_placeholder(value) or any(value in v or v in value for v in seen):
            continue
        pos = window.find(value, lo - w0)
        if pos < 0 and lo == w0:
            pos = window.find(value)  # not found as itself (a plugin's normalised value)
        elif pos < 0 or w0 + pos >= hi:
            continue
        if _KEY_ID.fullmatch(value) and not _key_id_at(window, value):
            continue  # detect-secrets' AWS pattern has no word boundaries
        seen[value] = Secret(number, max(w0 + pos + 1, 1), kind, value)


_KEY_ID = re.compile(r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}")
_BASE64_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def could_be_key_id(value: str) -> bool:
    """An AWS key id is not a DNA sequence (``ACCAGTTCAGGTTACCAGTA`` has its shape)."""
    return not set(value) <= set("ACGTUN")


def _key_id_at(text: str, value: str) -> bool:
    """``value`` occurs in ``text`` where a key id can be: not inside a longer run of base64."""
    at = text.find(value)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(value)] if at + len(value) < len(text) else " "
        if before not in _BASE64_CHARS and after not in _BASE64_CHARS and after != "=":
            return could_be_key_id(value)
        at = text.find(value, at + 1)
    return False


def _split(line: str, low: str, starts: list[int]) -> tuple[list[tuple[int, int]], list[_Blob]]:
    """The spans of ``line`` that are text, and the base64 data between them.

    Data: every ``data:`` URI, a line of wrapped base64, and a run of BLOB_MIN or more
    base64 characters around a prefilter match (only there: a regex over the whole line to
    find every run cost 30-60 ns a character, on lines the prefilter had otherwise cleared).
    """
    if _B64_LINE.fullmatch(line) and _mixed(line):  # wrapped base64 (to_jshtml frames, an mp4)
        return [], [_Blob(0, len(line), line.rstrip("\\"))]
    blobs: list[_Blob] = []
    if "data:" in low:
        for match in _DATA_URI.finditer(line):
            if blobs and match.start() < blobs[-1].end:
                continue
            mime = (match.group("mime") or "text/plain").lower()
            if match.group("b64"):  # decoded, if text, by _data_uri_secrets
                end = _B64_PAYLOAD.match(line, match.end()).end()  # type: ignore[union-attr]
            elif mime.startswith(BINARY_MIMES):
                end = _URI_PAYLOAD.match(line, match.end()).end()  # type: ignore[union-attr]
            else:
                continue  # percent-encoded text: scanned as text
            if end > match.end():
                blobs.append(_Blob(match.start(), end, ""))
    if len(line) >= BLOB_MIN:
        uris = list(blobs)
        seen_to = 0  # runs are disjoint: each is looked at once, however many starts in it
        for start in starts:
            if start < seen_to or any(u.start <= start < u.end for u in uris):
                continue  # in a data URI, or in a run looked at already
            run_start, seen_to, data = _run_around(line, start, seen_to)
            if data and not any(u.start <= run_start < u.end for u in uris):
                blobs.append(_Blob(run_start, seen_to, line[run_start:seen_to]))
            seen_to = max(seen_to, start + 1)
        blobs.sort()
    if not blobs:
        return [(0, len(line))], []
    spans = []
    pos = 0
    for blob in blobs:
        if blob.start > pos:
            spans.append((pos, blob.start))
        pos = max(pos, blob.end)
    if pos < len(line):
        spans.append((pos, len(line)))
    return spans, blobs


_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]*=*")
_RUN_START = re.compile(r"[^A-Za-z0-9+/_-][A-Za-z0-9+/_-]*\Z")  # the last break before pos


_DIGIT, _UPPER, _LOWER = re.compile("[0-9]"), re.compile("[A-Z]"), re.compile("[a-z]")


def _mixed(text: str, start: int = 0, end: int | None = None) -> bool:
    """Digits, capitals and small letters: what base64 of data always has (a run of 256
    random base64 characters lacks digits once in 10^19), and a long name
    (``secretsecret...``) or a DNA sequence has not."""
    end = len(text) if end is None else end
    return all(rx.search(text, start, end) for rx in (_DIGIT, _UPPER, _LOWER))


def _run_around(line: str, pos: int, floor: int) -> tuple[int, int, bool]:
    """The run of base64 characters holding ``pos`` (it starts at ``floor`` or later), and
    whether it is data: BLOB_MIN or longer, mixed, and no value a keyword is assigned
    (``token = "<a long token>"`` is scanned as text)."""
    end = _BASE64_RUN.match(line, pos).end()  # type: ignore[union-attr]
    start = pos
    while True:  # back to the run's start, BLOB_MIN characters at a time
        edge = _RUN_START.search(line, max(floor, start - BLOB_MIN), start)
        if edge is not None:
            start = edge.start() + 1
            break
        if start - BLOB_MIN <= floor:
            start = floor
            break
        start -= BLOB_MIN
    if end - start < BLOB_MIN or not _mixed(line, start, end):
        return start, end, False
    if _compiled().assigned.search(line, max(0, start - ASSIGNED_BEFORE), start):
        return start, end, False
    return start, end, True


def _scan_blob(payload: str, scan: _Scan) -> list[Secret]:
    """The secrets in base64 data that decodes to text; none in binary data."""
    payload = payload.translate(_NOT_BASE64)
    if len(payload) < 16 or scan.decode_left <= 0:
        return []
    urlsafe = "-" in payload or "_" in payload
    if urlsafe and ("+" in payload or "/" in payload):
        return []  # two alphabets: not base64
    head = _b64decode(payload[:PEEK], urlsafe)
    if head is None or not _looks_text(head):
        return []
    size = min(len(payload), DECODE_MAX, scan.decode_left)
    scan.decode_left -= size
    data = _b64decode(payload[:size], urlsafe)
    if data is None:
        return []
    return _scan(data.decode("utf-8", "replace"), scan.filename, 1, decode=False)


_NOT_BASE64 = str.maketrans("", "", "\\\r\n")  # JS line continuations, line breaks


def _b64decode(text: str, urlsafe: bool) -> bytes | None:
    import base64
    import binascii

    text = text.rstrip("=")
    if len(text) % 4 == 1:  # cut mid-quantum (a peek): one character decodes to nothing
        text = text[:-1]
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), b"-_" if urlsafe else None)
    except (binascii.Error, ValueError):
        return None


def _looks_text(data: bytes) -> bool:
    """UTF-8 without NUL bytes, at least 95% printable: what a secret can hide in."""
    if not data or b"\0" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 3:
            return False
        text = data[: exc.start].decode("utf-8")  # cut inside the last character
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return printable >= 0.95 * len(text)


def _is_placeholder(value: str) -> bool:
    stripped = value.strip("\"'`")
    return len(stripped) < 6 and "PRIVATE KEY" not in stripped or bool(_PLACEHOLDER.match(stripped))


@functools.lru_cache(maxsize=1)
def _plugins() -> tuple[tuple[str, Any], ...]:
    """(module, plugin) of each detect-secrets plugin we run (imported on the first call)."""
    import importlib

    found = []
    for module, name, _ in PLUGINS:
        try:
            cls = getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)
        except (ImportError, AttributeError):  # an older detect-secrets lacks a plugin
            continue
        found.append((module, cls()))
    return tuple(found)


def needed_plugins(window: str) -> frozenset[str]:
    """The modules of the plugins that must look at ``window`` (see PLUGIN_GATE)."""
    if not PLUGIN_GATE:
        return _ALL_PLUGINS
    window = _fold(window)
    low = window.lower()
    needed = {
        module
        for module, cased, plain in _GATE_LITERALS
        if any(x in window for x in cased) or any(x in low for x in plain)
    }
    for module in needed & GATE_PATTERNS.keys():
        if _gate_pattern(module).search(window) is None:
            needed.discard(module)
    return frozenset(needed)


_ALL_PLUGINS = frozenset(module for module, _, _ in PLUGINS)
# (module, literals looked for as they are, literals looked for lowercased)
_GATE_LITERALS = tuple(
    (
        module,
        tuple(x for x in literals if x != x.lower()),
        tuple(x for x in literals if x == x.lower()),
    )
    for module, _, literals in PLUGINS
)


@functools.lru_cache(maxsize=4)
def _gate_pattern(module: str) -> re.Pattern[str]:
    return re.compile(GATE_PATTERNS[module])


@functools.lru_cache(maxsize=16)
def _keyword_groups(filename: str, config: bool) -> Any:
    from detect_secrets.plugins import keyword
    from detect_secrets.util.filetype import FileType, determine_file_type

    filetype = FileType.CONFIG if config and filename.endswith(".env") else None
    filetype = filetype or determine_file_type(filename)
    if filename.endswith(".ipynb"):
        filetype = FileType.PYTHON
    return keyword.REGEX_BY_FILETYPE.get(filetype, keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP)


# detect-secrets' keyword patterns start at a keyword followed by "\w*": on a run of names
# like "secretsecret..." each keyword scans the rest of the run, and a 4 KB line took a
# second. On a window holding a run of this many word characters, the keyword plugin reads
# the text around each prefilter match instead (where its matches start), not the whole.
_LONG_WORD = re.compile(r"\w{128}")
_KEYWORD = re.compile(_KEYWORDS)  # on lowercased text
KEYWORD_SLICE = 640  # at most, from a prefilter match: its keyword, name, "=" and value


def _assignment(line: str, start: int) -> str:
    """The keyword assignment a prefilter match at ``start`` begins: up to the quote that
    closes its value (and a ";" after it), at most KEYWORD_SLICE characters."""
    end = min(len(line), start + KEYWORD_SLICE)
    match = _compiled().code.match(line.lower(), start, end)
    if match is not None and match.group()[-1:] in "\"'`":
        close = line.find(match.group()[-1], match.end(), end)
        if close >= 0:
            end = min(end, close + 2)
    return line[start:end]


def _plugin_findings(
    line: str, filename: str, config: bool, near: Sequence[int] = ()
) -> Iterator[tuple[str, str]]:
    needed = needed_plugins(line)
    if not needed:
        return  # detect-secrets is not even imported
    keyword_input = [line]
    if near and "keyword" in needed and _LONG_WORD.search(line):
        keyword_input = []
        low, covered = line.lower(), 0
        for s in near:
            if s >= covered and _KEYWORD.match(low, s):  # token triggers need no slice
                keyword_input.append(_assignment(line, s))
                covered = s + len(keyword_input[-1])
    for module, plugin in _plugins():
        if module not in needed:
            continue
        try:
            if type(plugin).__name__ == "KeywordDetector":
                groups = _keyword_groups(filename, config)
                values: Iterable[str] = [
                    v
                    for text in keyword_input
                    for v in plugin.analyze_string(text, denylist_regex_to_group=groups)
                ]
            else:
                values = plugin.analyze_string(line)
            for value in dict.fromkeys(values):  # once each: a repeated value costs once
                if value:
                    yield str(plugin.secret_type), str(value)
        except Exception:  # noqa: BLE001, S112 - a plugin bug must not stop the scan
            continue


class Baseline(NamedTuple):
    """Accepted findings: detect-secrets' baseline format, matched by file and hash."""

    accepted: frozenset[tuple[str, str]] = frozenset()
    problem: str | None = None

    def allows(self, filename: str, secret: Secret) -> bool:
        return (filename, secret.hashed) in self.accepted or ("*", secret.hashed) in self.accepted


def load_baseline(path: Path) -> Baseline:
    """Read ``.secrets.baseline``; a missing file accepts nothing, a broken one is reported."""
    if not path.is_file():
        return Baseline()
    import json  # only with a baseline: `folio check` imports it for nothing otherwise

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        results = data["results"]
        accepted = {
            (str(name), str(item["hashed_secret"]))
            for name, items in results.items()
            for item in items
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return Baseline(problem=f"cannot read secrets baseline: {type(exc).__name__}")
    return Baseline(frozenset(accepted))


def baseline_json(findings: Iterable[tuple[str, Secret]], old: Baseline | None = None) -> str:
    """A detect-secrets compatible baseline accepting ``findings`` (and what ``old`` accepted)."""
    import json

    results: dict[str, list[dict[str, object]]] = {}
    for filename, secret in sorted(findings, key=lambda f: (f[0], f[1].line, f[1].col)):
        entry = {
            "type": secret.kind,
            "filename": filename,
            "hashed_secret": secret.hashed,
            "is_verified": False,
            "line_number": secret.line,
        }
        if entry not in results.setdefault(filename, []):
            results[filename].append(entry)
    for filename, hashed in sorted(old.accepted if old else ()):
        items = results.setdefault(filename, [])
        if not any(i["hashed_secret"] == hashed for i in items):
            items.append(
                {
                    "type": "accepted",
                    "filename": filename,
                    "hashed_secret": hashed,
                    "is_verified": False,
                    "line_number": 0,
                }
            )
    data = {
        "version": "1.5.0",
        "plugins_used": [],
        "filters_used": [],
        "results": results,
        "generated_by": "folio clean --update-baseline",
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
