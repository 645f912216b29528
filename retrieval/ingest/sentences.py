"""Sentence boundaries as character spans, without downloaded models.

Boundaries: line breaks, bullet markers (•, "- " after a run of spaces, as in
flattened lists), runs of 3+ spaces, and ., ! or ? followed by space and a
capital, digit, quote or bracket, unless the word before is a known abbreviation.
"""
from __future__ import annotations

import re

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "st", "no", "fig",
    "al", "approx", "inc", "ltd", "jr", "sr", "u.s", "dept", "mt", "ca", "cf",
}
_HARD_BREAK = re.compile(r"\n+|\s{3,}(?=\S)|\s*[•·▪]\s*|(?<=\s)-\s+(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) inside ``text[start:end]``, whitespace trimmed."""
    end = len(text) if end is None else end
    # Trailing white space first: the break patterns retry a run of it from every position
    # when nothing follows, which was quadratic in its length. No span changes.
    end = start + len(text[start:end].rstrip())
    spans: list[tuple[int, int]] = []
    for seg_start, seg_end in _segments(text, start, end, _HARD_BREAK):
        for s, e in _segments(text, seg_start, seg_end, _SENTENCE_END, _is_real_end):
            s, e = _trim(text, s, e)
            if e > s:
                spans.append((s, e))
    return spans


def split(text: str) -> list[str]:
    return [text[s:e] for s, e in split_spans(text)]


def _segments(text, start, end, pattern, accept=None):
    pos = start
    for m in pattern.finditer(text, start, end):
        if accept is not None and not accept(text, m.start()):
            continue
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if end > pos:
        yield pos, end


def _is_real_end(text: str, at: int) -> bool:
    """False when the period at ``at-1`` closes an abbreviation or an initial."""
    j = at
    while j > 0 and text[j - 1] in "\"'”’)]":
        j -= 1
    if j == 0 or text[j - 1] != ".":
        return True
    word = re.search(r"([A-Za-z.]+)\.$", text[max(0, j - 12):j])
    if not word:
        return True
    w = word.group(1).lower()
    return not (w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
