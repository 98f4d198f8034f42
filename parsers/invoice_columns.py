"""Invoice values printed under their label: a header row ('Factuur datum  Factuur ...') with
the values on the row below ('8-9-2022  VF1005193039 ...'), as many invoices print their key
facts and their VAT summary. The value of a label is the word right under it, found by position
on the page (pdfplumber words), not by the order of the text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

_SAME_LINE = 2.5
"""Words whose tops differ less than this (points) stand on one line."""
_PAGE_HEIGHT = 100_000.0
"""Offset per page, so the lines of all pages sort in reading order."""


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


WordLine = tuple[Word, ...]


def words_of(page_words: Iterable[Sequence[dict[str, Any]]]) -> list[Word]:
    """The words of every page (pdfplumber's `extract_words()`), pages one below the other."""
    return [
        Word(str(word["text"]), float(word["x0"]), float(word["x1"]), number * _PAGE_HEIGHT
             + float(word["top"]))
        for number, words in enumerate(page_words)
        for word in words
    ]  # fmt: skip


def word_lines(words: Sequence[Word]) -> list[WordLine]:
    """Words grouped into lines, top to bottom, each line left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - word.top) < _SAME_LINE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [tuple(sorted(line, key=lambda w: w.x0)) for line in lines]


def _label_words(line: WordLine, pattern: re.Pattern[str]) -> Iterable[WordLine]:
    """The words of `line` that each match of `pattern` spans."""
    text, spans, position = "", [], 0
    for word in line:
        if text:
            text += " "
            position += 1
        spans.append((position, position + len(word.text)))
        text += word.text
        position += len(word.text)
    for match in pattern.finditer(text):
        covered = tuple(
            word
            for word, (start, end) in zip(line, spans, strict=True)
            if start < match.end() and end > match.start()
        )
        if covered:
            yield covered


def _under(line: WordLine, left: float, right: float) -> Word | None:
    """The word of `line` that stands under the span left..right."""
    overlapping = [word for word in line if word.x0 < right and word.x1 > left]
    center = (left + right) / 2
    return min(overlapping, key=lambda word: abs(word.center - center), default=None)


def value_below(
    lines: Sequence[WordLine], labels: Iterable[str], value: re.Pattern[str]
) -> str | None:
    """The first value that fully matches `value`, under a label of `labels` (regular
    expressions, compared ignoring case, as whole words), on the line right below it."""
    patterns = [re.compile(rf"(?<![\w])(?:{label})(?![\w])", re.IGNORECASE) for label in labels]
    for above, below in pairwise(lines):
        for pattern in patterns:
            for label in _label_words(above, pattern):
                word = _under(below, label[0].x0, label[-1].x1)
                if word is not None and value.fullmatch(word.text):
                    return word.text
    return None
