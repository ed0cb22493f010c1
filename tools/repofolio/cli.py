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

FORMAT_OPTION = click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text",
    show_default=True,
    help="text: path:line:col: CODE message; json: a sorted array; github: Actions annotations.",
)
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class FolioGroup(click.Group):
    """Turns a FolioError into one line on stderr and exit code 2, never a traceback."""

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
    "-C", "--root", type=click.Path(file_okay=False, path_type=Path),
    help="The portfolio repository (default: the nearest folder upwards with [tool.folio], "
    "a folio.toml or .git).",
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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@FORMAT_OPTION
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these codes or families, comma-separated (FM,LK001).")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip these codes or families, comma-separated.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
@click.option("--list-codes", is_flag=True, help="Print every code with its meaning and exit.")
@click.pass_obj
def check(obj: Context, paths: tuple[Path, ...], fmt: str, select: tuple[str, ...],
          ignore: tuple[str, ...], quiet: bool, list_codes: bool) -> None:
    """Validate project write-ups (and the journal); write nothing.

    Exit 0 when all is good, 1 when problems were found, 2 on a usage or config error.

    \b
    Examples:
      folio check                             every project
      folio check projects/churn-model        one project
      folio check --format github             annotations in GitHub Actions
      folio check --select FM,SC --ignore SC004
    """
    if list_codes:
        from repofolio.checks import CODES

        for code, meaning in CODES.items():
            click.echo(f"{code}  {meaning}")
        return
    from repofolio.commands import check as cmd

    _exit(cmd.run(obj.config(), paths, fmt=fmt, select=_codes(select),
                     ignore=_codes(ignore), quiet=quiet))


@main.command()
@click.argument("slug")
@click.option("--title", help="The project's title (default: from the slug).")
@click.pass_obj
def new(obj: Context, slug: str, title: str | None) -> None:
    """Scaffold projects/SLUG/README.md from the template; never overwrites.

    The write-up has every required section with 'FILL IN' placeholders, which
    `folio check` reports until you replace them.

    \b
    Examples:
      folio new churn-model
      folio new kaggle-digits --title "Digit Recognizer (Kaggle, top 8%)"
    """
    from repofolio.commands import new as cmd

    _exit(cmd.run(obj.config(), slug, title))


@main.command()
@click.argument("kind", type=click.Choice(["project"]), default="project")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of stdout.")
@click.pass_obj
def schema(obj: Context, kind: str, output: Path | None) -> None:
    """Print the JSON Schema of the project front matter.

    Editors with yaml-language-server use it for completion and checks; `folio new`
    points each write-up at schemas/project.schema.json.

    \b
    Examples:
      folio schema > project.schema.json
      folio schema -o schemas/project.schema.json
    """
    if output is not None:
        import json

        from repofolio.fsio import write_if_changed
        from repofolio.model import project_schema

        text = json.dumps(project_schema(), indent=2, ensure_ascii=False) + "\n"
        old = output.read_text(encoding="utf-8") if output.is_file() else None
        write_if_changed(output, text, old)
        click.echo(f"Wrote {output}", err=True)
        return
    from repofolio.commands import schema as cmd

    _exit(cmd.run(kind))


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="folio")
