"""A small SVG status badge ("runs | passing"), drawn locally: no third-party badge service.

The README links to ``SITE/badges/SLUG.svg`` for the projects where something runs
(``repofolio.runner.runs.has_badge``); the site build writes it from the last ``folio run``
report, so the README text never depends on a report that is not committed and the badge a
recruiter sees is the one of the published commit.
"""

from __future__ import annotations

from html import escape

COLORS = {"passing": "#2e7d32", "failing": "#c62828", "not-runnable": "#616161"}
LABEL = "runs"


def _width(text: str) -> int:
    return 7 * len(text) + 12  # Verdana 11px averages about 7px a character


def badge_svg(status: str | None) -> str:
    value = status or "not run"
    color = COLORS.get(value, "#616161")
    left, right = _width(LABEL), _width(value)
    total = left + right
    text = escape(f"{LABEL}: {value}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{text}"><title>{text}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{color}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" '
        f'text-anchor="middle">'
        f'<text x="{left / 2:g}" y="14">{LABEL}</text>'
        f'<text x="{left + right / 2:g}" y="14">{escape(value)}</text></g></svg>\n'
    )
