"""The site in dark mode (prefers-color-scheme: dark, Material's slate scheme), on a repository
made the way a new user makes one: every outline button's label is readable.

Material draws an outline button (``.md-button`` without ``--primary``) in the primary colour;
the package's dark blue header colour on slate's dark background was 1.6:1, the home page's
"The whole journal" button all but invisible."""

from __future__ import annotations

from pathlib import Path

from chromium import launch, serve
from click.testing import CliRunner
from conftest import folio_build_strict, run_cli

# WCAG 2 contrast of the button's label on the page's background, both from computed styles
CONTRAST = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = lum(rgb(getComputedStyle(document.body).backgroundColor));
  return [...document.querySelectorAll('.md-typeset .md-button:not(.md-button--primary)')]
    .map((e) => {
      const fg = lum(rgb(getComputedStyle(e).color));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      return [e.textContent.trim(), Math.round(ratio * 100) / 100];
    });
}"""


def test_outline_buttons_are_readable_in_dark_mode(new_user_repo: Path) -> None:
    code, _, err = run_cli(CliRunner(), "journal", "add", "Read the MinT paper again.")
    assert code == 0, err
    build = folio_build_strict(new_user_repo)
    assert build.returncode == 0, build.stderr
    with launch() as browser, serve(new_user_repo / "site") as url:
        context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": 1280, "height": 800}, color_scheme="dark"
        )
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        buttons = page.evaluate(CONTRAST)
        context.close()
    assert "The whole journal" in [label for label, _ in buttons], buttons
    assert all(ratio >= 4.5 for _, ratio in buttons), buttons
