"""The job-search pipeline of ``folio apply``: applications, their stages, contacts.

Private by construction: the store is one JSON file outside the public repository
(:mod:`repofolio.pipeline.location`), written atomically (:mod:`repofolio.pipeline.store`).
The model (:mod:`repofolio.pipeline.model`) is pure: dates in, stages, due follow-ups and
statistics out. Only aggregate weekly counts ever reach the repository
(:mod:`repofolio.pipeline.public`), and every company and contact named here is redacted
wherever the journal is published (:mod:`repofolio.pipeline.names`).
"""

from __future__ import annotations

# the stages, in the order an application goes through them; here, not in model.py, so the
# CLI's choices come from the one list without importing the model at start-up
STAGES = (
    "saved",
    "applied",
    "screening",
    "interview",
    "offer",
    "accepted",
    "rejected",
    "withdrawn",
    "ghosted",
)
