"""Kinds of project: what a write-up of each kind must hold, and what ``folio new`` writes.

A job seeker's best work is not always a repository that runs: a thesis, a talk, a hardware
build, client work whose code cannot be shown, a small script. ``kind:`` in the front matter
says which, and decides the sections ``folio check`` asks for (``[tool.folio.kinds.KIND]
required-sections`` changes them, a write-up's own ``sections:`` wins) and whether a run
badge makes sense. Light on purpose: config.py reads it on every command.
"""

from __future__ import annotations

# The kinds, in the order `folio new --help` and the docs list them; the front matter's
# `kind:` takes these words (metamodel.py declares it from this tuple).
KINDS = ("code", "notebook", "research", "no-code", "snippet")
DEFAULT_KIND = "code"

# What each kind asks for by default. Only code and notebooks have something a reader runs:
# research is read (a thesis, a paper, a talk), no-code is told (hardware, client or
# confidential work, an event: the write-up is the evidence), a snippet is shown.
DEFAULT_SECTIONS: dict[str, tuple[str, ...]] = {
    "code": ("Problem", "Approach", "Results", "How to run"),
    "notebook": ("Problem", "Approach", "Results", "How to run"),
    "research": ("Problem", "Approach", "Results"),
    "no-code": ("Problem", "What I did", "Results"),
    "snippet": ("What it does", "Code"),
}

# Kinds whose write-up proves itself by running (a `run:` or notebooks); the others get no
# run badge and no RN001 unless they say `run:` themselves.
RUNNABLE_KINDS = frozenset({"code", "notebook"})

# The scaffold's text under each section (by lowercase title), with a kind's own words first;
# every hint starts with "FILL IN" so that `folio check` reports it (SC004) until replaced.
SECTION_HINTS: dict[str, str] = {
    "problem": "FILL IN: who had the problem, why it mattered, and what made it hard.",
    "approach": "FILL IN: the data, the model or method, and the choices you would defend in "
    "an interview.",
    "results": "FILL IN: numbers first (a table of metric, baseline, yours), then what they mean.",
    "how to run": "FILL IN: the commands that reproduce the results from a fresh clone.",
    "what i did": "FILL IN: your part, step by step: what you built, decided or led, and the "
    "tools you used.",
    "what it does": "FILL IN: what the code does, for whom, and the one idea worth reading it for.",
    "code": "FILL IN: the file(s) beside this README and what to look at in them.",
}
KIND_HINTS: dict[tuple[str, str], str] = {
    ("research", "problem"): "FILL IN: the question the work answers, and why it matters.",
    ("research", "approach"): "FILL IN: the method and the data, and the choices you would "
    "defend in a viva or an interview.",
    ("research", "results"): "FILL IN: the findings, numbers first (a metric, a rank: 7th of "
    "60), and where to read or watch it (the PDF, the slides, the recording).",
    ("no-code", "problem"): "FILL IN: the situation: who needed what, and the constraints "
    "(budget, time, confidentiality: name the kind of client, not the client).",
    ("no-code", "results"): "FILL IN: what came of it, with numbers (cost, speed, users, time "
    "saved, a placement).",
    ("notebook", "how to run"): "FILL IN: where the data comes from, and how to open the "
    "notebooks (`folio run --notebooks` runs them).",
}


def section_hint(kind: str, title: str) -> str:
    """The scaffold's placeholder under ``## title`` for a write-up of ``kind``."""
    key = title.strip().lower()
    return KIND_HINTS.get((kind, key)) or SECTION_HINTS.get(key) or f"FILL IN: {key}."


# The source files a snippet's page shows, by suffix, with the language its highlighted block
# names (a Pygments lexer alias, as pymdownx.highlight takes it); `folio new` counts them as
# code when it guesses a folder's kind.
CODE_LANGUAGES: dict[str, str] = {
    ".py": "python",
    ".r": "r",
    ".R": "r",
    ".jl": "julia",
    ".js": "javascript",
    ".ts": "typescript",
    ".go": "go",
    ".rs": "rust",
    ".c": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".h": "c",
    ".hpp": "cpp",
    ".java": "java",
    ".kt": "kotlin",
    ".scala": "scala",
    ".swift": "swift",
    ".cs": "csharp",
    ".rb": "ruby",
    ".php": "php",
    ".lua": "lua",
    ".m": "matlab",
    ".sh": "bash",
    ".sql": "sql",
}
