"""Find secrets in text: a cheap prefilter, high-confidence token formats, detect-secrets plugins.

Only lines the prefilter matches reach the regexes and the detect-secrets plugins, so a clean
file costs one regex search, and detect-secrets (whose import pulls in requests, about 0.2 s)
is imported only when some line looks suspicious. Plugins are called through
``analyze_string``, never ``analyze_line``: the latter may verify a token over the network.

A secret is never printed in full: :func:`mask` keeps at most four leading characters.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

ALLOW_PRAGMAS = ("folio: allow-secret", "pragma: allowlist secret")

# One search per file. Every high-confidence pattern and every detect-secrets plugin we run
# has a literal here that any of its matches must contain.
_TOKEN_TRIGGERS = (
    r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9_]{30}|github_pat_|glpat-|xox[abposr]-|hooks\.slack\.com"
    r"|AIza[0-9A-Za-z_\-]{30}|PRIVATE KEY|eyJ[A-Za-z0-9_=-]{8}|[rs]k_live_|T3BlbkFJ"
    r"|pypi-AgE|_authToken|SG\.[\w-]{16}|AccountKey=|://[^\s/:@'\"]+:[^\s/@'\"]+@"
    r"|[0-9a-f]{32}-us\d{1,2}\b|hf_[A-Za-z0-9]{30}|sk-[A-Za-z0-9_-]{30}"
    r"|[\"']key[\"']\s*:\s*[\"'][0-9a-f]{32}"
    r"|sq0csp-"
)
_KEYWORDS = (
    r"(?:api_?key|auth_?key|service_?key|account_?key|db_?key|database_?key|priv_?key"
    r"|private_?key|client_?key|db_?pass|database_?pass|key_?pass|password|passwd|pwd"
    r"|secret|token|contrase(?:ñ|n)a)"
)
# In code (and notebook outputs, which print Python values) a secret is a quoted string;
# in config files (.env, .yaml, .ini) values are often bare.
_PREFILTER_CODE = (
    rf"{_TOKEN_TRIGGERS}|(?i:{_KEYWORDS}[\w\"'\]\)]*\s*(?::=|=>|==|!=|=|:|<-)\s*"
    r"[@\[\(]*[frbu]{0,2}[\"'`])"
)
_PREFILTER_CONFIG = (
    rf"{_TOKEN_TRIGGERS}|(?i:{_KEYWORDS}[\w\"'\]]*\s*(?::=|=>|=|:)\s*[\"'`]?[^\s\"'`#])"
)

# High-confidence formats: (kind, pattern, group holding the secret).
_PATTERNS: tuple[tuple[str, str, int], ...] = (
    ("GitHub token", (r"\b(gh[pousr]_[A-Za-z0-9_]{36,255})\b"), 1),
    ("GitHub token", (r"\b(github_pat_[A-Za-z0-9_]{60,255})\b"), 1),
    ("AWS access key", (r"\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b"), 1),
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
            r"(?i)\b[\w.]*(?:password|passwd|pwd|secret|api_?key|access_?token|auth_?token"
            r"|client_?secret)[\"']?\s*(?::=|=|:)\s*[frbu]{0,2}([\"'])([^\"'\s]{6,})\1"
        ),
        2,
    ),
    (
        "password assignment",
        (
            r"(?i)^\s*(?:export\s+)?[\w.-]*(?:password|passwd|pwd|secret|api_?key|access_?token"
            r"|auth_?token|client_?secret)[\w.-]*\s*(?:=|:)\s*([^\s\"'#`][^\s\"'#`]{5,})\s*$"
        ),
        1,
    ),
)


@functools.lru_cache(maxsize=1)
def _compiled() -> tuple[
    re.Pattern[str], re.Pattern[str], tuple[tuple[str, re.Pattern[str], int], ...]
]:
    # Compiled on the first suspicious line, not at import: `folio check` pays nothing.
    return (
        re.compile(_PREFILTER_CODE),
        re.compile(_PREFILTER_CONFIG),
        tuple((kind, re.compile(pattern), group) for kind, pattern, group in _PATTERNS),
    )


# detect-secrets plugins we run: token formats and keywords. Entropy plugins flag every hash
# and id in ML outputs, and the IBM/SoftLayer/Discord/Artifactory ones fire on ordinary words.
PLUGINS = (
    ("aws", "AWSKeyDetector"),
    ("azure_storage_key", "AzureStorageKeyDetector"),
    ("basic_auth", "BasicAuthDetector"),
    ("github_token", "GitHubTokenDetector"),
    ("gitlab_token", "GitLabTokenDetector"),
    ("jwt", "JwtTokenDetector"),
    ("keyword", "KeywordDetector"),
    ("mailchimp", "MailchimpDetector"),
    ("npm", "NpmDetector"),
    ("openai", "OpenAIDetector"),
    ("private_key", "PrivateKeyDetector"),
    ("pypi_token", "PypiTokenDetector"),
    ("sendgrid", "SendGridDetector"),
    ("slack", "SlackDetector"),
    ("square_oauth", "SquareOAuthDetector"),
    ("stripe", "StripeDetector"),
)

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
    automaton = _automaton()
    if automaton is None:
        found = tuple(x for x in LITERALS if x in low)
    else:
        hits = automaton.find_matches_as_indexes(low, overlapping=True) if low else ()
        found = tuple(LITERALS[i] for i in sorted({hit[0] for hit in hits})) if hits else ()
    return found, "://" in low and "@" in low


def might_contain(text: str) -> bool:
    """The literal gate alone: False means no line of ``text`` can hold a finding."""
    found, basic = _gate(text.lower())
    return bool(found) or basic


def prefilter(text: str, *, config: bool = False) -> bool:
    """True when some line could hold a secret: the cheap test before the real scan."""
    found, basic = _gate(text.lower())
    if not found and not basic:
        return False
    code, conf, _ = _compiled()
    return (conf if config else code).search(text) is not None


def scan_text(text: str, filename: str, *, first_line: int = 1) -> list[Secret]:
    """Secrets in ``text`` (lines numbered from ``first_line``), pragma lines skipped."""
    found, basic = _gate(text.lower())
    if not found and not basic:
        return []
    config = is_config_file(filename)
    code, conf, _ = _compiled()
    pattern = conf if config else code
    secrets: list[Secret] = []
    for index, line in enumerate(text.split("\n")):
        low = line.lower()
        if not any(x in low for x in found) and not (basic and "://" in low and "@" in low):
            continue
        line = line.rstrip("\r")
        if pattern.search(line) is None or any(p in line for p in ALLOW_PRAGMAS):
            continue
        secrets.extend(_scan_line(line, first_line + index, filename, config))
    return secrets


def _scan_line(line: str, number: int, filename: str, config: bool) -> list[Secret]:
    seen: dict[str, Secret] = {}
    for kind, regex, group in _compiled()[2]:
        for match in regex.finditer(line):
            value = match.group(group)
            if value and not _is_placeholder(value) and value not in seen:
                seen[value] = Secret(number, match.start(group) + 1, kind, value)
    for kind, value in _plugin_findings(line, filename, config):
        if _is_placeholder(value) or any(value in v or v in value for v in seen):
            continue
        col = line.find(value) + 1
        seen[value] = Secret(number, max(col, 1), kind, value)
    return sorted(seen.values(), key=lambda s: s.col)


def _is_placeholder(value: str) -> bool:
    stripped = value.strip("\"'`")
    return len(stripped) < 6 and "PRIVATE KEY" not in stripped or bool(_PLACEHOLDER.match(stripped))


@functools.lru_cache(maxsize=1)
def _plugins() -> tuple[Any, ...]:
    import importlib

    found = []
    for module, name in PLUGINS:
        try:
            cls = getattr(importlib.import_module(f"detect_secrets.plugins.{module}"), name)
        except (ImportError, AttributeError):  # an older detect-secrets lacks a plugin
            continue
        found.append(cls())
    return tuple(found)


@functools.lru_cache(maxsize=16)
def _keyword_groups(filename: str, config: bool) -> Any:
    from detect_secrets.plugins import keyword
    from detect_secrets.util.filetype import FileType, determine_file_type

    filetype = FileType.CONFIG if config and filename.endswith(".env") else None
    filetype = filetype or determine_file_type(filename)
    if filename.endswith(".ipynb"):
        filetype = FileType.PYTHON
    return keyword.REGEX_BY_FILETYPE.get(filetype, keyword.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP)


def _plugin_findings(line: str, filename: str, config: bool) -> Iterator[tuple[str, str]]:
    for plugin in _plugins():
        try:
            if type(plugin).__name__ == "KeywordDetector":
                values: Iterable[str] = plugin.analyze_string(
                    line, denylist_regex_to_group=_keyword_groups(filename, config)
                )
            else:
                values = plugin.analyze_string(line)
            for value in values:
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
