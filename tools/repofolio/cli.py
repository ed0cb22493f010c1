"""The ``folio`` command: a thin click shell over the toolkit.

Options and help texts are declared here, eagerly and cheaply; each command imports its work
inside its body, so ``folio check`` never loads nbconvert, PyGithub, mkdocs or rich.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from repofolio import __version__
from repofolio.errors import FolioError
from repofolio.kinds import KINDS
from repofolio.pipeline import STAGES

FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: path:line:col: CODE message; json: a sorted array; github: Actions annotations.",
)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class FolioCommand(click.Command):
    """A command that needs a portfolio, unless declared with ``needs_portfolio=False``.

    Checked once its arguments are parsed (``--help`` works anywhere) and before its body
    runs, so outside a portfolio nothing is read or created: one line, exit 2.
    """

    def __init__(self, *args: Any, needs_portfolio: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_portfolio = needs_portfolio

    def invoke(self, ctx: click.Context) -> Any:
        if self.needs_portfolio:
            obj = ctx.find_object(Context)
            if obj is not None:
                obj.require_portfolio()
        return super().invoke(ctx)


class FolioGroup(click.Group):
    """Turns a FolioError into one line on stderr and exit code 2, never a traceback.

    Its commands are FolioCommands and its groups FolioGroups: every command added later
    refuses to run outside a portfolio without a line of its own.
    """

    command_class = FolioCommand
    group_class = type  # subgroups are FolioGroups, whose commands are FolioCommands

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FolioError as exc:
            click.echo(f"folio: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("folio: interrupted", err=True)
            ctx.exit(130)


class Context:
    """What every command shares: the repository root and the config, loaded once on demand."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._config: Any = None

    def require_portfolio(self) -> Path:
        """The portfolio's root, from ``-C`` (or the current folder) up to the git root;
        a FolioError saying where it looked when there is none."""
        from repofolio.config import locate_portfolio

        found = locate_portfolio(self.root)
        if found.root is None:
            raise FolioError(
                "not a portfolio: no folio.toml or pyproject.toml with [tool.folio] "
                f"{found.describe()}; 'folio init' starts one"
            )
        self.root = found.root
        return found.root

    def config(self, **overrides: Any) -> Any:
        from repofolio.config import load_config

        if self._config is None or overrides:
            self._config = load_config(self.root, overrides)
        return self._config


def _exit(code: int) -> None:
    """click ignores return values: always exit with the command's code."""
    click.get_current_context().exit(code)


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code)


@click.group(cls=FolioGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="folio")
@click.option(
    "-C",
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to look for the portfolio (default: the current folder): the nearest folder "
    "from there up to the git root with a folio.toml or [tool.folio] in pyproject.toml.",
)
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Keep a portfolio repository correct, and publish it.

    \b
    Typical day:
      folio new churn-model --title "Churn model"   scaffold a write-up
      folio check                                    validate every project
      folio clean                                    strip noise and secrets
      folio build                                    build the site into site/
    """
    ctx.obj = Context(root)


def _list_codes(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from repofolio.checks import CODES

    for code, meaning in CODES.items():
        click.echo(f"{code}  {meaning}")
    ctx.exit(0)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@FORMAT_OPTION
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these codes or families, comma-separated (FM,LK001).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Skip these codes or families, comma-separated.",
)
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1): what CI should run.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=None,
    help="Processes for many projects (default: [tool.folio] jobs; 0: one per core, at most 4).",
)
@click.option(
    "--list-codes",
    is_flag=True,
    is_eager=True,  # like --help: answered while parsing, so it works anywhere
    expose_value=False,
    callback=_list_codes,
    help="Print every code with its meaning and exit.",
)
@click.pass_obj
def check(
    obj: Context,
    paths: tuple[Path, ...],
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    strict: bool,
    jobs: int | None,
) -> None:
    """Validate the write-ups and every other published file; write nothing.

    Projects (front matter, sections, links, images, notebooks, secrets), the journal, and
    what else is published (the docs pages, cv.yaml, README.md): secrets (SE001, masked)
    and placeholder text left (PU001, a warning) in any of them.

    Exit 0 when all is good, 1 when errors were found (or warnings, with --strict), 2 on a
    usage or config error.

    \b
    Examples:
      folio check                             every project
      folio check projects/churn-model        one project
      folio check --format github             annotations in GitHub Actions
      folio check --strict                    warnings (placeholders, a draft CV) fail too
      folio check --select FM,SC --ignore SC004
      folio check --jobs 1                    one process, however many projects
    """
    from repofolio.commands import check as cmd

    _exit(
        cmd.run(
            obj.config(),
            paths,
            fmt=fmt,
            select=_codes(select),
            ignore=_codes(ignore),
            quiet=quiet,
            jobs=jobs,
            strict=strict,
        )
    )


@main.command()
@click.argument("slug")
@click.option("--title", help="The project's title (default: from the slug).")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="code, notebook, research (thesis, paper, talk), no-code (hardware, client work, "
    "an event) or snippet; decides the sections (default: code, or guessed from the folder).",
)
@click.pass_obj
def new(obj: Context, slug: str, title: str | None, kind: str | None) -> None:
    """Write projects/SLUG/README.md: a scaffold, or from the work already there.

    A new folder gets the sections its kind requires, with 'FILL IN' placeholders that
    `folio check` reports until you replace them. A folder that already holds code,
    notebooks or a PDF is adopted: its notebooks are listed, a requirements.txt is used,
    a run: is proposed for a tests/ folder or a main script, and the kind is guessed. Every
    scaffold starts as a draft (draft: true): checked, never published until you delete
    that line. An existing README.md is never overwritten.

    \b
    Examples:
      folio new churn-model
      folio new kaggle-digits --title "Digit Recognizer (Kaggle, top 8%)" --kind notebook
      folio new msc-thesis --kind research
      folio new old-scraper            adopt projects/old-scraper/, already full of code
    """
    from repofolio.commands import new as cmd

    _exit(cmd.run(obj.config(), slug, title, kind=kind))


@main.command(needs_portfolio=False)
@click.argument("kind", type=click.Choice(["project", "cv"]), default="project")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file instead of stdout.",
)
@click.pass_obj
def schema(obj: Context, kind: str, output: Path | None) -> None:
    """Print the JSON Schema of the project front matter (or of cv.yaml: KIND cv).

    Editors with yaml-language-server use it for completion and checks; `folio new`
    points each write-up at schemas/project.schema.json.

    \b
    Examples:
      folio schema > project.schema.json
      folio schema -o schemas/project.schema.json
      folio schema cv -o schemas/cv.schema.json
    """
    from repofolio.commands import schema as cmd

    _exit(cmd.run(kind, output))


API_URL_OPTION = click.option(
    "--api-url",
    envvar="GITHUB_API_URL",
    metavar="URL",
    help="GitHub API root (env GITHUB_API_URL; default https://api.github.com; "
    "GitHub Enterprise: https://HOST/api/v3).",
)
REPO_OPTION = click.option(
    "--repo",
    metavar="OWNER/NAME",
    help="The portfolio repository (default: GITHUB_REPOSITORY, else the git remote origin, "
    "else [tool.folio] repo-url).",
)


@main.group(context_settings=CONTEXT)
def github() -> None:
    """Keep the portfolio's GitHub repository in step, through the GitHub API.

    The token comes from GITHUB_TOKEN or GH_TOKEN and is never printed. Exit 2 with one
    line for a bad token (401), missing permission (403), a missing repository (404), a
    rate limit that would need too long a wait, or an unreachable host.

    \b
    Examples:
      folio github sync --dry-run
      folio github import maya/churn-model
      folio github publish-readme
    """


@github.command("sync")
@API_URL_OPTION
@REPO_OPTION
@click.option("--dry-run", is_flag=True, help="Show current and wanted settings; change nothing.")
@click.option(
    "--check", "check_only", is_flag=True, help="Like --dry-run, but exit 1 when a setting differs."
)
@click.pass_obj
def github_sync(
    obj: Context, api_url: str | None, repo: str | None, dry_run: bool, check_only: bool
) -> None:
    """Set the repository's description, homepage and topics from [tool.folio].

    Description: [tool.folio.github] description, else headline. Homepage: site-url, else
    the GitHub Pages URL. Topics: [tool.folio.github] topics, then the projects' tags by
    use, normalised to GitHub's rules (lowercase, digits, hyphens, 50 characters, 20 topics).
    Only the settings that differ are changed.

    \b
    Examples:
      folio github sync --dry-run
      folio github sync --repo maya/portfolio
      GITHUB_API_URL=https://ghe.example.com/api/v3 folio github sync
    """
    from repofolio.commands import github as cmd

    _exit(cmd.sync(obj.config(), api_url=api_url, repo=repo, dry_run=dry_run, check=check_only))


@github.command("import")
@click.argument("full_name", metavar="OWNER/REPO", required=False)
@API_URL_OPTION
@click.option("--slug", help="Folder name under projects/ (default: from the repository name).")
@click.option(
    "--all-mine",
    is_flag=True,
    help="List the public, non-fork repositories of OWNER (default: the token's user) "
    "not imported yet, most starred first; write nothing.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 when the write-up would be created.",
)
@click.option("--diff", is_flag=True, help="Print the write-up as a diff.")
@click.pass_obj
def github_import(
    obj: Context,
    full_name: str | None,
    api_url: str | None,
    slug: str | None,
    all_mine: bool,
    check_only: bool,
    diff: bool,
) -> None:
    """Create projects/SLUG/README.md from a GitHub repository; never overwrites.

    The description becomes the summary, topics the tags, languages (by bytes) the skills,
    creation and last push the period; the homepage, repository link, licence and stars
    are kept, and the first paragraph of its README starts the Problem section. 'FILL IN'
    marks what only you can write; `folio check` reports it until you do.

    \b
    Examples:
      folio github import maya/churn-model
      folio github import maya/old_thing --slug kaggle-digits
      folio github import --all-mine
      folio github import --all-mine someone-else
    """
    from repofolio.commands import github as cmd

    if all_mine:
        if full_name is not None and "/" in full_name:
            raise click.UsageError("--all-mine takes an OWNER, not OWNER/REPO")
        _exit(cmd.list_mine(obj.config(), api_url=api_url, owner=full_name))
    if full_name is None:
        raise click.UsageError("give OWNER/REPO, or --all-mine")
    _exit(
        cmd.import_repo(
            obj.config(),
            api_url=api_url,
            full_name=full_name,
            slug=slug,
            check=check_only,
            diff=diff,
        )
    )


@github.command("publish-readme")
@API_URL_OPTION
@REPO_OPTION
@click.option(
    "--branch",
    help="Branch to commit to (default: [tool.folio.github] branch, else the default branch).",
)
@click.option(
    "-m", "--message", help="Commit message (default: [tool.folio.github] commit-message)."
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 when README.md on GitHub would change.",
)
@click.option("--diff", is_flag=True, help="Print the change as a unified diff.")
@click.pass_obj
def github_publish_readme(
    obj: Context,
    api_url: str | None,
    repo: str | None,
    branch: str | None,
    message: str | None,
    check_only: bool,
    diff: bool,
) -> None:
    """Regenerate the README index on GitHub and commit it when it changed.

    Reads README.md through the contents API, regenerates the folio regions, and commits
    with the blob sha it read: if someone committed in between, it reads and regenerates
    again (bounded), so a newer hand edit is never overwritten. When the branch is
    protected, it opens (or updates) a pull request from [tool.folio.github] pr-branch.

    \b
    Examples:
      folio github publish-readme
      folio github publish-readme --check --diff
      folio github publish-readme -m "docs: refresh the index"
    """
    from repofolio.commands import github as cmd

    _exit(
        cmd.publish_readme(
            obj.config(),
            api_url=api_url,
            repo=repo,
            branch=branch,
            message=message,
            check=check_only,
            diff=diff,
        )
    )


@main.group(cls=FolioGroup)
def resume() -> None:
    """The CV and a one-page resume tailored to a job, from cv.yaml and projects/.

    \b
    Examples:
      folio resume build                         dist/resume.pdf: one page, top projects
      folio resume build --job posting.txt --explain
      folio resume build --cv                    dist/cv.pdf: everything
      folio resume lint                          bullets without numbers, passive openings
    """


@resume.command("build")
@click.option(
    "--job",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A job posting (plain text): projects, bullets and skills are chosen and "
    "ordered by how well they match it.",
)
@click.option(
    "--max-projects",
    type=click.IntRange(1, 10),
    metavar="N",
    help="Projects on the resume (default: [tool.folio.resume] max-projects, 4).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "html", "md", "typ"]),
    default="pdf",
    show_default=True,
    help="pdf through Typst; html a standalone page; md for the site or GitHub; "
    "typ the Typst source.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write ('-' for stdout; default dist/resume[-JOB].pdf or dist/cv.pdf).",
)
@click.option(
    "--cv", "cv_mode", is_flag=True, help="The complete CV (every section and project, any length)."
)
@click.option(
    "--explain", is_flag=True, help="Print every project's match score, term by term, on stdout."
)
@click.option(
    "--for",
    "for_id",
    metavar="ID",
    help="With --job: record the tailored resume on application ID of `folio apply` (built "
    "into the pipeline's private folder unless -o).",
)
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if the file would change."
)
@click.option("--diff", is_flag=True, help="Show the change to a text output (md, html, typ).")
@click.pass_obj
def resume_build(
    obj: Context,
    job: Path | None,
    max_projects: int | None,
    fmt: str,
    output: Path | None,
    cv_mode: bool,
    explain: bool,
    for_id: str | None,
    check_only: bool,
    diff: bool,
) -> None:
    """Build the one-page resume (default) or the full CV (--cv).

    The resume has one column (or two: [tool.folio.resume] columns = 2), skills after
    education, no objective, short bullets, and links. Its projects are the top N by
    `highlight` or, with --job, by a transparent match score (see --explain). The PDF is
    typeset by Typst with embedded fonts; a resume over one page is an error that names
    what to cut.

    Exit 0 written or up to date, 1 the resume is over one page (or --check would write),
    2 an invalid cv.yaml or bad arguments.

    \b
    Examples:
      folio resume build
      folio resume build --job jobs/acme-nlp.txt --max-projects 3 --explain
      folio resume build --cv --format md -o -
      folio resume build --format html -o resume.html
      folio resume build --job initech.txt --for 3   recorded on application 3
    """
    if for_id is not None:
        if job is None or cv_mode or check_only or diff:
            raise click.UsageError("--for ID goes with --job FILE (and not --cv, --check, --diff)")
        from repofolio.commands import apply as apply_cmd

        _exit(
            apply_cmd.resume_for(
                obj.config(), for_id, job, fmt=fmt, max_projects=max_projects, output=output
            )
        )
    from repofolio.commands import resume as cmd

    _exit(
        cmd.run_build(
            obj.config(),
            job=job,
            max_projects=max_projects,
            fmt=fmt,
            output=output,
            cv_mode=cv_mode,
            explain=explain,
            check_only=check_only,
            diff=diff,
        )
    )


@resume.command("lint")
@FORMAT_OPTION
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@click.pass_obj
def resume_lint(obj: Context, fmt: str, quiet: bool) -> None:
    """Check cv.yaml (and the projects' results) for what recruiters skip.

    \b
    RS001 a bullet without a number     RS005 a project without a link
    RS002 a bullet over the length      RS006 a summary or objective section
    RS003 a passive opening             RS007 a slug that names no project
    RS004 a repeated opening verb       CV0xx cv.yaml does not match the schema

    Exit 0 clean, 1 findings, 2 cv.yaml missing or unreadable.

    \b
    Examples:
      folio resume lint
      folio resume lint --format github
    """
    from repofolio.commands import resume as cmd

    _exit(cmd.run_lint(obj.config(), fmt=fmt, quiet=quiet))


@main.command("index")
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 and name each stale region if README.md would change.",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Write nothing; print the change as a unified diff (exit 1 if any).",
)
@click.pass_obj
def index(obj: Context, check_only: bool, diff: bool) -> None:
    """Regenerate the project index and latest journal entries in README.md.

    Only the text between <!-- folio:projects:start --> / <!-- folio:projects:end -->
    and <!-- folio:journal:start --> / <!-- folio:journal:end --> changes; every other
    byte stays. Missing, duplicated, nested or unbalanced markers are an error (exit 2)
    and nothing is written. Private journal names and blocks are never published.

    Exit 0 up to date, 1 rewritten (or stale under --check/--diff), 2 bad markers or config.

    \b
    Examples:
      folio index              rewrite the regions
      folio index --check      in CI: fail when README.md is stale
      folio index --diff       show what would change
    """
    from repofolio.commands import index as cmd

    _exit(cmd.run(obj.config(), check_only=check_only, diff=diff))


@main.group()
def journal() -> None:
    """The daily journal in docs/journal/posts/YYYY-MM-DD.md (mkdocs-material blog posts).

    \b
    Examples:
      folio journal add "Finished the conformal write-up" --tag project --hours 3
      folio journal stats --format json
    """


@journal.command("add")
@click.argument("text", required=False)
@click.option(
    "--date",
    "date",
    metavar="YYYY-MM-DD",
    help="The day of the entry: YYYY-MM-DD, today (default) or yesterday.",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    metavar="TAG",
    help="A category from [tool.folio.journal] tags; repeat for several.",
)
@click.option("--hours", type=float, help="Hours worked; added to the day's hours.")
@click.option("--title", help="Title of a new entry (default: the date in words).")
@click.pass_obj
def journal_add(
    obj: Context,
    text: str | None,
    date: str | None,
    tags: tuple[str, ...],
    hours: float | None,
    title: str | None,
) -> None:
    """Create the day's entry, or append TEXT as a new paragraph to it.

    Without TEXT, opens $VISUAL or $EDITOR on the entry; closing it without saving writes
    nothing. Tags and hours go into the front matter.

    Exit 0 written, 1 nothing written (empty entry, editor not saved), 2 bad arguments.

    \b
    Examples:
      folio journal add "Applied to two ML roles; reworked the cover letter" --tag application
      folio journal add --date yesterday --tag learning --hours 2.5 "Read the conformal survey"
      folio journal add                      opens your editor on today's entry
    """
    from repofolio.commands import journal as cmd

    _exit(cmd.add(obj.config(), text, date=date, tags=tags, hours=hours, title=title))


@journal.command("stats")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)
@click.option(
    "--as-of",
    metavar="YYYY-MM-DD",
    help="Compute the current streak as of this day (default: today).",
)
@click.pass_obj
def journal_stats(obj: Context, fmt: str, as_of: str | None) -> None:
    """Entries, current and longest streak, entries per week, tags and hours.

    A streak counts consecutive days with an entry; a rest day from
    [tool.folio.journal] rest-days (weekday names or dates) without an entry does not
    break it, and today without an entry yet does not break it either.

    \b
    Examples:
      folio journal stats
      folio journal stats --format json --as-of 2026-11-22
    """
    from repofolio.commands import journal as cmd

    _exit(cmd.run_stats(obj.config(), fmt=fmt, as_of=as_of))


@journal.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--year",
    type=click.IntRange(1900, 2200),
    help="The year of dates written without one (when no weekday tells it).",
)
@click.option(
    "--dry-run", is_flag=True, help="Show the entries that would be written; write nothing."
)
@click.option(
    "--move",
    "move_lines",
    is_flag=True,
    help="Replace the imported lines in FILE by the journal region (<!-- folio:journal:start -->"
    " ... end -->); every other byte of FILE stays.",
)
@click.pass_obj
def journal_import(
    obj: Context, file: Path, year: int | None, dry_run: bool, move_lines: bool
) -> None:
    """Import dated paragraphs from a Markdown file (a README kept as a diary) into the journal.

    \b
    A dated paragraph starts with a date, in any of these forms:
      July 3rd, Monday: Today I looked around ...
      3 July 2023: ...          2023-07-03: ...          **Jul 3** ...
      ## Monday, July 3         (the section under the heading)
      - July 3: ...             (a list item)

    A date without a year takes it from its weekday, else from --year, else from the year
    of the commit that added the line (git blame). Each day becomes one entry (paragraphs
    of a day joined in order, exactly as written, links kept); a day that has an entry is
    merged into it, never duplicated, so a second import changes nothing. Tags come from
    [tool.folio.journal] tags, only when the text names one clearly. A date that cannot be
    placed is reported as FILE:LINE and nothing at all is written.

    Exit 0 imported (or nothing new), 1 no dated paragraph found, 2 a date that cannot
    be placed or a file that cannot be read.

    \b
    Examples:
      folio journal import README.md --dry-run
      folio journal import notes.md --year 2023
      folio journal import README.md --move     then the README shows the latest entries
    """
    from repofolio.commands import journal_import as cmd

    _exit(cmd.run(obj.config(), file, year=year, dry_run=dry_run, move=move_lines))


LIST_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)


@journal.group("private", context_settings=CONTEXT)
def journal_private() -> None:
    """The names the journal never publishes, committed as salted digests, never as names.

    .folio/private-names holds, per company or person of the job search, a salted digest
    of the name, its kind and its word count. Every page folio publishes (site, README
    regions, RSS, search index) replaces a name it matches by "a company" or "a contact",
    CI included, and folio check reports one in any published file (JR011). folio apply
    add and folio apply contact add add their names themselves.

    \b
    Examples:
      folio journal private add "Initech"
      folio journal private add "Bill Lumbergh" --person
      folio journal private migrate        the plain-text [tool.folio.journal] private list
    """


@journal_private.command("add")
@click.argument("name")
@click.option("--person", is_flag=True, help="A person (becomes 'a contact'); default a company.")
@click.pass_obj
def journal_private_add(obj: Context, name: str, person: bool) -> None:
    """Add NAME's digest to .folio/private-names (never the name itself).

    A person's first or family name alone, as written ("Bill"), is hidden too.

    \b
    Examples:
      folio journal private add "Initech"
      folio journal private add "Bill Lumbergh" --person
    """
    from repofolio.commands import private as cmd

    _exit(cmd.run_add(obj.config(), name, person=person))


@journal_private.command("remove")
@click.argument("name")
@click.pass_obj
def journal_private_remove(obj: Context, name: str) -> None:
    """Remove NAME's digest (and a person's name parts); exit 1 when it is not there.

    \b
    Examples:
      folio journal private remove "Initech"
    """
    from repofolio.commands import private as cmd

    _exit(cmd.run_remove(obj.config(), name))


@journal_private.command("list")
@LIST_FORMAT
@click.pass_obj
def journal_private_list(obj: Context, fmt: str) -> None:
    """How many private names there are, by kind (digests only: no name can be shown).

    \b
    Examples:
      folio journal private list
      folio journal private list --format json
    """
    from repofolio.commands import private as cmd

    _exit(cmd.run_list(obj.config(), fmt=fmt))


@journal_private.command("migrate")
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if it would write."
)
@click.pass_obj
def journal_private_migrate(obj: Context, check_only: bool) -> None:
    """Move the plain-text names to digests: [tool.folio.journal] private and private-people
    (deleted from the configuration, every other byte of the file kept), and the companies
    and contacts of the pipeline's store on this machine.

    Exit 0 migrated or nothing to do, 1 with --check when it would write, 2 when the key
    cannot be deleted by a line edit (then nothing is written).

    \b
    Examples:
      folio journal private migrate
      folio journal private migrate --check
    """
    from repofolio.commands import private as cmd

    _exit(cmd.run_migrate(obj.config(), check_only=check_only))


@main.group(cls=FolioGroup, context_settings=CONTEXT)
def apply() -> None:
    """The job search's pipeline: applications, their stages, follow-ups and contacts.

    Private by construction: the store is one JSON file outside the repository
    ([tool.folio.pipeline] store; default: a folder per repository in your data directory,
    see `folio apply where`). Its companies and contacts are redacted wherever the journal
    is published. Stages: saved, applied, screening, interview, offer, accepted, rejected,
    withdrawn, ghosted (set after [tool.folio.pipeline] ghosted-after days of silence).

    \b
    Examples:
      folio apply add Initech --role "ML Engineer" --url https://initech.example/jobs/42
      folio apply move 1 interview --date 2026-11-25 --note "phone screen"
      folio apply due                      exit 1 when a follow-up is due
      folio apply stats --format json
    """


STAGE_CHOICE = click.Choice(STAGES, case_sensitive=False)
AS_OF = click.option(
    "--as-of", metavar="DATE", help="Look at the pipeline as of this day (default: today)."
)


@apply.command("add")
@click.argument("company")
@click.option("--role", required=True, help="The position, as the posting names it.")
@click.option("--url", help="The posting's address.")
@click.option("--date", metavar="DATE", help="When it was sent (YYYY-MM-DD, today, yesterday).")
@click.option(
    "--contact",
    "contacts",
    multiple=True,
    metavar="NAME",
    help="Who referred you, or who you talk to; repeatable.",
)
@click.option("--source", help="Where you found it (LinkedIn, a referral, the company's site).")
@click.option(
    "--next",
    "next_date",
    metavar="DATE",
    help="When to follow up (replaces the automatic reminder).",
)
@click.option(
    "--posting",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The posting as text: the resume tailored to it is built and recorded.",
)
@click.option(
    "--stage",
    type=click.Choice(["applied", "saved"]),
    default="applied",
    show_default=True,
    help="saved: a posting kept for later, not sent yet.",
)
@click.option("--note", help="A note on the first step.")
@click.pass_obj
def apply_add(
    obj: Context,
    company: str,
    role: str,
    url: str | None,
    date: str | None,
    contacts: tuple[str, ...],
    source: str | None,
    next_date: str | None,
    posting: Path | None,
    stage: str,
    note: str | None,
) -> None:
    """Add an application; prints its id alone on a line.

    With --posting, the one-page resume tailored to the posting is built into the store's
    folder and recorded on the application (file digest, projects chosen, score); nothing is
    added when it cannot be built.

    \b
    Examples:
      folio apply add Initech --role "ML Engineer" --source LinkedIn
      folio apply add Globex --role "Data Scientist" --date 2026-11-18 --contact "Jane Doe"
      id=$(folio apply add Hooli --role "MLOps Engineer" --posting hooli.txt)
    """
    from repofolio.commands import apply as cmd

    _exit(
        cmd.run_add(
            obj.config(),
            company,
            role=role,
            url=url,
            date=date,
            contacts=contacts,
            source=source,
            next_date=next_date,
            posting=posting,
            stage=stage,
            note=note,
        )
    )


@apply.command("move")
@click.argument("ident", metavar="ID")
@click.argument("stage", type=STAGE_CHOICE)
@click.option("--date", metavar="DATE", help="When it happened (default: today).")
@click.option("--note", help="What happened.")
@click.option("--next", "next_date", metavar="DATE", help="When to follow up next.")
@click.pass_obj
def apply_move(
    obj: Context, ident: str, stage: str, date: str | None, note: str | None, next_date: str | None
) -> None:
    """Move application ID to STAGE; the move keeps its date (the pipeline has a history).

    Moving to the stage it is in records a new round (a second interview).

    \b
    Examples:
      folio apply move 3 screening --note "recruiter call"
      folio apply move 3 interview --date 2026-11-25 --next 2026-12-02
      folio apply move 3 rejected
    """
    from repofolio.commands import apply as cmd

    _exit(cmd.run_move(obj.config(), ident, stage, date=date, note=note, next_date=next_date))


@apply.command("note")
@click.argument("ident", metavar="ID")
@click.argument("text")
@click.option("--date", metavar="DATE", help="When (default: today).")
@click.option("--next", "next_date", metavar="DATE", help="When to follow up next.")
@click.pass_obj
def apply_note(
    obj: Context, ident: str, text: str, date: str | None, next_date: str | None
) -> None:
    """Record a dated note on application ID without moving it (a follow-up, a thank-you).

    A note restarts the follow-up clock and clears a thank-you that was due.

    \b
    Examples:
      folio apply note 3 "sent a follow-up email"
      folio apply note 3 "thank-you sent" --next 2026-12-05
    """
    from repofolio.commands import apply as cmd

    _exit(cmd.run_note(obj.config(), ident, text, date=date, next_date=next_date))


@apply.command("show")
@click.argument("ident", metavar="ID")
@LIST_FORMAT
@AS_OF
@click.pass_obj
def apply_show(obj: Context, ident: str, fmt: str, as_of: str | None) -> None:
    """Everything about application ID: its history, contacts and the resumes sent.

    \b
    Examples:
      folio apply show 3
      folio apply show 3 --format json
    """
    from repofolio.commands import apply as cmd

    _exit(cmd.run_show(obj.config(), ident, fmt=fmt, as_of=as_of))


@apply.command("list")
@click.option("--stage", type=STAGE_CHOICE, help="Only the applications in this stage.")
@LIST_FORMAT
@AS_OF
@click.pass_obj
def apply_list(obj: Context, stage: str | None, fmt: str, as_of: str | None) -> None:
    """The applications and their current stage.

    The json is a list of objects with id, company, role, stage, since, applied, next,
    url, source and contacts.

    \b
    Examples:
      folio apply list
      folio apply list --stage interview
      folio apply list --format json | jq '.[] | select(.next != null)'
    """
    from repofolio.commands import apply as cmd

    _exit(cmd.run_list(obj.config(), stage=stage, fmt=fmt, as_of=as_of))


@apply.command("due")
@click.option("--date", metavar="DATE", help="The day to look at (default: today).")
@LIST_FORMAT
@click.pass_obj
def apply_due(obj: Context, date: str | None, fmt: str) -> None:
    """The follow-ups that are due; exit 1 when any is.

    \b
    Due: no answer [tool.folio.pipeline] follow-up-days (7) after applying or after the
    last note; a thank-you the day after an interview; a --next date that has come (it
    replaces the automatic reminders); a contact's --next date.

    \b
    Examples:
      folio apply due
      folio apply due --date 2026-12-01 --format json
    """
    from repofolio.commands import apply as cmd

    _exit(cmd.run_due(obj.config(), date=date, fmt=fmt))


@apply.command("stats")
@LIST_FORMAT
@AS_OF
@click.pass_obj
def apply_stats(obj: Context, fmt: str, as_of: str | None) -> None:
    """Counts per stage, the response rate and the median days to a first answer.

    The json has stages (a count per stage), total, applied, answered, response_rate and
    median_days_to_first_answer. With [tool.folio.pipeline] publish-stats = true it also
    refreshes the weekly counts the journal page and the README show (never a name).

    \b
    Examples:
      folio apply stats
      folio apply stats --format json
    """
    from repofolio.commands import apply as cmd

    _exit(cmd.run_stats(obj.config(), fmt=fmt, as_of=as_of))


@apply.command("where")
@click.pass_obj
def apply_where(obj: Context) -> None:
    """Print the path of the pipeline's store (to back it up, or to point a second machine at it).

    \b
    Examples:
      folio apply where
      cp "$(folio apply where)" ~/job-search-private/
    """
    from repofolio.commands import apply as cmd

    _exit(cmd.run_where(obj.config()))


@apply.group("contact", cls=FolioGroup, context_settings=CONTEXT)
def apply_contact() -> None:
    """People to ask for advice or to meet; their names are redacted like the companies.

    \b
    Examples:
      folio apply contact add "Jane Doe" --company Initech --role "ML lead"
      folio apply contact list --format json
    """


@apply_contact.command("add")
@click.argument("name")
@click.option("--company", help="Where they work.")
@click.option("--role", help="What they do.")
@click.option("--email", help="How to reach them.")
@click.option("--url", help="A profile or page.")
@click.option("--note", help="How you know them, what to ask.")
@click.option("--next", "next_date", metavar="DATE", help="When to get in touch.")
@click.pass_obj
def apply_contact_add(
    obj: Context,
    name: str,
    company: str | None,
    role: str | None,
    email: str | None,
    url: str | None,
    note: str | None,
    next_date: str | None,
) -> None:
    """Add a contact; prints its id alone on a line.

    \b
    Examples:
      folio apply contact add "Jane Doe" --company Initech --note "met at PyData"
      folio apply contact add "Sam Lee" --next 2026-12-01
    """
    from repofolio.commands import apply as cmd

    _exit(
        cmd.run_contact_add(
            obj.config(),
            name,
            company=company,
            role=role,
            email=email,
            url=url,
            note=note,
            next_date=next_date,
        )
    )


@apply_contact.command("list")
@LIST_FORMAT
@click.pass_obj
def apply_contact_list(obj: Context, fmt: str) -> None:
    """The contacts.

    \b
    Examples:
      folio apply contact list
      folio apply contact list --format json
    """
    from repofolio.commands import apply as cmd

    _exit(cmd.run_contact_list(obj.config(), fmt=fmt))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; list what would change; exit 1 if anything would.",
)
@click.option("--diff", is_flag=True, help="Print a unified diff of each change.")
@click.option(
    "--fix-paths",
    is_flag=True,
    help="Rewrite personal absolute paths (/home/<user>/...) relative to the project, or to ~.",
)
@click.option(
    "--update-baseline",
    is_flag=True,
    help="Accept every secret found now as a false positive in the baseline file; "
    "writes nothing else.",
)
@FORMAT_OPTION
@click.option("-q", "--quiet", is_flag=True, help="No chatter or summary on stderr.")
@click.pass_obj
def clean(
    obj: Context,
    paths: tuple[Path, ...],
    check_only: bool,
    diff: bool,
    fix_paths: bool,
    update_baseline: bool,
    fmt: str,
    quiet: bool,
) -> None:
    """Make notebooks and code samples fit to publish; never leak a secret.

    Notebooks: drop noisy metadata and widget state, renumber execution counts,
    drop error and stderr outputs, truncate long outputs, drop trailing empty
    cells (or strip all outputs). Code: ruff format, trailing whitespace, one
    final newline. Every file is scanned for secrets (shown masked) and personal
    paths. Without PATHS: every file of every project.

    Exit 0 when there was nothing to do, 1 when a file changed (or would with
    --check) or a secret or personal path was found, 2 on a usage error or a
    notebook that could not be processed at all (left byte for byte).

    \b
    Examples:
      folio clean                          clean every project in place
      folio clean --check --diff           show what would change, write nothing
      folio clean projects/churn/eda.ipynb one notebook (pre-commit passes files)
      folio clean --fix-paths              also rewrite /home/<user>/... paths
      folio clean --update-baseline        accept the current findings as false positives
    """
    from repofolio.commands import clean as cmd  # nbformat loads there, not at start-up

    _exit(
        cmd.run(
            obj.config(),
            paths,
            check_only=check_only,
            diff=diff,
            fix_paths=fix_paths,
            fmt=fmt,
            update_baseline=update_baseline,
            quiet=quiet,
        )
    )


@main.command("run")
@click.argument("slugs", nargs=-1)
@click.option(
    "--notebooks/--no-notebooks",
    default=None,
    help="Execute every project's notebooks (nbclient), or none; default: those of "
    "kind: notebook projects. Cells tagged folio:compare must reproduce their saved outputs.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=None,
    help="Projects at a time (default: [tool.folio.run] jobs; 0: one per core).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per project; json: the report entries.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Run nothing: remove the environments no project uses now (requirements "
    "changed, project gone, half-made) from [tool.folio.run] env-dir.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="With --prune: remove nothing; list what would go; exit 1 if anything would.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
@click.pass_obj
def run_cmd(
    obj: Context,
    slugs: tuple[str, ...],
    notebooks: bool | None,
    jobs: int | None,
    fmt: str,
    prune: bool,
    check_only: bool,
    quiet: bool,
) -> None:
    """Prove each project's code still runs, in an isolated virtual environment.

    For every project (or the SLUGS given) with `run:` in its front matter, and
    the notebooks of `kind: notebook` projects: create or reuse a venv keyed by
    the hash of its `requirements:` file, pip install it, run each command from
    the project folder with the project's `timeout:` (the whole process group is
    killed at the timeout), then execute the notebooks. Writes the run report
    ([tool.folio.run] report) that the site shows as badges; a project with
    nothing to run gets no badge.

    Exit 0 when nothing failed, 1 when a project failed (install, command,
    timeout, notebook), 2 on a usage or config error.

    \b
    Examples:
      folio run                              every project
      folio run conformal-prediction         one project
      folio run --notebooks --jobs 2         every project's notebooks too, two at a time
      folio run --no-notebooks               commands only (notebook results are kept)
      folio run --format json                the report entries on stdout
      folio run --prune                      free the disk of unused environments
      folio run --prune --check              what --prune would remove
    """
    from repofolio.commands import run as cmd  # nbclient loads in a child process, if at all

    if check_only and not prune:
        raise click.UsageError("--check goes with --prune (a run always writes its report)")
    if prune:
        if slugs:
            raise click.UsageError("--prune looks at every project; give no SLUGS")
        _exit(cmd.prune(obj.config(), check=check_only, fmt=fmt, quiet=quiet))
    _exit(cmd.run(obj.config(), slugs, notebooks=notebooks, jobs=jobs, fmt=fmt, quiet=quiet))


@main.command("init", needs_portfolio=False)
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--owner", help="Your name, for the site and the README (default: git's user.name).")
@click.option("--headline", help="One line under your name on the site and the README.")
@click.option(
    "--site-url", metavar="URL", help="Where the site will live (https://USER.github.io/REPO/)."
)
@click.option("--repo-url", metavar="URL", help="The repository's GitHub URL.")
@click.option(
    "--toolkit",
    metavar="SPEC",
    help="What the workflows pip-install (default: repofolio>=this version; "
    "e.g. 'repofolio @ git+https://github.com/OWNER/repofolio').",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; list what would be created; exit 1 if anything would.",
)
def init(
    directory: Path,
    owner: str | None,
    headline: str | None,
    site_url: str | None,
    repo_url: str | None,
    toolkit: str | None,
    check_only: bool,
) -> None:
    """Add the portfolio layout to an existing repository; never overwrites a file.

    Creates what is missing of: folio.toml (or nothing when pyproject.toml already has
    [tool.folio]), mkdocs.yml, docs/index.md, docs/journal/index.md,
    projects/example-project/README.md,
    README.md with the index regions, .pre-commit-config.yaml, the CI and Publish
    workflows, requirements-folio.txt and .gitignore. Every file that exists is
    skipped and reported; pyproject.toml is never edited. Then prints the next steps.

    Exit 0 done (or nothing to do), 1 under --check when files would be created,
    2 DIRECTORY missing or not a folder.

    \b
    Examples:
      folio init                                  the current repository
      folio init ../my-portfolio --owner "Maya Lindqvist"
      folio init --check                          what would be created
    """
    from repofolio.commands import init as cmd

    _exit(
        cmd.run(
            directory,
            owner=owner,
            headline=headline,
            site_url=site_url,
            repo_url=repo_url,
            toolkit=toolkit,
            check=check_only,
        )
    )


@main.command()
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1) on check errors, broken links and notebooks that failed.",
)
@click.option("--no-check", "no_check", is_flag=True, help="Skip the checks; only build.")
@click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The mkdocs.yml to build (default: the repository's).",
)
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: mkdocs.yml's site_dir, site/).",
)
@FORMAT_OPTION
@click.pass_obj
def build(
    obj: Context,
    strict: bool,
    no_check: bool,
    config_file: Path | None,
    site_dir: Path | None,
    fmt: str,
) -> None:
    """Check the portfolio, convert the notebooks and build the site into site/.

    Notebooks are converted with nbconvert once per content (cached in
    .folio-cache/site/), in parallel when many changed. A notebook that cannot
    be converted is reported with its path and the rest of the site is built.
    Drafts (draft: true) are left out; so is any page or file that holds a
    secret (ST006, named with its line).

    Exit 0 when the site was built, 1 when a file was left out for a secret
    (always) or, with --strict, when a check, a link or a notebook failed, 2 when
    the build could not run (no mkdocs.yml, bad config).

    \b
    Examples:
      folio build                  check, then build site/
      folio build --strict         what CI runs: any problem fails the build
      folio build -d /tmp/site     build somewhere else
    """
    from repofolio.commands import build as cmd  # mkdocs and nbconvert load here

    _exit(
        cmd.run_build(
            obj.config(),
            strict=strict,
            check=not no_check,
            config_file=config_file,
            site_dir=site_dir,
            fmt=fmt,
        )
    )


@main.command()
@click.option("-a", "--dev-addr", metavar="IP:PORT", help="Address to serve on (127.0.0.1:8000).")
@click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The mkdocs.yml to serve (default: the repository's).",
)
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.pass_obj
def serve(obj: Context, dev_addr: str | None, config_file: Path | None, open_browser: bool) -> None:
    """Serve the site with live reload while you edit projects, notebooks and pages.

    Drafts (draft: true) are shown here, each marked as a draft; a built site
    never has them. A page that holds a secret is left out here too.

    \b
    Examples:
      folio serve                  http://127.0.0.1:8000/
      folio serve -a 0.0.0.0:8080  reachable from your phone on the same network
    """
    from repofolio.commands import build as cmd

    _exit(
        cmd.run_serve(
            obj.config(), config_file=config_file, dev_addr=dev_addr, open_browser=open_browser
        )
    )


@main.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the docs into (created if missing).",
)
@click.option(
    "--write-config",
    "config_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a config for the other builder: mkdocs.yml (INHERIT), docs_dir OUT, "
    "the theme's templates and stylesheets.",
)
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 if a file would change."
)
@click.pass_obj
def docs(obj: Context, out: Path, config_out: Path | None, check_only: bool) -> None:
    """Write the site's pages (hand-written and generated) into a folder.

    For builders other than MkDocs (Zensical reads mkdocs.yml but not its
    plugins). OUT gets the pages, the theme's stylesheets (assets/stylesheets/)
    and its templates (OUT/.folio-theme/, your custom_dir's on top); with
    --write-config, a config that builds them. Only changed files are written.

    \b
    Examples:
      folio docs --out build/docs --write-config build/zensical.yml
      zensical build -f build/zensical.yml
      folio docs --out build/docs --check
    """
    from repofolio.commands import build as cmd

    _exit(cmd.run_docs(obj.config(), out, check_only=check_only, config_out=config_out))


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="folio")


def entry() -> None:
    """The ``folio`` executable: ``main``, then the interpreter's exit without its collections.

    Once the command is done, Python's exit clears every module and runs the cyclic garbage
    collector over every object still alive, only for the operating system to take the
    memory back anyway: ~8 ms of a 127 ms ``folio check FILE`` (farm-bench, 15 runs, 0.127
    -> 0.119 s). ``gc.freeze()`` moves those objects out of the collector's reach; reference
    counting still frees the rest, and nothing folio writes waits on a collection (writes
    are atomic and closed). ``FOLIO_FREEZE_AT_EXIT=0`` exits as Python does. In-process
    callers (tests, ``CliRunner``) call ``main`` and never freeze their collector.
    """
    import os

    try:
        main(prog_name="folio")
    finally:
        if os.environ.get("FOLIO_FREEZE_AT_EXIT", "") != "0":
            import gc

            gc.freeze()
