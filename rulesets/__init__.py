"""Regional building-block tables as data: YAML files in this folder, checked on load."""

from rulesets.catalog import RulesetCatalog, load_catalog
from rulesets.model import (
    BonusBlock,
    DiscountBlock,
    FixedBlock,
    HoursBlock,
    InvoiceBlock,
    PlacementBlock,
    Ruleset,
)

__all__ = [
    "BonusBlock",
    "DiscountBlock",
    "FixedBlock",
    "HoursBlock",
    "InvoiceBlock",
    "PlacementBlock",
    "Ruleset",
    "RulesetCatalog",
    "load_catalog",
]
