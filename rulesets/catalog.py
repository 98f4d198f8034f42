"""Loading ruleset files and choosing the version that applies to a contract."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from domain.errors import RulesetError, UnknownRuleset
from domain.text import match_key
from rulesets.model import Block, Ruleset

BUILTIN_DIR = Path(__file__).resolve().parent
_CODE_PREFIX = re.compile(r"^\s*([0-9]+[a-z]?)\s*[-–:.)]\s*(.+)$", re.IGNORECASE)


OVERRIDES_FOLDER = "overrides"
"""<home>/rulesets/overrides/<id>.yaml: a coordinator's values for keys of a shipped ruleset
(typically its assumptions), merged over the file before it is checked."""


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RulesetError(path, "(file)", f"cannot be read as YAML: {error}") from error
    if not isinstance(raw, dict):
        raise RulesetError(path, "(file)", "expected a mapping at the top level")
    return raw


def _merge_blocks(base: list[Any], override: list[Any], path: Path) -> list[Any]:
    """Blocks of an override change the block with the same code, or are added."""
    merged = list(base)
    codes = [str(block.get("code")) if isinstance(block, dict) else None for block in base]
    for block in override:
        if not isinstance(block, dict) or "code" not in block:
            raise RulesetError(path, "blocks", "every block of an override needs its code")
        code = str(block["code"])
        if code in codes:
            position = codes.index(code)
            merged[position] = _merged(merged[position], block, path)
        else:
            merged.append(block)
    return merged


def _merged(base: dict[str, Any], override: dict[str, Any], path: Path) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        current = base.get(key)
        if key == "blocks" and isinstance(value, list) and isinstance(current, list):
            merged[key] = _merge_blocks(current, value, path)
        elif isinstance(value, dict) and isinstance(current, dict):
            merged[key] = _merged(current, value, path)
        else:
            merged[key] = value
    return merged


def _set_keys(override: dict[str, Any], prefix: str = "") -> list[str]:
    """The dotted keys an override sets (`obligation.threshold`, `blocks.9.rate`)."""
    keys: list[str] = []
    for key, value in override.items():
        dotted = f"{prefix}{key}"
        if key == "blocks" and not prefix and isinstance(value, list):
            for block in value:
                if isinstance(block, dict):
                    code = f"{dotted}.{block.get('code')}"
                    rest = {k: v for k, v in block.items() if k != "code"}
                    keys.extend(_set_keys(rest, f"{code}.") if rest else [code])
        elif isinstance(value, dict) and value:
            keys.extend(_set_keys(value, f"{dotted}."))
        else:
            keys.append(dotted)
    return keys


def _settled(assumption: str, keys: Iterable[str]) -> bool:
    return any(
        key == assumption or key.startswith(f"{assumption}.") or assumption.startswith(f"{key}.")
        for key in keys
    )


def _with_override(raw: dict[str, Any], override: Path) -> dict[str, Any]:
    changes = _read_yaml(override)
    if "id" in changes and str(changes["id"]) != raw.get("id"):
        raise RulesetError(override, "id", "an override cannot change the ruleset's id")
    merged = _merged(raw, changes, override)
    keys = _set_keys(changes)
    assumptions = merged.get("assumptions")
    if isinstance(assumptions, dict) and "assumptions" not in changes:
        merged["assumptions"] = {k: v for k, v in assumptions.items() if not _settled(k, keys)}
    return merged


def load_ruleset_file(path: Path, override: Path | None = None) -> Ruleset:
    """A ruleset file, checked; with `override`, that file's keys merged over it first (mappings
    key by key, blocks by code) and the assumptions it settles dropped."""
    raw = _read_yaml(path)
    merged = _with_override(raw, override) if override is not None else raw
    try:
        ruleset = Ruleset.model_validate(merged)
    except ValidationError as error:
        first = error.errors()[0]
        key = _key_path(merged, first["loc"])
        top = str(first["loc"][0]) if first["loc"] else ""
        blamed = override if override is not None and top in _read_yaml(override) else path
        raise RulesetError(blamed, key, first["msg"]) from error
    if ruleset.id != path.stem:
        raise RulesetError(path, "id", f"{ruleset.id!r} differs from the file name {path.stem!r}")
    return ruleset


def _key_path(raw: dict[str, object], location: Iterable[int | str]) -> str:
    """Readable key path; list positions of blocks are shown by their code."""
    parts: list[str] = []
    node: object = raw
    for part in location:
        if isinstance(part, int) and isinstance(node, list):
            item = node[part] if part < len(node) else None
            code = item.get("code") if isinstance(item, dict) else None
            parts.append(f"[code {code}]" if code is not None else f"[{part}]")
            node = item
        elif isinstance(node, dict) and part in node:
            node = node[part]
            parts.append(f".{part}" if parts else str(part))
        elif isinstance(node, dict) and node.get("kind") == part:
            # pydantic adds the discriminator value (e.g. 'placement') as a location step
            continue
        else:
            parts.append(f".{part}" if parts else str(part))
            node = None
    return "".join(parts) or "(top level)"


@dataclass(frozen=True)
class RulesetCatalog:
    rulesets: tuple[Ruleset, ...]

    def by_id(self, ruleset_id: str) -> Ruleset | None:
        for ruleset in self.rulesets:
            if ruleset.id == ruleset_id:
                return ruleset
        return None

    def resolve(self, reference: str, award_date: date) -> Ruleset:
        """A ruleset id, or a family resolved to the version valid at the award date.

        Raises UnknownRuleset (with a Dutch reason) when nothing applies.
        """
        reference = reference.strip().casefold()
        exact = self.by_id(reference)
        if exact is not None:
            return exact
        family = [r for r in self.rulesets if r.family == reference]
        if not family:
            known = {r.id for r in self.rulesets} | {r.family for r in self.rulesets}
            raise UnknownRuleset(reference, known)
        valid = [
            r
            for r in family
            if r.valid_from <= award_date and (r.valid_until is None or award_date <= r.valid_until)
        ]
        if not valid:
            raise UnknownRuleset(reference, (r.id for r in family), award_date)
        return max(valid, key=lambda r: r.valid_from)


def _check_versions(rulesets: list[Ruleset], files: dict[str, Path]) -> None:
    by_family: dict[str, list[Ruleset]] = {}
    for ruleset in rulesets:
        by_family.setdefault(ruleset.family, []).append(ruleset)
    for versions in by_family.values():
        versions.sort(key=lambda r: r.valid_from)
        for earlier, later in pairwise(versions):
            if earlier.valid_from == later.valid_from or (
                earlier.valid_until is not None and earlier.valid_until >= later.valid_from
            ):
                raise RulesetError(
                    files[later.id],
                    "valid_from",
                    f"overlaps with {earlier.id} ({files[earlier.id].name}) "
                    f"in family {later.family}",
                )


def load_catalog(extra_dirs: Iterable[Path] = ()) -> RulesetCatalog:
    """All built-in ruleset files plus those in `extra_dirs` (e.g. <home>/rulesets), each with
    its override from `<dir>/overrides/<id>.yaml` when there is one."""
    paths = sorted(BUILTIN_DIR.glob("*.yaml"))
    overrides: dict[str, Path] = {}
    for folder in extra_dirs:
        if folder.is_dir():
            paths.extend(sorted(folder.glob("*.yaml")))
            found = sorted((folder / OVERRIDES_FOLDER).glob("*.yaml"))
            overrides.update({override.stem: override for override in found})
    rulesets: list[Ruleset] = []
    files: dict[str, Path] = {}
    for path in paths:
        ruleset = load_ruleset_file(path, overrides.get(path.stem))
        if ruleset.id in files:
            raise RulesetError(path, "id", f"{ruleset.id!r} is also defined in {files[ruleset.id]}")
        files[ruleset.id] = path
        rulesets.append(ruleset)
    for stem, override in overrides.items():
        if stem not in files:
            raise RulesetError(override, "(file)", f"no ruleset with id {stem!r} to override")
    _check_versions(rulesets, files)
    return RulesetCatalog(tuple(rulesets))


def find_block(ruleset: Ruleset, text: str, kinds: tuple[type, ...]) -> Block | None:
    """The block a 'Doelgroep'/'Soort' cell names: its code, label, a synonym, or 'code - label'."""
    wanted = match_key(text)
    if not wanted:
        return None
    candidates = [block for block in ruleset.blocks if isinstance(block, kinds)]
    for block in candidates:
        if wanted == match_key(block.code):
            return block
        if any(wanted == match_key(name) for name in block.names()):
            return block
    prefixed = _CODE_PREFIX.match(text)
    if prefixed:
        code, rest = prefixed.group(1), match_key(prefixed.group(2))
        for block in candidates:
            if block.code.casefold() == code.casefold() and any(
                rest == match_key(name) for name in block.names()
            ):
                return block
    return None
