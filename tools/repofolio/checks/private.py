"""JR011, JR012: the names of the job search are never in a file of the public repository.

- **JR011** (error): a private name (a digest of ``.folio/private-names`` matches, or a name
  still configured in plain text) in a published file: a journal entry, a page of the docs,
  ``cv.yaml``, the README, a project's write-up. The site would replace it, but the file
  itself is on GitHub as written; the name is never printed, only its kind and a masked
  form (``I*****h``) beside ``path:line:col``.
- **JR012** (warning): ``[tool.folio.journal] private`` / ``private-people`` list names in
  plain text in the configuration, a committed file: ``folio journal private migrate``.

From the digests and the configuration alone: the pipeline's store (json, platformdirs) is
not read on this path, and a portfolio without private names imports nothing of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic

if TYPE_CHECKING:
    from repofolio.model import Portfolio
    from repofolio.privacy import Matcher

KIND_WORDS = {"company": "company", "person": "person", "part": "person"}


def has_private_names(cfg: Config) -> bool:
    """True when the portfolio has private names to look for (one ``stat`` at most)."""
    from repofolio.privacy import DIGESTS_FILE

    journal = cfg.journal
    return bool(journal.private or journal.private_people) or (cfg.root / DIGESTS_FILE).exists()


def check_matcher(cfg: Config) -> Matcher | None:
    """The committed digests and the configured names; None when there are none."""
    if not has_private_names(cfg):
        return None
    from repofolio.privacy import portfolio_matcher

    found = portfolio_matcher(cfg, store=False)
    return found if found else None


def findings(name: str, text: str, matcher: Matcher, cfg: Config) -> Iterator[Diagnostic]:
    """JR011 at each private name in the file ``name``."""
    from repofolio.privacy import mask

    for span in matcher.spans(text):
        line = text.count("\n", 0, span.start) + 1
        col = span.start - (text.rfind("\n", 0, span.start) + 1) + 1
        kind = KIND_WORDS[span.kind]
        word = cfg.journal.replacement if kind == "company" else cfg.journal.person_replacement
        yield Diagnostic(
            name,
            line,
            col,
            "JR011",
            f"a private {kind} name ({mask(text[span.start : span.end])}) of the job search: "
            f"this file is public as written; write '{word}' instead (keep the name in "
            "'folio apply note')",
        )


def check(portfolio: Portfolio, cfg: Config) -> Iterator[Diagnostic]:
    """What is checked once for the portfolio (``folio build`` runs it with the others)."""
    return check_config(cfg)


def check_writeups(portfolio: Portfolio, cfg: Config) -> Iterator[Diagnostic]:
    """JR011 in the projects' write-ups (published as their pages, and on GitHub)."""
    matcher = check_matcher(cfg)
    if matcher is None:
        return
    for project in portfolio.projects:
        if project.text:
            yield from findings(project.readme_rel, project.text, matcher, cfg)


def check_config(cfg: Config) -> Iterator[Diagnostic]:
    """JR012 at the configuration's plain-text list of names."""
    journal = cfg.journal
    if not (journal.private or journal.private_people) or cfg.source is None:
        return
    from repofolio.fsio import read_text
    from repofolio.privacy import PLAIN_KEYS, config_table
    from repofolio.tomledit import key_lines

    text = read_text(cfg.root / cfg.source).text or ""
    table = config_table(cfg.source, text)
    for key, _ in PLAIN_KEYS:
        names = journal.private if key == "private" else journal.private_people
        if not names:
            continue
        found = key_lines(text, table, key)
        yield Diagnostic(
            cfg.source,
            found[0] + 1 if found else 1,
            1,
            "JR012",
            f"[tool.folio.journal] {key} lists {len(names)} name{'s' if len(names) != 1 else ''}"
            " in plain text in a committed file, which publishes them: run 'folio journal "
            "private migrate' (salted digests in .folio/private-names instead)",
            "warning",
        )
