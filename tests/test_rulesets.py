"""Every ruleset file loads and is consistent; a broken file is an error naming file and key."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from domain.errors import RulesetError, UnknownRuleset
from rulesets import BonusBlock, InvoiceBlock, PlacementBlock, load_catalog
from rulesets.catalog import BUILTIN_DIR, find_block, load_ruleset_file
from rulesets.model import FixedBlock

RULESET_FILES = sorted(BUILTIN_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", RULESET_FILES, ids=[p.name for p in RULESET_FILES])
def test_every_ruleset_file_loads_and_references_existing_blocks(path: Path) -> None:
    ruleset = load_ruleset_file(path)
    codes = {block.code for block in ruleset.blocks}
    assert ruleset.invoice_block in codes
    for block in ruleset.blocks:
        if isinstance(block, BonusBlock):
            assert set(block.applies_to) <= codes


def test_the_shipped_rulesets_and_their_figures() -> None:
    catalog = load_catalog()
    assert {r.id for r in catalog.rulesets} >= {"twente-2016", "duoplus-2024"}
    twente = catalog.by_id("twente-2016")
    duoplus = catalog.by_id("duoplus-2024")
    assert twente is not None and duoplus is not None
    expected_twente = {
        "1": 30000,
        "2": 40000,
        "3": 30000,
        "4": 15000,
        "5": 10000,
        "6": 15000,
        "7": 30000,
        "8": 35000,
        "10": 15000,
        "11": 5000,
        "12": 5000,
        "14": 10000,
    }
    for code, value in expected_twente.items():
        block = twente.block(code)
        assert isinstance(block, PlacementBlock)
        assert block.annual_value == value
    assert twente.obligation.threshold == 100_000
    assert duoplus.obligation.threshold == 200_000
    assert duoplus.discounts.labour_component_only
    assert not twente.discounts.labour_component_only
    assert isinstance(duoplus.block("11"), InvoiceBlock)
    assert duoplus.invoice_block == "11"
    duo_1, duo_2 = duoplus.block("1"), duoplus.block("2")
    assert isinstance(duo_1, PlacementBlock) and isinstance(duo_2, PlacementBlock)
    assert (duo_1.annual_value, duo_2.annual_value) == (30000, 40000)  # as published
    assert duo_1.count_days == 365
    fixed = twente.block("13")
    assert isinstance(fixed, FixedBlock) and fixed.pro_rata and fixed.amount == Decimal(25000)


def test_family_resolves_to_the_version_valid_at_the_award_date(tmp_path: Path) -> None:
    newer = yaml.safe_load((BUILTIN_DIR / "twente-2016.yaml").read_text(encoding="utf-8"))
    newer["id"] = "twente-2027"
    newer["valid_from"] = date(2027, 1, 1)
    (tmp_path / "twente-2027.yaml").write_text(yaml.safe_dump(newer), encoding="utf-8")
    catalog = load_catalog([tmp_path])
    assert catalog.resolve("twente", date(2026, 12, 31)).id == "twente-2016"
    assert catalog.resolve("twente", date(2027, 1, 1)).id == "twente-2027"
    assert catalog.resolve("Twente-2016", date(2030, 1, 1)).id == "twente-2016"
    with pytest.raises(UnknownRuleset, match="geen versie van regeling 'twente' geldig"):
        catalog.resolve("twente", date(2015, 1, 1))
    with pytest.raises(UnknownRuleset, match="onbekende regeling 'utrecht'"):
        catalog.resolve("utrecht", date(2025, 1, 1))


def _broken_copy(tmp_path: Path, change: dict[str, object], name: str = "twente-2016") -> Path:
    data = yaml.safe_load((BUILTIN_DIR / "twente-2016.yaml").read_text(encoding="utf-8"))
    data.update(change)
    data["id"] = name
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = _broken_copy(tmp_path, {"drempel": 5})
    with pytest.raises(RulesetError) as error:
        load_ruleset_file(path)
    assert error.value.file == str(path)
    assert error.value.key == "drempel"


def test_bad_block_value_names_the_block_code(tmp_path: Path) -> None:
    data = yaml.safe_load((BUILTIN_DIR / "twente-2016.yaml").read_text(encoding="utf-8"))
    data["blocks"][1]["annual_value"] = -5
    path = tmp_path / "twente-2016.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        load_ruleset_file(path)
    assert error.value.key == "blocks[code 2].annual_value"


def test_bonus_on_unknown_block_is_an_error(tmp_path: Path) -> None:
    data = yaml.safe_load((BUILTIN_DIR / "twente-2016.yaml").read_text(encoding="utf-8"))
    bonus = next(block for block in data["blocks"] if block["code"] == "17")
    bonus["applies_to"] = ["1", "99"]
    path = tmp_path / "twente-2016.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesetError, match="bonus 17 applies to '99'"):
        load_ruleset_file(path)


def test_overlapping_versions_of_a_family_are_an_error(tmp_path: Path) -> None:
    _broken_copy(tmp_path, {"valid_from": date(2016, 9, 1)}, name="twente-2016b")
    with pytest.raises(RulesetError, match="overlaps with twente-2016"):
        load_catalog([tmp_path])


def test_same_id_twice_is_an_error(tmp_path: Path) -> None:
    shutil.copy(BUILTIN_DIR / "twente-2016.yaml", tmp_path / "twente-2016.yaml")
    with pytest.raises(RulesetError, match="also defined"):
        load_catalog([tmp_path])


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("Participatiewet > 2 jaar", "2"),
        ("participatiewet >2jr", "2"),
        ("2", "2"),
        ("2 - Participatiewet > 2 jaar", "2"),
        ("WIA", "7"),
        ("Infra-Werkt", "23"),
        ("NUG", "14"),
    ],
)
def test_doelgroep_cells_find_their_block(cell: str, code: str) -> None:
    twente = load_catalog().by_id("twente-2016")
    assert twente is not None
    block = find_block(twente, cell, (PlacementBlock, FixedBlock))
    assert block is not None and block.code == code


def test_a_label_of_another_kind_is_not_found() -> None:
    twente = load_catalog().by_id("twente-2016")
    assert twente is not None
    assert find_block(twente, "WSW", (PlacementBlock, FixedBlock)) is None
    assert find_block(twente, "Participatiewet < 3 jaar", (PlacementBlock,)) is None
