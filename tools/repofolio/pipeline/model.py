"""The pipeline as data: applications moving through stages, contacts, follow-ups, statistics.

Pure: no disk and no clock (every function that needs "today" takes it). Every move keeps
its date, so an application has a history, not only a stage; ``stage`` is the last move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from repofolio.errors import FolioError
from repofolio.pipeline import STAGES

SCHEMA_VERSION = 1
FORMAT = "folio-pipeline"
AWAITING = frozenset({"applied", "screening", "interview"})  # waiting for their answer
ANSWERS = frozenset({"screening", "interview", "offer", "accepted", "rejected"})
CLOSED = frozenset({"accepted", "rejected", "withdrawn", "ghosted"})


@dataclass
class Event:
    """One dated step: a move into ``stage``, or a note while in it (a follow-up sent)."""

    stage: str
    date: dt.date
    note: str | None = None
    kind: str = "move"  # "move" | "note"
    auto: bool = False  # made by folio (ghosted after a silence), not by the owner

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"stage": self.stage, "date": self.date.isoformat()}
        if self.kind != "move":
            data["kind"] = self.kind
        if self.note:
            data["note"] = self.note
        if self.auto:
            data["auto"] = True
        return data


@dataclass
class ResumeRecord:
    """Which resume went to which application: the file, its digest, the projects chosen."""

    date: dt.date
    file: str
    sha256: str
    format: str
    projects: list[tuple[str, float]]  # slug, match score, in the resume's order
    score: float  # the chosen projects' scores summed
    posting: str | None = None  # the posting's copy in the store folder
    posting_sha256: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "file": self.file,
            "sha256": self.sha256,
            "format": self.format,
            "projects": [{"slug": s, "score": score} for s, score in self.projects],
            "score": self.score,
            "posting": self.posting,
            "posting_sha256": self.posting_sha256,
        }


@dataclass
class Application:
    id: int
    company: str
    role: str
    history: list[Event]
    url: str | None = None
    source: str | None = None
    contacts: list[str] = field(default_factory=list)
    next: dt.date | None = None
    resumes: list[ResumeRecord] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return self.history[-1].stage

    @property
    def moves(self) -> list[Event]:
        return [e for e in self.history if e.kind == "move"]

    @property
    def last_date(self) -> dt.date:
        return max(e.date for e in self.history)

    @property
    def applied(self) -> dt.date | None:
        """The day it was sent: the first move past ``saved``."""
        return next((e.date for e in self.moves if e.stage != "saved"), None)

    @property
    def first_answer(self) -> dt.date | None:
        return next((e.date for e in self.moves if e.stage in ANSWERS), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "company": self.company,
            "role": self.role,
            "url": self.url,
            "source": self.source,
            "contacts": list(self.contacts),
            "next": self.next.isoformat() if self.next else None,
            "history": [e.as_dict() for e in self.history],
            "resumes": [r.as_dict() for r in self.resumes],
        }

    def summary(self) -> dict[str, Any]:
        """What ``list --format json`` prints for it."""
        applied = self.applied
        return {
            "id": self.id,
            "company": self.company,
            "role": self.role,
            "stage": self.stage,
            "since": self.history[-1].date.isoformat(),
            "applied": applied.isoformat() if applied else None,
            "next": self.next.isoformat() if self.next else None,
            "url": self.url,
            "source": self.source,
            "contacts": list(self.contacts),
        }


@dataclass
class Contact:
    """Someone to ask for advice or to meet."""

    id: int
    name: str
    added: dt.date
    company: str | None = None
    role: str | None = None
    email: str | None = None
    url: str | None = None
    note: str | None = None
    next: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "added": self.added.isoformat(),
            "company": self.company,
            "role": self.role,
            "email": self.email,
            "url": self.url,
            "note": self.note,
            "next": self.next.isoformat() if self.next else None,
        }


@dataclass
class Pipeline:
    applications: list[Application] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "applications": [a.as_dict() for a in self.applications],
            "contacts": [c.as_dict() for c in self.contacts],
        }

    def application(self, ident: str | int) -> Application:
        try:
            number = int(str(ident).strip().lstrip("#"))
        except ValueError:
            raise FolioError(f"'{ident}' is not an application id (a number)") from None
        for app in self.applications:
            if app.id == number:
                return app
        known = ", ".join(str(a.id) for a in self.applications[-10:]) or "none yet"
        raise FolioError(f"no application {number}; ids: {known} (folio apply list)")

    def new_id(self) -> int:
        return max((a.id for a in self.applications), default=0) + 1

    def new_contact_id(self) -> int:
        return max((c.id for c in self.contacts), default=0) + 1

    def companies(self) -> list[str]:
        names = [a.company for a in self.applications]
        names += [c.company for c in self.contacts if c.company]
        return _unique(names)

    def people(self) -> list[str]:
        names = [c.name for c in self.contacts]
        names += [n for a in self.applications for n in a.contacts]
        return _unique(names)


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        text = " ".join(name.split())
        if text:
            seen.setdefault(text.casefold(), text)
    return list(seen.values())


# -- changes -----------------------------------------------------------------------------------


def check_stage(stage: str) -> str:
    value = stage.strip().lower()
    if value not in STAGES:
        raise FolioError(f"'{stage}' is not a stage; stages: {', '.join(STAGES)}")
    return value


def add_application(
    pipeline: Pipeline,
    company: str,
    role: str,
    *,
    day: dt.date,
    stage: str = "applied",
    url: str | None = None,
    source: str | None = None,
    contacts: Iterable[str] = (),
    next_day: dt.date | None = None,
    note: str | None = None,
) -> Application:
    company, role = " ".join(company.split()), " ".join(role.split())
    if not company:
        raise FolioError("the company is empty")
    if not role:
        raise FolioError("--role is empty")
    if stage not in ("saved", "applied"):
        raise FolioError(
            f"a new application is saved or applied, not {stage}: add it, then move it"
        )
    app = Application(
        id=pipeline.new_id(),
        company=company,
        role=role,
        history=[Event(stage, day, note)],
        url=url,
        source=source,
        contacts=_unique(contacts),
        next=next_day,
    )
    pipeline.applications.append(app)
    return app


def move(
    app: Application,
    stage: str,
    *,
    day: dt.date,
    note: str | None = None,
    next_day: dt.date | None = None,
) -> Event:
    """Move to ``stage`` (again: a new round, say a second interview) on ``day``.

    A move cannot go back before the last recorded day: the history stays in order. The
    follow-up date is the one given, or none (the old one was about the old stage).
    """
    stage = check_stage(stage)
    _drop_guesses(app, day)
    if day < app.last_date:
        raise FolioError(
            f"application {app.id}: {day.isoformat()} is before its last step "
            f"({app.last_date.isoformat()}, {app.stage}); the history stays in order"
        )
    event = Event(stage, day, note)
    app.history.append(event)
    app.next = next_day
    return event


def _drop_guesses(app: Application, day: dt.date) -> None:
    """A step recorded on ``day`` replaces folio's later guesses (ghosted after a silence)."""
    while len(app.history) > 1 and app.history[-1].auto and app.history[-1].date > day:
        app.history.pop()


def add_note(
    app: Application, note: str, *, day: dt.date, next_day: dt.date | None = None
) -> Event:
    """A dated note in the current stage (a follow-up sent, a thank-you written)."""
    if not note.strip():
        raise FolioError("the note is empty")
    _drop_guesses(app, day)
    if day < app.last_date:
        raise FolioError(
            f"application {app.id}: {day.isoformat()} is before its last step "
            f"({app.last_date.isoformat()}); the history stays in order"
        )
    event = Event(app.stage, day, note.strip(), kind="note")
    app.history.append(event)
    if next_day is not None:
        app.next = next_day
    elif app.next is not None and app.next <= day:
        app.next = None  # the planned follow-up is what this note records
    return event


def ghost(pipeline: Pipeline, today: dt.date, after_days: int) -> list[Application]:
    """Move every application that waited ``after_days`` without an answer to ``ghosted``.

    The silence counts from its last step, or from a planned follow-up still to come. The
    move is dated the day the silence reached ``after_days``, and marked as folio's.
    """
    ghosted = []
    for app in pipeline.applications:
        if app.stage not in AWAITING:
            continue
        since = max(app.last_date, app.next) if app.next else app.last_date
        when = since + dt.timedelta(days=after_days)
        if when <= today:
            app.history.append(
                Event("ghosted", when, f"no answer for {after_days} days", auto=True)
            )
            app.next = None
            ghosted.append(app)
    return ghosted


def add_contact(
    pipeline: Pipeline,
    name: str,
    *,
    day: dt.date,
    company: str | None = None,
    role: str | None = None,
    email: str | None = None,
    url: str | None = None,
    note: str | None = None,
    next_day: dt.date | None = None,
) -> Contact:
    name = " ".join(name.split())
    if not name:
        raise FolioError("the contact's name is empty")
    if any(c.name.casefold() == name.casefold() for c in pipeline.contacts):
        raise FolioError(f"'{name}' is already a contact (folio apply contact list)")
    contact = Contact(
        pipeline.new_contact_id(), name, day, company, role, email, url, note, next_day
    )
    pipeline.contacts.append(contact)
    return contact


# -- follow-ups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A follow-up to do: ``kind`` is ``next``, ``follow-up``, ``thank-you`` or ``contact``."""

    kind: str
    what: str  # "application" | "contact"
    id: int
    name: str  # the company, or the contact's name
    role: str | None
    since: dt.date
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "what": self.what,
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "since": self.since.isoformat(),
            "message": self.message,
        }


def due(pipeline: Pipeline, today: dt.date, follow_up_days: int) -> list[Due]:
    """What needs doing on ``today``, oldest first.

    - a ``--next`` date that has come (it replaces the automatic reminders below);
    - no answer ``follow_up_days`` after applying, or after the last follow-up note;
    - a thank-you the day after an interview, until something else is recorded.
    """
    found: list[Due] = []
    for app in pipeline.applications:
        last = app.history[-1]
        if app.next is not None:
            if app.next <= today:
                found.append(
                    Due(
                        "next",
                        "application",
                        app.id,
                        app.company,
                        app.role,
                        app.next,
                        f"follow-up planned for {app.next.isoformat()} ({app.stage})",
                    )
                )
            continue
        if app.stage == "applied":
            waited = (today - last.date).days
            if waited >= follow_up_days:
                found.append(
                    Due(
                        "follow-up",
                        "application",
                        app.id,
                        app.company,
                        app.role,
                        last.date,
                        f"no answer since {last.date.isoformat()} ({waited} days): follow up",
                    )
                )
        elif app.stage == "interview" and last.kind == "move" and today > last.date:
            found.append(
                Due(
                    "thank-you",
                    "application",
                    app.id,
                    app.company,
                    app.role,
                    last.date,
                    f"send a thank-you note for the interview on {last.date.isoformat()}",
                )
            )
    for contact in pipeline.contacts:
        if contact.next is not None and contact.next <= today:
            found.append(
                Due(
                    "contact",
                    "contact",
                    contact.id,
                    contact.name,
                    contact.role,
                    contact.next,
                    f"get in touch (planned for {contact.next.isoformat()})",
                )
            )
    return sorted(found, key=lambda d: (d.since, d.what, d.id))


# -- statistics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    stages: dict[str, int]
    total: int
    applied: int  # applications sent (past "saved")
    answered: int  # of those, the ones that got an answer (screening and on, or rejected)
    response_rate: float | None
    median_days_to_first_answer: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "stages": self.stages,
            "total": self.total,
            "applied": self.applied,
            "answered": self.answered,
            "response_rate": self.response_rate,
            "median_days_to_first_answer": self.median_days_to_first_answer,
        }


def stats(pipeline: Pipeline) -> Stats:
    import statistics  # here: ~4 ms (fractions, decimal) that only stats needs

    stages = dict.fromkeys(STAGES, 0)
    days: list[int] = []
    applied = answered = 0
    for app in pipeline.applications:
        stages[app.stage] += 1
        sent = app.applied
        if sent is None:
            continue
        applied += 1
        answer = app.first_answer
        if answer is not None:
            answered += 1
            days.append((answer - sent).days)
    return Stats(
        stages=stages,
        total=len(pipeline.applications),
        applied=applied,
        answered=answered,
        response_rate=round(answered / applied, 3) if applied else None,
        median_days_to_first_answer=float(statistics.median(days)) if days else None,
    )


def weekly_counts(pipeline: Pipeline) -> dict[str, dict[str, int]]:
    """ISO week -> applications sent, interviews and offers that week. Counts, never names."""
    from repofolio.journal import iso_week

    weeks: dict[str, dict[str, int]] = {}

    def bump(day: dt.date, key: str) -> None:
        week = weeks.setdefault(iso_week(day), {"applications": 0, "interviews": 0, "offers": 0})
        week[key] += 1

    for app in pipeline.applications:
        sent = app.applied
        if sent is not None:
            bump(sent, "applications")
        for event in app.moves:
            if event.stage == "interview":
                bump(event.date, "interviews")
            elif event.stage == "offer":
                bump(event.date, "offers")
    return dict(sorted(weeks.items()))


# -- reading -----------------------------------------------------------------------------------


class _Reader:
    """Turns the store's JSON into the model; every problem names the file and the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> FolioError:
        return FolioError(f"{self.source}: {where}: {problem}; the store was not changed")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "expected an object")
        return value

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = False) -> Any:
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"{where}.{key}", "expected a non-empty string")
        return value

    def day(self, data: dict[str, Any], key: str, where: str, *, required: bool = False) -> Any:
        value = data.get(key)
        if value is None and not required:
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(f"{where}.{key}", f"'{value}' is not a date YYYY-MM-DD") from None

    def ident(self, data: dict[str, Any], where: str) -> int:
        value = data.get("id")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(f"{where}.id", "expected a positive whole number")
        return value

    def names(self, data: dict[str, Any], key: str, where: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}.{key}", "expected a list of strings")
        return list(value)


def from_dict(data: Any, source: str) -> Pipeline:
    """The pipeline in ``data`` (the store's JSON); raises FolioError naming what is wrong."""
    r = _Reader(source)
    top = r.obj(data, "the file")
    version = top.get("schema_version")
    if top.get("format") != FORMAT or not isinstance(version, int) or isinstance(version, bool):
        raise r.fail("the file", f'not a folio pipeline store (no "format": "{FORMAT}")')
    if version > SCHEMA_VERSION:
        raise FolioError(
            f"{source}: schema_version {version} was written by a newer folio (this one reads "
            f"{SCHEMA_VERSION}): upgrade repofolio; the store was not changed"
        )
    pipeline = Pipeline()
    apps = top.get("applications", [])
    if not isinstance(apps, list):
        raise r.fail("applications", "expected a list")
    for i, raw in enumerate(apps):
        where = f"applications[{i}]"
        item = r.obj(raw, where)
        history = item.get("history")
        if not isinstance(history, list) or not history:
            raise r.fail(f"{where}.history", "expected a list of at least one step")
        events = []
        for j, raw_event in enumerate(history):
            at = f"{where}.history[{j}]"
            ev = r.obj(raw_event, at)
            stage = ev.get("stage")
            if stage not in STAGES:
                raise r.fail(f"{at}.stage", f"'{stage}' is not one of {', '.join(STAGES)}")
            kind = ev.get("kind", "move")
            if kind not in ("move", "note"):
                raise r.fail(f"{at}.kind", "expected 'move' or 'note'")
            events.append(
                Event(
                    stage,
                    r.day(ev, "date", at, required=True),
                    r.text(ev, "note", at),
                    kind,
                    bool(ev.get("auto", False)),
                )
            )
        resumes = []
        for j, raw_resume in enumerate(item.get("resumes") or []):
            at = f"{where}.resumes[{j}]"
            res = r.obj(raw_resume, at)
            projects = []
            for k, raw_project in enumerate(res.get("projects") or []):
                proj = r.obj(raw_project, f"{at}.projects[{k}]")
                score = proj.get("score", 0)
                if isinstance(score, bool) or not isinstance(score, (int, float)):
                    raise r.fail(f"{at}.projects[{k}].score", "expected a number")
                projects.append((str(proj.get("slug", "")), float(score)))
            total = res.get("score", 0)
            resumes.append(
                ResumeRecord(
                    r.day(res, "date", at, required=True),
                    r.text(res, "file", at, required=True),
                    r.text(res, "sha256", at, required=True),
                    r.text(res, "format", at) or "pdf",
                    projects,
                    float(total) if isinstance(total, (int, float)) else 0.0,
                    r.text(res, "posting", at),
                    r.text(res, "posting_sha256", at),
                )
            )
        pipeline.applications.append(
            Application(
                id=r.ident(item, where),
                company=r.text(item, "company", where, required=True),
                role=r.text(item, "role", where, required=True),
                history=events,
                url=r.text(item, "url", where),
                source=r.text(item, "source", where),
                contacts=r.names(item, "contacts", where),
                next=r.day(item, "next", where),
                resumes=resumes,
            )
        )
    contacts = top.get("contacts", [])
    if not isinstance(contacts, list):
        raise r.fail("contacts", "expected a list")
    for i, raw in enumerate(contacts):
        where = f"contacts[{i}]"
        item = r.obj(raw, where)
        pipeline.contacts.append(
            Contact(
                id=r.ident(item, where),
                name=r.text(item, "name", where, required=True),
                added=r.day(item, "added", where, required=True),
                company=r.text(item, "company", where),
                role=r.text(item, "role", where),
                email=r.text(item, "email", where),
                url=r.text(item, "url", where),
                note=r.text(item, "note", where),
                next=r.day(item, "next", where),
            )
        )
    ids = [a.id for a in pipeline.applications]
    if len(set(ids)) != len(ids):
        raise r.fail("applications", "two applications have the same id")
    return pipeline
