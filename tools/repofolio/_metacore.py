"""pydantic's compiled schema of the project front matter, for pydantic-core.

Written by `python -m repofolio.metamodel` from repofolio/metamodel.py: do not edit.
"""

# ruff: noqa: E501 - nested deep, as pydantic compiled it

from typing import Any


def core_schema(Period: Any, ProjectMeta: Any, date_or_period: Any) -> Any:
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
                        "schema": {
                            "type": "str",
                            "min_length": 1,
                            "strip_whitespace": True,
                        },
                    },
                    "date": {
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
                                        {
                                            "type": "str",
                                            "pattern": "^\\d{4}-(0[1-9]|1[0-2])$",
                                        },
                                    ],
                                },
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
                                                "schema": {
                                                    "type": "union",
                                                    "choices": [
                                                        {
                                                            "type": "date",
                                                        },
                                                        {
                                                            "type": "str",
                                                            "pattern": "^\\d{4}-(0[1-9]|1[0-2])$",
                                                        },
                                                    ],
                                                },
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
                                                                {
                                                                    "type": "str",
                                                                    "pattern": "^\\d{4}-(0[1-9]|1[0-2])$",
                                                                },
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
                    "tags": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "list",
                                "items_schema": {
                                    "type": "str",
                                    "min_length": 1,
                                    "strip_whitespace": True,
                                },
                            },
                            "default": [],
                        },
                    },
                    "skills": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "list",
                                "items_schema": {
                                    "type": "str",
                                    "min_length": 1,
                                    "strip_whitespace": True,
                                },
                            },
                            "default": [],
                        },
                    },
                    "role": {
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
                    },
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
                    "results": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "list",
                                "items_schema": {
                                    "type": "str",
                                    "min_length": 1,
                                    "strip_whitespace": True,
                                },
                            },
                            "default": [],
                        },
                    },
                    "cover": {
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
                    },
                    "notebooks": {
                        "type": "model-field",
                        "schema": {
                            "type": "default",
                            "schema": {
                                "type": "nullable",
                                "schema": {
                                    "type": "list",
                                    "items_schema": {
                                        "type": "str",
                                    },
                                },
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
                                        {
                                            "type": "list",
                                            "items_schema": {
                                                "type": "str",
                                            },
                                        },
                                    ],
                                },
                            },
                            "default": None,
                        },
                    },
                    "requirements": {
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
                    },
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
                    "license": {
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
