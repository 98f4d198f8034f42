"""Bounds on what reading one inbox file may cost: the one definition of the limits, their
defaults and their meaning (sroi.toml `[limits]` is this model, validated)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MEGABYTE = 1024 * 1024


class ReadLimits(BaseModel):
    """Beyond a limit a file is quarantined with the limit in the reason, not read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_file_megabytes: float = Field(
        default=50, gt=0, description="larger inbox files go to quarantine"
    )
    max_unpacked_megabytes: float = Field(
        default=300,
        gt=0,
        description="what an xlsx may unpack to (a zip bomb is a few KB on disk)",
    )
    max_rows_per_sheet: int = Field(
        default=20_000, gt=0, description="rows with data per sheet; more is refused unread"
    )
    max_pdf_pages: int = Field(default=30, gt=0, description="pages of one PDF invoice")
    max_seconds_per_file: float = Field(
        default=120,
        gt=0,
        description="reading one file may take this long (where the process can be interrupted)",
    )

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_megabytes * MEGABYTE)

    @property
    def max_unpacked_bytes(self) -> int:
        return int(self.max_unpacked_megabytes * MEGABYTE)
