"""Structure-aware chunking: where passage size is decided.

A passage never crosses a section boundary and is cut at sentence boundaries.
Its size is counted with the embedding model's own tokenizer: a section's
sentences are split into passages of about ``target`` tokens, as even as the
sentences allow, and the text the model sees (title, section, passage) never
exceeds the model's limit, so nothing is silently truncated. A single sentence
longer than the limit is cut at word boundaries (a single word longer than that,
at characters), and an over-long title or heading is shortened in the prefix the
model sees. Passages and the prefix are bounded in characters as well
(``Settings.max_passage_chars``): the tokenizer reads any over-long word as one
token, so a token count alone lets a line without spaces become one huge passage.
"""
from __future__ import annotations

import hashlib
import math
from typing import Protocol, Sequence

from ..records import Article, Chunk, Section
from ..settings import Settings
from .sentences import split_spans

MAX_PREFIX_SHARE = 4  # title + section heading take at most a quarter of the model's limit


class TokenCounter(Protocol):
    limit: int  # most tokens the model reads, special tokens included

    def count(self, texts: Sequence[str]) -> list[int]: ...


def embed_prefix(title: str, section: str) -> str:
    return f"{title}\n" if not section or section == title else f"{title} — {section}\n"


def bounded_prefix(title: str, section: str, counter: TokenCounter,
                   max_chars: int = Settings.max_passage_chars) -> str:
    """``embed_prefix``, with an over-long title or heading shortened to a quarter of the
    limit, in tokens and in characters."""
    if section == title:
        section = ""
    prefix = embed_prefix(title, section)
    while (len(prefix) > max_chars // MAX_PREFIX_SHARE
           or counter.count([prefix])[0] > counter.limit // MAX_PREFIX_SHARE):
        if len(title) >= len(section):
            title = _halve(title)
        else:
            section = _halve(section)
        prefix = embed_prefix(title, section)
    return prefix


def _halve(text: str) -> str:
    words = text.split()
    return " ".join(words[: len(words) // 2]) if len(words) > 1 else text[: len(text) // 2]


def chunk_article(article: Article, counter: TokenCounter, target: int = 128,
                  max_chars: int = Settings.max_passage_chars) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in article.sections:
        prefix = bounded_prefix(article.title, section.heading, counter, max_chars)
        for start, end in _section_spans(article, section, prefix, counter, target, max_chars):
            chunks.append(_make_chunk(article, section, prefix, start, end, len(chunks)))
    return chunks


def _make_chunk(article: Article, section: Section, prefix: str, start: int, end: int, ord_: int) -> Chunk:
    text = article.text[start:end]
    embed_text = prefix + text
    digest = hashlib.sha256(embed_text.encode("utf-8")).hexdigest()
    return Chunk(article.id, ord_, article.title, section.heading, start, end, text, embed_text, digest,
                 article.page_at(start))


def _section_spans(article, section, prefix, counter, target, max_chars) -> list[tuple[int, int]]:
    text = article.text
    budget = counter.limit - 2 - counter.count([prefix])[0]  # [CLS] and [SEP]
    sentences = split_spans(text, section.start, section.end)
    if not sentences:
        return []
    sizes = counter.count([text[s:e] for s, e in sentences])
    pieces: list[tuple[int, int, int]] = []
    for (s, e), n in zip(sentences, sizes):
        pieces.extend(_cut_long(text, s, e, n, budget, counter) if n > budget else [(s, e, n)])
    pieces = _bound_chars(text, pieces, max_chars, budget, counter)
    groups = _pack(pieces, target, budget, max_chars)
    return _fit(text, prefix, groups, counter)


def _bound_chars(text, pieces, max_chars, budget, counter) -> list[tuple[int, int, int]]:
    """Cut every piece longer than ``max_chars`` (at spaces where it has any); pieces of real
    text are far shorter and pass through as they are."""
    out = []
    for s, e, n in pieces:
        if e - s <= max_chars:
            out.append((s, e, n))
            continue
        for a, b in _char_spans(text, s, e, max_chars):
            c = counter.count([text[a:b]])[0]
            out.extend(_cut_long(text, a, b, c, budget, counter) if c > budget else [(a, b, c)])
    return out


def _char_spans(text, s, e, max_chars) -> list[tuple[int, int]]:
    """``text[s:e]`` in spans of at most ``max_chars``, cut at the last space in the second
    half of each span (else at the limit), white space trimmed."""
    spans = []
    while e - s > max_chars:
        cut = text.rfind(" ", s + max_chars // 2, s + max_chars)
        cut = s + max_chars if cut < 0 else cut
        spans.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    return [(a, b) for a, b in spans + [(s, e)] if b > a]


def _pack(pieces, target, budget, max_chars=Settings.max_passage_chars) -> list[list[tuple[int, int, int]]]:
    """Split a section's sentences into passages as even as possible.

    Each passage aims at an even share of the section (``target`` tokens or a little
    less) and never exceeds ``budget``. The split minimises the squared distance of every
    passage from that share (like line breaking by minimum raggedness), so a section
    never ends in a one-sentence scrap that a greedy fill would leave: such scraps embed
    as little more than their title and heading, and outrank real content. A passage of
    more than one piece also stays within ``max_chars``.
    """
    total = sum(n for _, _, n in pieces)
    share = min(budget, math.ceil(total / max(1, math.ceil(total / target))))
    sizes = [n for _, _, n in pieces]
    best = [0.0] + [math.inf] * len(pieces)  # best[j]: cost of splitting the first j pieces
    cut = [0] * (len(pieces) + 1)
    for j in range(1, len(pieces) + 1):
        used = 0
        for i in range(j - 1, -1, -1):  # last passage = pieces[i:j]
            used += sizes[i]
            if (used > budget or pieces[j - 1][1] - pieces[i][0] > max_chars) and i < j - 1:
                break
            over = used - share
            if over > 0 and over * over >= best[j]:
                break  # exact: a longer passage only costs more, and best[i] >= 0
            cost = best[i] + over * over
            if cost < best[j]:
                best[j], cut[j] = cost, i
    groups, j = [], len(pieces)
    while j > 0:
        groups.append(pieces[cut[j]:j])
        j = cut[j]
    return groups[::-1]


def _fit(text, prefix, groups, counter) -> list[tuple[int, int]]:
    """Check each passage with the tokenizer as the model will see it; split any that overflow."""
    spans, queue = [], list(groups)
    while queue:
        group = queue.pop(0)
        start, end = group[0][0], group[-1][1]
        if len(group) > 1 and counter.count([prefix + text[start:end]])[0] > counter.limit:
            mid = len(group) // 2
            queue[:0] = [group[:mid], group[mid:]]
            continue
        spans.append((start, end))
    return spans


def _cut_long(text, s, e, n, budget, counter) -> list[tuple[int, int, int]]:
    """Cut an over-long sentence into word-aligned pieces that fit the budget."""
    words, pos = [], s
    for w in text[s:e].split():
        ws = text.index(w, pos)
        words.append((ws, ws + len(w)))
        pos = ws + len(w)
    counts = counter.count([text[a:b] for a, b in words])
    pieces, cur, used = [], [], 0
    for (a, b), c in zip(words, counts):
        if cur and used + c > budget - 4:
            pieces.append((cur[0][0], cur[-1][1], used))
            cur, used = [], 0
        if c > budget - 4:  # one "word" over the budget (a long URL or code): cut by characters
            pieces.extend(_cut_chars(text, a, b, c, budget - 4, counter))
            continue
        cur.append((a, b))
        used += c
    if cur:
        pieces.append((cur[0][0], cur[-1][1], used))
    return pieces


def _cut_chars(text, a, b, n, limit, counter) -> list[tuple[int, int, int]]:
    if n <= limit or b - a <= 1:
        return [(a, b, n)]
    mid = (a + b) // 2
    left, right = counter.count([text[a:mid], text[mid:b]])
    return _cut_chars(text, a, mid, left, limit, counter) + _cut_chars(text, mid, b, right, limit, counter)
