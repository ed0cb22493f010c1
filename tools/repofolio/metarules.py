"""What the front matter's declaration (metamodel.py, pydantic) and its records (model.py,
pydantic-core alone) share: the schema's URL, the month pattern, the rule that a write-up
says when. Light on purpose: model.py imports it on every command, and
`python -m repofolio.metamodel` must run whatever state ``_metacore.py`` is in.
"""

from __future__ import annotations

import re
from typing import Any

SCHEMA_URL = "https://repofolio.dev/schema/project.json"
YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def date_or_period(meta: Any) -> Any:
    """A write-up says when: ``date`` or ``period``. (pydantic runs it after the fields.)"""
    if meta.date is None and meta.period is None:
        raise ValueError("one of 'date' or 'period' is required")
    return meta
