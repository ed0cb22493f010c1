"""``folio github sync | import | publish-readme``: the portfolio and GitHub, through PyGithub.

The decisions (which topics, which homepage, what an imported write-up says, when a README
needs committing) are pure functions here; :mod:`repofolio.github` does the talking.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click

from repofolio.checks.content import split_url
from repofolio.errors import FolioError
from repofolio.fsio import rel, write_if_changed
from repofolio.kinds import section_hint
from repofolio.remotes import pages_url

if TYPE_CHECKING:
    from repofolio.config import Config
    from repofolio.github import GithubClient, RepoFacts, RepoSettings, RepoSummary
    from repofolio.model import Portfolio

MAX_TOPICS = 20  # https://docs.github.com/en/rest/repos/repos#replace-all-repository-topics
MAX_TOPIC_LENGTH = 50
MAX_SKILLS = 8  # the long tail of GitHub's languages (Makefile, Dockerfile) is noise on a card
PLACEHOLDER = "FILL IN"
# https://docs.github.com/en/actions/managing-workflow-runs/skipping-workflow-runs
SKIP_CI = re.compile(r"\s*\[(skip ci|ci skip|no ci|skip actions|actions skip)\]", re.I)


# -- connection --------------------------------------------------------------------------------


def connect(cfg: Config, api_url: str | None) -> GithubClient:
    from repofolio.github import GithubClient, Settings, api_url_from, token_from_env

    gh = cfg.github
    settings = Settings(
        api_url=api_url_from(api_url),
        token=token_from_env(),
        timeout=gh.timeout,
        retries=gh.retries,
        max_wait=float(gh.max_wait),
        budget=float(gh.budget),
    )
    return GithubClient(settings)


def _need_token(client: GithubClient, what: str) -> None:
    if not client.settings.token:
        raise FolioError(f"{what} needs a token: set GITHUB_TOKEN or GH_TOKEN")


def _load(cfg: Config) -> Portfolio:
    from repofolio.discover import load_portfolio

    return load_portfolio(cfg)  # bad files are recorded, never raised: their tags are skipped


# -- sync --------------------------------------------------------------------------------------


def normalize_topic(name: str) -> str | None:
    """GitHub's topic rules: lowercase letters, digits and hyphens, at most 50 characters."""
    text = name.strip().lower().replace("++", "pp").replace("#", "sharp")
    if text.startswith("."):
        text = "dot" + text[1:]  # .net -> dotnet
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = text[:MAX_TOPIC_LENGTH].rstrip("-")
    return text or None


def wanted_topics(
    configured: Iterable[str], tags: Iterable[Sequence[str]]
) -> tuple[list[str], list[str]]:
    """(topics, dropped): configured topics first, then tags by how many projects use them."""
    ordered: list[str] = []
    for name in configured:
        topic = normalize_topic(name)
        if topic and topic not in ordered:
            ordered.append(topic)
    counts: Counter[str] = Counter()
    for project_tags in tags:
        counts.update({t for t in (normalize_topic(x) for x in project_tags) if t})
    for topic, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if topic not in ordered:
            ordered.append(topic)
    return ordered[:MAX_TOPICS], ordered[MAX_TOPICS:]


@dataclasses.dataclass(frozen=True)
class Change:
    field: str
    current: Any
    wanted: Any

    @property
    def differs(self) -> bool:
        if isinstance(self.wanted, (list, tuple)):
            return sorted(self.current) != sorted(self.wanted)
        return bool(self.current != self.wanted)


def plan_sync(
    cfg: Config, portfolio: Portfolio, current: RepoSettings
) -> tuple[list[Change], list[str]]:
    description = cfg.github.description or cfg.headline
    homepage = cfg.site_url
    if not homepage and urlsplit(current.html_url).hostname == "github.com":
        homepage = pages_url(current.owner, current.name)  # Enterprise: set site-url
    tags = [p.meta.tags for p in portfolio.projects if p.meta is not None]
    topics, dropped = wanted_topics(cfg.github.topics, tags)
    changes = []
    if description is not None:
        changes.append(Change("description", current.description, description.strip()))
    if homepage:
        changes.append(Change("homepage", current.homepage, homepage))
    if topics:  # nothing configured and no tags: leave the owner's topics alone
        changes.append(Change("topics", list(current.topics), topics))
    return changes, dropped


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value) + "]"
    return '"' + str(value) + '"'


def format_plan(full_name: str, changes: list[Change], dropped: list[str]) -> list[str]:
    differ = [c for c in changes if c.differs]
    lines = [f"{full_name}: {len(differ)} of {len(changes)} settings differ"]
    for c in changes:
        if not c.differs:
            lines.append(f"  {c.field:<12} unchanged  {_show(c.current)}")
            continue
        lines.append(f"  {c.field:<12} change     {_show(c.current)} -> {_show(c.wanted)}")
        if isinstance(c.wanted, list):
            added = [t for t in c.wanted if t not in c.current]
            removed = [t for t in c.current if t not in c.wanted]
            lines.append(
                f"  {'':<12}            added: {', '.join(added) or '-'}; "
                f"removed: {', '.join(removed) or '-'}"
            )
    if dropped:
        lines.append(
            f"  topics over GitHub's limit of {MAX_TOPICS}, left out: {', '.join(dropped)}"
        )
    return lines


def sync(cfg: Config, *, api_url: str | None, repo: str | None, dry_run: bool, check: bool) -> int:
    from repofolio.github import repo_from

    full_name = repo_from(repo, cfg.root, repo_url=cfg.repo_url)
    portfolio = _load(cfg)
    with connect(cfg, api_url) as client:
        if not (dry_run or check):
            _need_token(client, "folio github sync")
        current = client.repo_settings(full_name)
        changes, dropped = plan_sync(cfg, portfolio, current)
        differ = {c.field: c for c in changes if c.differs}
        if dry_run or check:
            for line in format_plan(current.full_name, changes, dropped):
                click.echo(line)
            return 1 if (check and differ) else 0
        if dropped:
            click.echo(
                f"folio: {len(dropped)} topics over GitHub's limit of {MAX_TOPICS} left "
                f"out: {', '.join(dropped)}",
                err=True,
            )
        if not differ:
            click.echo(f"{current.full_name} is up to date", err=True)
            return 0
        topics = differ.get("topics")
        client.update_settings(
            current.full_name,
            description=differ["description"].wanted if "description" in differ else None,
            homepage=differ["homepage"].wanted if "homepage" in differ else None,
            topics=tuple(topics.wanted) if topics else None,
        )
        click.echo(f"Updated {', '.join(differ)} of {current.full_name}", err=True)
        return 0


# -- import ------------------------------------------------------------------------------------


def slug_for(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:64].rstrip("-")


def title_for(name: str) -> str:
    words = re.sub(r"[-_.]+", " ", name).split()
    title = " ".join(w.capitalize() if w.islower() else w for w in words) or name
    return title[:100]


def first_paragraph(readme: str, blob_base: str) -> str | None:
    """The first prose paragraph of a README: no headings, badges, HTML, code, lists or tables.

    Relative links become absolute URLs into the source repository, so they keep working
    (and `folio check` does not report them) once copied into the portfolio.
    """
    text = re.sub(r"<!--.*?-->", "", readme.replace("\r\n", "\n"), flags=re.DOTALL)
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        text = text[end + 4 :] if end != -1 else text
    blocks: list[list[str]] = [[]]
    fence: str | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        marker = re.match(r"^(`{3,}|~{3,})", stripped)
        if fence is not None:
            if marker and stripped.startswith(fence):
                fence = None
            continue
        if marker:
            fence = marker.group(1)
            blocks.append([])
            continue
        if not stripped:
            blocks.append([])
        else:
            blocks[-1].append(stripped)
    for block in blocks:
        if not block or not _is_prose(block):
            continue
        paragraph = " ".join(block)
        return _absolute_links(paragraph, blob_base)
    return None


def _is_prose(block: list[str]) -> bool:
    first = block[0]
    if len(block) > 1 and re.match(r"^(=+|-+)$", block[1]):
        return False  # setext heading
    if re.match(
        r"^(#|<|!\[|\[!\[|>|\||[-*+] |\d+[.)] |\[[^\]]+\]:|(-{3,}|\*{3,}|_{3,})$|\.\. )", first
    ):
        return False
    # a line of only links or images (badges) is not prose
    bare = re.sub(r"!?\[[^\]]*\]\([^)]*\)|\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)", "", " ".join(block))
    return len(re.findall(r"[A-Za-z]{2,}", bare)) >= 3


def _absolute_links(text: str, blob_base: str) -> str:
    def fix(match: re.Match[str]) -> str:
        bang, label, target = match.group(1), match.group(2), match.group(3).strip()
        parts = split_url(target)
        if parts is None or parts.scheme or parts.netloc:
            return match.group(0)  # a URL (or what urlsplit cannot read): as it is
        if target.startswith(("#", "mailto:")) or not target:
            return match.group(0)
        path = re.sub(r"^(\./)+", "", target).lstrip("/")  # "/x" is the repository root
        url = f"{blob_base}/{path}"
        return f"{bang}[{label}]({url}{'?raw=true' if bang else ''})"

    text = re.sub(r"<img\b[^>]*>", "", text, flags=re.IGNORECASE)  # sized images, badges
    return " ".join(re.sub(r"(!?)\[([^\]]*)\]\(([^)\s]*)\)", fix, text).split())


def _month(value: dt.datetime | None) -> str | None:
    return value.strftime("%Y-%m") if value is not None else None


def render_import(facts: RepoFacts, cfg: Config, schema_rel: str | None = None) -> str:
    """The write-up of an imported repository: its facts, and 'FILL IN' where a human writes."""
    import yaml

    front: dict[str, Any] = {"title": title_for(facts.name)}
    summary = facts.description
    if summary and len(summary) > cfg.summary_max_length:
        sentence = re.split(r"(?<=[.!?])\s", summary, maxsplit=1)[0]
        summary = (
            sentence
            if len(sentence) <= cfg.summary_max_length
            else summary[: cfg.summary_max_length - 1].rsplit(" ", 1)[0] + "…"
        )
    front["summary"] = summary or (
        "FILL IN: one sentence a recruiter reads on the card: the problem, the method, "
        "the best number."
    )
    start, end = _month(facts.created), _month(facts.pushed)
    if start:
        front["period"] = {"start": start, **({"end": end} if end and end != start else {})}
    else:
        front["date"] = _month(facts.pushed) or dt.date.today().strftime("%Y-%m")
    front["status"] = "archived" if facts.archived else "completed"
    front["draft"] = True  # FILL IN is left: checked, never published until this goes
    front["role"] = "FILL IN: solo, or your part in the team"
    front["tags"] = list(facts.topics)
    front["skills"] = [name for name, _ in facts.languages[:MAX_SKILLS]]
    links = {"repo": facts.html_url}
    homepage = split_url(facts.homepage) if facts.homepage else None
    if facts.homepage and homepage is not None and homepage.scheme in ("http", "https"):
        links["homepage"] = facts.homepage
    front["links"] = links
    results = ["FILL IN: the main metric and what it beat (accuracy 0.91 vs 0.84 baseline)"]
    if facts.stars:
        results.append(f"{facts.stars} star{'s' if facts.stars != 1 else ''} on GitHub")
    front["results"] = results
    if facts.license:
        front["license"] = facts.license
    dumped = yaml.safe_dump(
        front, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False
    )
    header = f"# yaml-language-server: $schema={schema_rel}\n" if schema_rel else ""
    body = [f"# {front['title']}", ""]
    blob_base = f"{facts.html_url}/blob/{facts.default_branch}"
    intro = first_paragraph(facts.readme, blob_base) if facts.readme else None
    for section in cfg.kind_sections("code"):
        body += [f"## {section}", ""]
        key = section.strip().lower()
        if key == "problem" and intro:
            body += [intro, ""]
        body += [section_hint("code", section), ""]
        if key == "how to run":
            folder = facts.name
            body += ["```bash", f"git clone {facts.clone_url}", f"cd {folder}", "```", ""]
    return f"---\n{header}{dumped}---\n\n" + "\n".join(body).rstrip("\n") + "\n"


def imported(portfolio: Portfolio) -> dict[str, str]:
    """Repository URL path (lowercase ``owner/name``) -> the project that links to it."""
    found: dict[str, str] = {}
    for project in portfolio.projects:
        if project.meta is None:
            continue
        for url in project.meta.links.values():
            parts = split_url(url)
            # github.com or an Enterprise host
            if parts is not None and parts.hostname and "github" in parts.hostname:
                path = "/".join(parts.path.strip("/").split("/")[:2]).lower()
                if path.endswith(".git"):
                    path = path[:-4]
                if path.count("/") == 1:
                    found.setdefault(path, project.rel)
    return found


def import_repo(
    cfg: Config, *, api_url: str | None, full_name: str, slug: str | None, check: bool, diff: bool
) -> int:
    from repofolio.commands.new import validate_slug
    from repofolio.commands.schema import PROJECT_SCHEMA_FILE, write_project_schema
    from repofolio.remotes import FULL_NAME

    if not FULL_NAME.match(full_name):
        raise FolioError(f"'{full_name}' is not OWNER/NAME")
    portfolio = _load(cfg)
    already = imported(portfolio).get(full_name.lower())
    if already is not None:
        raise FolioError(f"{full_name} is already in {already} (its links); nothing was written")
    wanted_slug = slug or slug_for(full_name.split("/", 1)[1])
    validate_slug(wanted_slug)
    folder = cfg.projects_path / wanted_slug
    if os.path.lexists(folder):
        raise FolioError(
            f"{rel(folder, cfg.root)} already exists; nothing was written "
            "(choose another with --slug)"
        )
    with connect(cfg, api_url) as client:
        facts = client.repo_facts(full_name)
    readme = folder / "README.md"
    schema_rel = os.path.relpath(cfg.root / PROJECT_SCHEMA_FILE, folder)
    text = render_import(facts, cfg, schema_rel.replace(os.sep, "/"))
    readme_rel = rel(readme, cfg.root)
    if diff:
        click.echo(
            "".join(
                difflib.unified_diff([], text.splitlines(keepends=True), "/dev/null", readme_rel)
            ),
            nl=False,
        )
    if check:
        click.echo(f"Would create {readme_rel} from {facts.full_name}", err=True)
        return 1
    write_project_schema(cfg)
    folder.mkdir(parents=True)
    write_if_changed(readme, text)
    todo = text.count(PLACEHOLDER)
    click.echo(f"Created {readme_rel} from {facts.full_name}", err=True)
    click.echo(
        f"Next: replace the {todo} 'FILL IN' placeholders, then run "
        f"'folio check {rel(folder, cfg.root)}'.",
        err=True,
    )
    return 0


def not_imported(repos: Iterable[RepoSummary], portfolio: Portfolio) -> list[RepoSummary]:
    """Public, non-fork repositories with no project yet, most starred first."""
    done = imported(portfolio)
    slugs = {p.slug for p in portfolio.projects}
    keep = [
        r
        for r in repos
        if not r.fork
        and not r.private
        and r.full_name.lower() not in done
        and slug_for(r.name) not in slugs
    ]
    return sorted(keep, key=lambda r: (-r.stars, r.full_name.lower()))


def list_mine(cfg: Config, *, api_url: str | None, owner: str | None) -> int:
    from repofolio.github import GithubError, repo_from

    portfolio = _load(cfg)
    with connect(cfg, api_url) as client:
        repos = client.list_owned(owner)
    try:
        home = repo_from(
            None, cfg.root, repo_url=cfg.repo_url
        ).lower()  # the portfolio itself is not a project
    except GithubError:
        home = ""
    todo = [r for r in not_imported(repos, portfolio) if r.full_name.lower() != home]
    for r in todo:
        description = f"  {r.description}" if r.description else ""
        click.echo(f"{r.stars:>6}  {r.full_name}{description}")
    click.echo(
        f"{len(todo)} repositories not imported yet; import one with "
        "'folio github import OWNER/NAME'",
        err=True,
    )
    return 0


# -- publish-readme ----------------------------------------------------------------------------


def regenerate(text: str, portfolio: Portfolio, cfg: Config, path: str) -> str:
    from repofolio.render.readme_index import regenerate_readme

    return regenerate_readme(text, portfolio, cfg, path)


def publish_readme(
    cfg: Config,
    *,
    api_url: str | None,
    repo: str | None,
    branch: str | None,
    message: str | None,
    check: bool,
    diff: bool,
) -> int:
    from repofolio.github import GithubError, repo_from

    full_name = repo_from(repo, cfg.root, repo_url=cfg.repo_url)
    path = Path(cfg.index.readme).as_posix()
    portfolio = _load(cfg)
    message = message or cfg.github.commit_message
    attempts = cfg.github.readme_attempts
    with connect(cfg, api_url) as client:
        if not check:
            _need_token(client, "folio github publish-readme")
        target = branch or cfg.github.branch or client.default_branch(full_name)
        where = f"{full_name}@{target}"
        for attempt in range(1, attempts + 1):
            remote = client.read_file(full_name, path, target)
            if remote is None:
                raise GithubError(f"{path} not found on {where}: commit it once by hand first")
            try:
                new = regenerate(remote.text, portfolio, cfg, path)
            except FolioError as exc:  # bad markers in the README on GitHub: write nothing
                raise FolioError(f"{where}: {exc}") from None
            if new == remote.text:
                click.echo(f"{path} on {where} is up to date", err=True)
                return 0
            if diff:
                click.echo(
                    "".join(
                        difflib.unified_diff(
                            remote.text.splitlines(keepends=True),
                            new.splitlines(keepends=True),
                            f"a/{path}",
                            f"b/{path}",
                        )
                    ),
                    nl=False,
                )
                diff = False  # once, even when a conflict makes us regenerate
            if check:
                click.echo(f"{path} on {where} would change", err=True)
                return 1
            result = client.write_file(
                full_name, path, new, sha=remote.sha, branch=target, message=message
            )
            if result.outcome == "committed":
                click.echo(f"Committed {path} to {where} ({result.commit[:7]})", err=True)
                return 0
            if result.outcome == "protected":
                # Required checks must run on the pull request: no "[skip ci]" there.
                pr_message = SKIP_CI.sub("", message).strip() or message
                pull = client.propose_file(
                    full_name,
                    path,
                    new,
                    base=target,
                    head=cfg.github.pr_branch,
                    message=pr_message,
                    title=pr_message.split("\n", 1)[0],
                    body=f"`folio github publish-readme` could not commit to `{target}` "
                    f"({result.message}).\n\nThis pull request regenerates the project index in "
                    f"`{path}`; merge it to publish.",
                )
                verb = "opened" if pull.created else "updated"
                click.echo(
                    f"{target} is protected ({result.message}); {verb} pull request "
                    f"#{pull.number} with the {path} change: {pull.url}",
                    err=True,
                )
                return 0
            # conflict: someone committed README.md since we read it; read and regenerate again
            click.echo(
                f"{path} changed on {where} while publishing "
                f"(attempt {attempt} of {attempts}); reading it again",
                err=True,
            )
        raise GithubError(
            f"{path} on {where} kept changing; gave up after {attempts} attempts and "
            "overwrote nothing: run it again"
        )
