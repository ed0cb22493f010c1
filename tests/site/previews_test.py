"""Link previews (repofolio.site.previews) without MkDocs: what a page's card says."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import good_readme, run_cli, write_project
from repofolio.config import load_config
from repofolio.discover import load_portfolio
from repofolio.site.previews import Previews


def test_a_projects_card_keeps_the_private_names_out(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """A card is an image: no later filter can read it. Its title and result, taken from the
    front matter, go through the privacy filter as the page's text does."""
    assert run_cli(runner, "journal", "private", "add", "Initech")[0] == 0
    readme = good_readme("Churn model for Initech").replace(
        "results:\n", "results:\n  - Initech cut churn by 12% in the pilot\n", 1
    )
    write_project(new_user_repo, "churn-model", readme)
    portfolio = load_portfolio(load_config(new_user_repo))
    (project,) = [p for p in portfolio.projects if p.slug == "churn-model"]
    assert project.meta is not None and "Initech" in project.meta.results[0]
    previews = Previews(portfolio, "Jane Doe", None)
    card = previews.card("projects/churn-model/index.md", "Churn model", None)
    assert card.title == "Churn model for a company"
    assert card.subtitle == "a company cut churn by 12% in the pilot"


def test_cards_are_drawn_together_when_asked_and_never_again(new_user_repo: Path) -> None:
    """preview() only names a page's card; draw() draws the new ones (over processes when
    there are many), each as render_card draws it; a card in the cache is not drawn again."""
    from repofolio.render.social import render_card

    for n in range(12):
        write_project(new_user_repo, f"project-{n:02d}", good_readme(f"Project {n:02d}"))
    portfolio = load_portfolio(load_config(new_user_repo))
    previews = Previews(portfolio, "Jane Doe", None)
    pages = [f"projects/project-{n:02d}/index.md" for n in range(12)] + ["index.md", "cv.md"]
    for src in pages:
        out = previews.preview(src, src.removesuffix("index.md"), src, None, "A portfolio")
        assert out["image"].endswith(".png")
    assert len(previews.cards) == len(previews.pending) == len(pages)
    assert not any(path.exists() for path in previews.cards.values())  # nothing drawn yet
    cards = dict(previews.pending)
    previews.draw()
    assert previews.pending == {}
    for path, card in cards.items():
        assert path.read_bytes() == render_card(card)
    stamps = {path: path.stat().st_mtime_ns for path in cards}
    again = Previews(portfolio, "Jane Doe", None)
    for src in pages:
        again.preview(src, src.removesuffix("index.md"), src, None, "A portfolio")
    assert again.pending == {} and again.cards == previews.cards  # all in the cache
    again.draw()
    assert {path: path.stat().st_mtime_ns for path in cards} == stamps
