"""The pipeline's model: stages with a history, follow-ups due, statistics, the store's JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from repofolio.errors import FolioError
from repofolio.pipeline import model
from repofolio.pipeline.model import Pipeline

D = dt.date


def six() -> Pipeline:
    """Six applications, moved through the stages over November 2026."""
    p = Pipeline()
    a = model.add_application(p, "Initech", "ML Engineer", day=D(2026, 11, 2))
    model.move(a, "screening", day=D(2026, 11, 5))
    model.move(a, "interview", day=D(2026, 11, 12))
    model.move(a, "offer", day=D(2026, 11, 20))
    b = model.add_application(p, "Globex", "Data Scientist", day=D(2026, 11, 3))
    model.move(b, "rejected", day=D(2026, 11, 10), note="thin on deployment")
    c = model.add_application(p, "Hooli", "MLOps Engineer", day=D(2026, 11, 16))  # unanswered
    d = model.add_application(p, "Umbrella", "Research Engineer", day=D(2026, 11, 9))
    model.move(d, "interview", day=D(2026, 11, 23))
    e = model.add_application(p, "Vandelay", "Analyst", day=D(2026, 10, 1))  # silent since
    f = model.add_application(p, "Stark", "ML Engineer", day=D(2026, 11, 20), stage="saved")
    assert [x.id for x in (a, b, c, d, e, f)] == [1, 2, 3, 4, 5, 6]
    return p


def test_every_move_keeps_its_date() -> None:
    p = six()
    a = p.application(1)
    assert [(e.stage, e.date) for e in a.history] == [
        ("applied", D(2026, 11, 2)),
        ("screening", D(2026, 11, 5)),
        ("interview", D(2026, 11, 12)),
        ("offer", D(2026, 11, 20)),
    ]
    assert a.stage == "offer" and a.applied == D(2026, 11, 2) and a.first_answer == D(2026, 11, 5)
    with pytest.raises(FolioError, match="before its last step"):
        model.move(a, "accepted", day=D(2026, 11, 19))
    with pytest.raises(FolioError, match="'hired' is not a stage; stages: saved, applied"):
        model.move(a, "hired", day=D(2026, 11, 25))


def test_ghosted_after_the_configured_silence_and_undone_by_an_answer() -> None:
    p = six()
    ghosted = model.ghost(p, D(2026, 11, 24), after_days=30)
    assert [a.company for a in ghosted] == ["Vandelay"]
    e = p.application(5)
    assert (e.stage, e.history[-1].date, e.history[-1].auto) == ("ghosted", D(2026, 10, 31), True)
    assert model.ghost(p, D(2026, 11, 24), after_days=30) == []  # once
    # they answered after all, recorded late: folio's guess gives way
    model.move(e, "screening", day=D(2026, 10, 20))
    assert [x.stage for x in e.history] == ["applied", "screening"]
    # a planned follow-up still to come keeps an application from being ghosted
    h = p.application(3)
    h.next = D(2026, 12, 20)
    ghosted = model.ghost(p, D(2027, 1, 10), after_days=30)
    assert [a.company for a in ghosted] == ["Umbrella", "Vandelay"]
    assert h.stage == "applied"


def test_due_names_the_unanswered_one_a_thank_you_and_the_next_dates() -> None:
    p = six()
    day = D(2026, 11, 24)
    due = model.due(p, day, follow_up_days=7)
    assert [(d.id, d.kind) for d in due] == [(5, "follow-up"), (3, "follow-up"), (4, "thank-you")]
    assert due[1].message == "no answer since 2026-11-16 (8 days): follow up"
    assert due[2].message == "send a thank-you note for the interview on 2026-11-23"
    # the day before the follow-up limit: not yet
    assert [d.id for d in model.due(p, D(2026, 11, 22), 7) if d.kind == "follow-up"] == [5]
    # a note restarts the clock and clears the thank-you
    model.add_note(p.application(3), "sent a follow-up email", day=D(2026, 11, 24))
    model.add_note(p.application(4), "thank-you sent", day=D(2026, 11, 24))
    assert [d.id for d in model.due(p, day, 7)] == [5]
    # a --next date replaces the automatic reminder, and is due when it comes
    p.application(5).next = D(2026, 11, 30)
    assert model.due(p, day, 7) == []
    assert [(d.id, d.kind) for d in model.due(p, D(2026, 11, 30), 7)] == [(5, "next")]
    model.add_contact(p, "Jane Doe", day=day, company="Initech", next_day=D(2026, 11, 30))
    assert [d.what for d in model.due(p, D(2026, 11, 30), 7)] == ["application", "contact"]


def test_stats_counts_rate_and_median() -> None:
    p = six()
    s = model.stats(p)
    assert s.stages == {
        "saved": 1,
        "applied": 2,
        "screening": 0,
        "interview": 1,
        "offer": 1,
        "accepted": 0,
        "rejected": 1,
        "withdrawn": 0,
        "ghosted": 0,
    }
    assert (s.total, s.applied, s.answered) == (6, 5, 3)
    assert s.response_rate == 0.6
    # first answers after 3 (Initech), 7 (Globex) and 14 days (Umbrella)
    assert s.median_days_to_first_answer == 7.0
    assert model.stats(Pipeline()).as_dict()["response_rate"] is None


def test_weekly_counts_hold_numbers_only() -> None:
    weeks = model.weekly_counts(six())
    assert weeks["2026-W40"] == {"applications": 1, "interviews": 0, "offers": 0}
    assert weeks["2026-W45"] == {"applications": 2, "interviews": 0, "offers": 0}
    assert weeks["2026-W46"] == {"applications": 1, "interviews": 1, "offers": 0}
    assert weeks["2026-W47"] == {"applications": 1, "interviews": 0, "offers": 1}
    assert weeks["2026-W48"] == {"applications": 0, "interviews": 1, "offers": 0}
    assert "Initech" not in json.dumps(weeks)


def test_round_trip_and_names() -> None:
    p = six()
    model.add_contact(p, "Jane Doe", day=D(2026, 11, 1), company="Initech Labs")
    p.application(2).contacts.append("Bill Lumbergh")
    again = model.from_dict(json.loads(json.dumps(p.as_dict())), "store.json")
    assert again.as_dict() == p.as_dict()
    assert again.companies() == [
        "Initech",
        "Globex",
        "Hooli",
        "Umbrella",
        "Vandelay",
        "Stark",
        "Initech Labs",
    ]
    assert again.people() == ["Jane Doe", "Bill Lumbergh"]


BAD = [
    ([], "store.json: the file: expected an object; the store was not changed"),
    ({"schema_version": 1}, "store.json: the file: not a folio pipeline store"),
    (
        {"format": "folio-pipeline", "schema_version": 9},
        "store.json: schema_version 9 was written by a newer folio",
    ),
    (
        {"format": "folio-pipeline", "schema_version": 1, "applications": [{"id": 1}]},
        "store.json: applications[0].history: expected a list of at least one step",
    ),
    (
        {
            "format": "folio-pipeline",
            "schema_version": 1,
            "applications": [
                {
                    "id": 1,
                    "company": "X",
                    "role": "Y",
                    "history": [{"stage": "applied", "date": "2026-13-01"}],
                }
            ],
        },
        "store.json: applications[0].history[0].date: '2026-13-01' is not a date YYYY-MM-DD",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_a_bad_store_is_one_error_naming_the_field(data: object, message: str) -> None:
    with pytest.raises(FolioError) as info:
        model.from_dict(data, "store.json")
    assert str(info.value).startswith(message)
