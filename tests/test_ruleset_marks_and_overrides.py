"""Participatiewet blocks are marked in the ruleset files; the partly public Oost-Nederland table
is shipped with its source and its assumptions, which a coordinator settles in data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from domain.errors import RulesetError
from rulesets import InvoiceBlock, PlacementBlock, load_catalog
from rulesets.catalog import BUILTIN_DIR, load_ruleset_file


def _participatiewet(ruleset_id: str) -> set[str]:
    ruleset = load_catalog().by_id(ruleset_id)
    assert ruleset is not None
    return {
        block.code
        for block in ruleset.blocks
        if isinstance(block, PlacementBlock) and block.participatiewet
    }


def test_participatiewet_blocks_are_marked_in_the_files() -> None:
    assert _participatiewet("twente-2016") == {"1", "2", "3"}
    assert _participatiewet("duoplus-2024") == {"1", "2"}
    assert _participatiewet("oost-nederland-2023") == {"1", "2"}


def test_the_mark_is_checked_like_every_other_key(tmp_path: Path) -> None:
    data = yaml.safe_load((BUILTIN_DIR / "twente-2016.yaml").read_text(encoding="utf-8"))
    invoice = next(block for block in data["blocks"] if block["code"] == "9")
    invoice["participatiewet"] = True  # only placement blocks place people
    path = tmp_path / "twente-2016.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        load_ruleset_file(path)
    assert error.value.key == "blocks[code 9].participatiewet"
    data["blocks"][0]["participatiewet"] = "misschien"
    invoice.pop("participatiewet")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        load_ruleset_file(path)
    assert error.value.key == "blocks[code 1].participatiewet"


def test_oost_nederland_ships_the_public_figures_marked_incomplete() -> None:
    ruleset = load_catalog().by_id("oost-nederland-2023")
    assert ruleset is not None
    assert not ruleset.complete
    assert "impactoost.nl/bouwblokken" in ruleset.source and "V05" in ruleset.source
    published = {
        "1": (30_000, 730),
        "2": (40_000, 730),
        "3": (40_000, None),
        "4": (10_000, 365),
        "5": (15_000, 365),
        "6": (10_000, 365),
        "7": (9_000, None),  # EUR 750 per month
        "8": (20_000, None),  # per learning year
    }
    for code, (value, days) in published.items():
        block = ruleset.block(code)
        assert isinstance(block, PlacementBlock)
        assert (block.annual_value, block.count_days) == (value, days)
    assert isinstance(ruleset.block(ruleset.invoice_block), InvoiceBlock)
    assert set(ruleset.assumptions) == {
        "obligation.default_percentage",
        "obligation.capital_intensive_percentage",
        "obligation.threshold",
        "discounts",
        "invoice_block",
        "blocks.9",
    }
    assert load_catalog().resolve("oost-nederland", ruleset.valid_from).id == ruleset.id


def test_an_assumption_must_name_a_key_of_the_file(tmp_path: Path) -> None:
    data = yaml.safe_load((BUILTIN_DIR / "oost-nederland-2023.yaml").read_text(encoding="utf-8"))
    data["assumptions"]["blocks.99.rate"] = "bestaat niet"
    path = tmp_path / "oost-nederland-2023.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesetError, match=r"'blocks\.99\.rate' is not a key of this ruleset"):
        load_ruleset_file(path)


def test_a_coordinator_settles_assumptions_in_an_override_file(tmp_path: Path) -> None:
    overrides = tmp_path / "rulesets" / "overrides"
    overrides.mkdir(parents=True)
    (overrides / "oost-nederland-2023.yaml").write_text(
        "obligation:\n  threshold: 250000\nblocks:\n  - code: '9'\n    requires_approval: true\n",
        encoding="utf-8",
    )
    ruleset = load_catalog([tmp_path / "rulesets"]).by_id("oost-nederland-2023")
    assert ruleset is not None
    assert ruleset.obligation.threshold == 250_000
    assert ruleset.obligation.default_percentage == 5  # untouched keys keep the shipped value
    invoice = ruleset.block("9")
    assert isinstance(invoice, InvoiceBlock) and invoice.requires_approval and invoice.rate == 1
    assert "obligation.threshold" not in ruleset.assumptions
    assert "blocks.9" not in ruleset.assumptions
    assert "obligation.default_percentage" in ruleset.assumptions
    assert not ruleset.complete


def test_a_bad_override_names_the_override_file(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    bad = overrides / "oost-nederland-2023.yaml"
    bad.write_text("obligation:\n  threshold: -1\n", encoding="utf-8")
    with pytest.raises(RulesetError) as error:
        load_catalog([tmp_path])
    assert (error.value.file, error.value.key) == (str(bad), "obligation.threshold")
    bad.rename(overrides / "achterhoek-2030.yaml")
    with pytest.raises(RulesetError, match="no ruleset with id 'achterhoek-2030' to override"):
        load_catalog([tmp_path])
