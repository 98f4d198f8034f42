"""Why a workbook is not annotated by editing its package."""

from __future__ import annotations


class NotSupported(Exception):
    """The original is a package this writer does not edit, or a damaged one (its reason in
    the message); the feedback workbook is then made with openpyxl instead. The package writer
    turns what it finds wrong in a package into this exception, so that nothing else has to be
    caught to fall back."""
