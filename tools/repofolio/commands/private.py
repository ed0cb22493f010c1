"""``folio journal private``: the committed digests of the names the journal never publishes.

``add NAME [--person]`` and ``remove NAME`` change ``.folio/private-names``; ``list`` shows
how many names it holds (never a name: there is none to show); ``migrate`` moves the names
of ``[tool.folio.journal] private`` / ``private-people`` (plain text in a committed file) and
of the pipeline's store into digests, and deletes those keys' lines from the configuration,
every other byte of it kept.
"""

from __future__ import annotations

import json

import click

from repofolio import privacy
from repofolio.config import Config
from repofolio.errors import FolioError
from repofolio.fsio import read_text, write_if_changed
from repofolio.privacy import PLAIN_KEYS, config_table


def run_add(cfg: Config, name: str, *, person: bool = False) -> int:
    kind = "person" if person else "company"
    digests = privacy.load_or_new(cfg.root)
    if not digests.add(name, kind):
        click.echo(f"{privacy.mask(name)} is in {privacy.DIGESTS_FILE} already.", err=True)
        return 0
    privacy.save(cfg.root, digests)
    words = len(privacy.name_key(name).split())
    click.echo(
        f"Added a {kind} ({privacy.mask(name)}, {words} word{'s' if words != 1 else ''}) to "
        f"{privacy.DIGESTS_FILE}: commit it; every published page now replaces it",
        err=True,
    )
    return 0


def run_remove(cfg: Config, name: str) -> int:
    digests = privacy.load(cfg.root)
    if digests is None or not digests.has(name):
        shown = privacy.mask(name)
        click.echo(f"{shown} is not in {privacy.DIGESTS_FILE}; nothing written.", err=True)
        return 1
    changed = privacy.Digests(digests.salt, digests.entries)
    changed.remove(name)
    privacy.save(cfg.root, changed)
    click.echo(f"Removed {privacy.mask(name)} from {privacy.DIGESTS_FILE}.", err=True)
    key = privacy.name_key(name)
    if key in {privacy.name_key(n) for n in (*cfg.journal.private, *cfg.journal.private_people)}:
        click.echo(
            f"It is still in [tool.folio.journal] of {cfg.source}, and redacted from there.",
            err=True,
        )
    companies, people = _store_names(cfg)
    if key in {privacy.name_key(n) for n in (*companies, *people)}:
        click.echo(
            "It is still in the pipeline's store: redacted on this machine, but no longer by CI.",
            err=True,
        )
    return 0


def run_list(cfg: Config, *, fmt: str = "text") -> int:
    digests = privacy.load(cfg.root)
    counts = digests.counts() if digests is not None else dict.fromkeys(privacy.KINDS, 0)
    plain = len(cfg.journal.private) + len(cfg.journal.private_people)
    if fmt == "json":
        data = {
            "file": privacy.DIGESTS_FILE,
            "companies": counts["company"],
            "people": counts["person"],
            "name_parts": counts["part"],
            "plain_text": plain,
        }
        click.echo(json.dumps(data, indent=2))
        return 0
    if digests is None:
        click.echo(f"No {privacy.DIGESTS_FILE} yet: 'folio journal private add NAME' starts it.")
    else:
        n = counts["company"] + counts["person"]
        click.echo(
            f"{privacy.DIGESTS_FILE}: {n} private name{'s' if n != 1 else ''} as digests: "
            f"{counts['company']} compan{'ies' if counts['company'] != 1 else 'y'}, "
            f"{counts['person']} {'people' if counts['person'] != 1 else 'person'} "
            f"(and {counts['part']} first or family name{'s' if counts['part'] != 1 else ''} "
            "alone)"
        )
    if plain:
        click.echo(
            f"{cfg.source}: {plain} name{'s' if plain != 1 else ''} in plain text "
            "([tool.folio.journal] private, private-people): the repository publishes them; "
            "run 'folio journal private migrate'"
        )
    return 0


def run_migrate(cfg: Config, *, check_only: bool = False) -> int:
    """Names in plain text (the configuration, the pipeline's store) -> digests; the keys'
    lines deleted from the configuration. Exit 0 done or nothing to do, 1 with ``check_only``
    when it would write."""
    from repofolio import tomledit

    companies = list(cfg.journal.private)
    people = list(cfg.journal.private_people)
    store_companies, store_people = _store_names(cfg)
    digests = privacy.load_or_new(cfg.root)
    new = privacy.add_all(digests, (*companies, *store_companies), (*people, *store_people))
    config_path = cfg.root / (cfg.source or "pyproject.toml")
    config_text: str | None = None
    result = None
    if companies or people:
        result = read_text(config_path)
        if result.text is None:
            raise FolioError(f"{cfg.source}: {result.problem}")
        table = config_table(cfg.source, result.text)
        config_text = result.text
        for key, _ in PLAIN_KEYS:
            try:
                edited = tomledit.remove_key(config_text, table, key)
            except ValueError as exc:
                raise FolioError(
                    f"{cfg.source}: [{'.'.join(table)}] {key}: {exc}; delete it by hand after "
                    "'folio journal private add' for each name; nothing was written"
                ) from None
            if edited is not None:
                config_text = edited
    if not new and config_text is None:
        click.echo(
            f"Nothing to migrate: no name in plain text, and {privacy.DIGESTS_FILE} has every "
            "name of the pipeline.",
            err=True,
        )
        return 0
    if check_only:
        click.echo(
            f"Would add {new} name{'s' if new != 1 else ''} to {privacy.DIGESTS_FILE}"
            + (f" and delete the plain-text names from {cfg.source}" if config_text else ""),
            err=True,
        )
        return 1
    # the digests first: a name is never out of both files
    if new:
        privacy.save(cfg.root, digests)
    if config_text is not None and result is not None:
        prefix = "\ufeff" if result.has_bom else ""
        write_if_changed(config_path, prefix + config_text, prefix + (result.text or ""))
    click.echo(
        f"Added {new} name{'s' if new != 1 else ''} (as digests) to {privacy.DIGESTS_FILE}"
        + (
            f"; deleted [tool.folio.journal] private{', private-people' if people else ''} from "
            f"{cfg.source}"
            if config_text is not None
            else ""
        )
        + ". Commit both. The names stay in the git history of the file: rewrite it "
        "(git filter-repo) if they must be gone from there too.",
        err=True,
    )
    return 0


def names_ci_would_miss(cfg: Config) -> int:
    """How many names of the pipeline's store (on this machine) neither the committed digests
    nor the configuration have: redacted here, published by a build that has no store."""
    companies, people = _store_names(cfg)
    if not companies and not people:
        return 0
    digests = privacy.load(cfg.root)
    plain = {privacy.name_key(n) for n in (*cfg.journal.private, *cfg.journal.private_people)}
    return sum(
        1
        for name in (*companies, *people)
        if privacy.name_key(name) not in plain and (digests is None or not digests.has(name))
    )


def warn_ci_would_miss(cfg: Config) -> None:
    missing = names_ci_would_miss(cfg)
    if missing:
        click.echo(
            f"folio: warning: {missing} name{'s' if missing != 1 else ''} of the pipeline's "
            f"store {'are' if missing != 1 else 'is'} not in {privacy.DIGESTS_FILE}: hidden "
            "here, published by CI (no store there); run 'folio journal private migrate' "
            "and commit it",
            err=True,
        )


def _store_names(cfg: Config) -> tuple[tuple[str, ...], tuple[str, ...]]:
    from repofolio.pipeline.names import pipeline_names

    return pipeline_names(cfg)
