"""Config values: frozen tables that compare, hash and print by value."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from repofolio.config import CleanConfig, Config, JournalConfig, load_config


def test_tables_compare_and_hash_by_value() -> None:
    assert Config() == Config()
    assert hash(JournalConfig()) == hash(JournalConfig())
    assert dataclasses.replace(Config(), jobs=3) != Config()
    assert JournalConfig(latest=3) != JournalConfig(latest=4)
    assert JournalConfig() != CleanConfig()  # another table, never equal
    assert JournalConfig().__eq__(("docs/journal/posts",)) is NotImplemented
    assert len({JournalConfig(latest=3), JournalConfig(latest=3), JournalConfig()}) == 2


def test_tables_are_frozen() -> None:
    cfg = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.jobs = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del cfg.journal.latest  # type: ignore[misc]


def test_repr_names_every_field_as_a_dataclass_does() -> None:
    journal = JournalConfig(latest=7)
    text = repr(journal)
    assert text.startswith("JournalConfig(dir='docs/journal/posts', tags=(")
    assert "latest=7" in text
    names = [f.name for f in dataclasses.fields(JournalConfig)]
    assert [text.index(f"{name}=") for name in names] == sorted(text.index(f"{n}=") for n in names)


def test_a_loaded_config_equals_the_same_config_loaded_again(tmp_path: Path) -> None:
    (tmp_path / "folio.toml").write_text(
        "[tool.folio]\njobs = 2\n\n[tool.folio.journal]\nlatest = 3\n"
    )
    one, two = load_config(tmp_path), load_config(tmp_path)
    assert one == two and hash(one.journal) == hash(two.journal)
    assert one.journal.latest == 3 and one != Config()
