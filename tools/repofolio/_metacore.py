"""The project front matter compiled for pydantic-core: the records' fields, and the
schema that validates into them.

Written by `python -m repofolio.metamodel` from the declaration in
repofolio/metamodel.py: do not edit.
"""

# ruff: noqa: E501 - nested deep, as pydantic compiled it

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from repofolio.model import Period


class PeriodFields:
    """The fields of a Period record, as metamodel.Period declares them."""

    __slots__ = ()

    start: dt.date | str
    end: dt.date | str | Literal["present"] | None


class ProjectMetaFields:
    """The fields of a ProjectMeta record, as metamodel.ProjectMeta declares them."""

    __slots__ = ()

    title: str
    summary: str
    kind: Literal["code", "notebook", "research", "no-code", "snippet"]
    draft: bool
    date: dt.date | str | None
    period: Period | None
    status: Literal["active", "completed", "maintained", "archived", "in-progress"]
    tags: list[str]
    skills: list[str]
    role: str | None
    highlight: bool | int
    links: dict[str, str]
    results: list[str]
    cover: str | None
    notebooks: list[str] | None
    run: str | list[str] | None
    requirements: str | None
    timeout: int | None
    license: str | None
    sections: list[str] | None


def core_schema(Period: Any, ProjectMeta: Any, date_or_period: Any) -> Any:
    shared_1 = {
        "type": "str",
        "pattern": "^\\d{4}-(0[1-9]|1[0-2])$",
    }
    shared_2 = {
        "type": "str",
        "min_length": 1,
        "strip_whitespace": True,
    }
    shared_3 = {
        "type": "list",
        "items_schema": {
            "type": "str",
        },
    }
    shared_4 = {
        "type": "list",
        "items_schema": shared_2,
    }
    shared_5 = {
        "type": "union",
        "choices": [
            {
                "type": "date",
            },
            shared_1,
        ],
    }
    shared_6 = {
        "type": "model-field",
        "schema": {
            "type": "default",
            "schema": {
                "type": "nullable",
                "schema": {
                    "type": "str",
                },
            },
            "default": None,
        },
    }
    shared_7 = {
        "type": "model-field",
        "schema": {
            "type": "default",
            "schema": shared_4,
            "default": [],
        },
    }
    return {
        "type": "function-after",
        "function": {
            "type": "no-info",
            "function": date_or_period,
        },
        "schema": {
            "type": "model",
            "cls": ProjectMeta,
            "schema": {
                "type": "model-fields",
                "fields": {
                    "title": {
                        "type": "model-field",
                        "schema": {
                            "type": "str",
                            "min_length": 1,
                            "max_length": 100,
                            "strip_whitespace": True,
                        },
                    },
                    "summary": {
                        "type": "model-field",
                        "schema": shared_2,
                    },
                    "kind": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "literal",
                                "expected": [
                                    "code",
                                    "notebook",
                                    "research",
                                    "no-code",
                                    "snippet",
                                ],
                            },
                            "default": "code",
                        },
                    },
                    "draft": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "bool",
                            },
                            "default": False,
                        },
                    },
                    "date": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": shared_5,
                            },
                            "default": None,
                        },
                    },
                    "period": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": {
                                    "type": "model",
                                    "cls": Period,
                                    "schema": {
                                        "type": "model-fields",
                                        "fields": {
                                            "start": {
                                                "type": "model-field",
                                                "schema": shared_5,
                                            },
                                            "end": {
                                                "type": "model-field",
                                                "schema": {
                                                    "type": "default",
                                                    "schema": {
                                                        "type": "nullable",
                                                        "schema": {
                                                            "type": "union",
                                                            "choices": [
                                                                {
                                                                    "type": "date",
                                                                },
                                                                shared_1,
                                                                {
                                                                    "type": "literal",
                                                                    "expected": [
                                                                        "present",
                                                                    ],
                                                                },
                                                            ],
                                                        },
                                                    },
                                                    "default": None,
                                                },
                                            },
                                        },
                                        "model_name": "Period",
                                        "computed_fields": [],
                                    },
                                    "custom_init": False,
                                    "root_model": False,
                                    "config": {
                                        "extra_fields_behavior": "forbid",
                                        "title": "Period",
                                    },
                                },
                            },
                            "default": None,
                        },
                    },
                    "status": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "literal",
                                "expected": [
                                    "active",
                                    "completed",
                                    "maintained",
                                    "archived",
                                    "in-progress",
                                ],
                            },
                            "default": "completed",
                        },
                    },
                    "tags": shared_7,
                    "skills": shared_7,
                    "role": shared_6,
                    "highlight": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "union",
                                "choices": [
                                    {
                                        "type": "bool",
                                    },
                                    {
                                        "type": "int",
                                    },
                                ],
                            },
                            "default": False,
                        },
                    },
                    "links": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "dict",
                                "keys_schema": {
                                    "type": "str",
                                },
                                "values_schema": {
                                    "type": "str",
                                },
                            },
                            "default": {},
                        },
                    },
                    "results": shared_7,
                    "cover": shared_6,
                    "notebooks": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": shared_3,
                            },
                            "default": None,
                        },
                    },
                    "run": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": {
                                    "type": "union",
                                    "choices": [
                                        {
                                            "type": "str",
                                        },
                                        shared_3,
                                    ],
                                },
                            },
                            "default": None,
                        },
                    },
                    "requirements": shared_6,
                    "timeout": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": {
                                    "type": "int",
                                    "ge": 1,
                                },
                            },
                            "default": None,
                        },
                    },
                    "license": shared_6,
                    "sections": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": shared_4,
                            },
                            "default": None,
                        },
                    },
                },
                "model_name": "ProjectMeta",
                "computed_fields": [],
            },
            "custom_init": False,
            "root_model": False,
            "config": {
                "extra_fields_behavior": "forbid",
                "title": "repofolio project write-up",
            },
        },
    }
