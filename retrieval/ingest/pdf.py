"""Read ``.pdf`` articles into ``Article`` records with pypdf (the text layer; no OCR, no downloads).

Text is extracted page by page and the pages are joined by a blank line;
``Article.pages`` records each page's (start, end) span, so every passage knows
its page. Sections never cross a page boundary. Headings, in order of preference:

1. the PDF outline (bookmarks), placed where their text appears on their page;
2. short lines set in a larger font than the body text (pypdf's text visitor);
3. none: one section per page, headed by the document title.

Title: the metadata ``/Title``, else the first line (when short), else the file
name. Date: the metadata ``/ModDate``, else ``/CreationDate``. A PDF without a
text layer (scanned), an encrypted one and a damaged one raise ``BadArticle``.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from ..errors import BadArticle
from ..records import Article, Section
from .dates import pdf_date

PAGE_JOIN = "\n\n"  # between pages in ``Article.text``; outside every page span


@dataclass(frozen=True)
class PdfParams:
    # A line at least this much larger than the body text is a heading. Word processors
    # set body text at 10-12 pt and headings at 13-18 pt; 1.15 separates the two and keeps
    # a 12 pt body from promoting its 13 pt lines by rounding. Checked on the test PDFs.
    heading_scale: float = 1.15
    # A first or last line that recurs, digits aside ("Page 2 of 4"), on this share of the
    # pages (and on at least ``running_pages``) is a running header or footer and is dropped.
    # Chosen on the two manuals in /usr/share/doc (libtasn1, shared-mime-info) and a
    # four-page handout of the tests: their headers recur on 90-100% of the pages.
    running_share: float = 0.5
    running_pages: int = 3


@dataclass(frozen=True)
class Naming:
    """The text loaders' rules for titles and headings, handed in (this module does not import them)."""

    fallback_title: str  # the title the file name gives
    max_title_words: int  # a longer first line is a paragraph, not the title
    max_heading_words: int  # a longer line is not a heading


@dataclass(frozen=True)
class _Page:
    text: str
    lines: list[tuple[str, float]]  # each non-empty line with the largest font size on it


def parse_pdf(data: bytes, doc_id: str, naming: Naming, params: PdfParams = PdfParams()) -> Article:
    """Parse PDF bytes; raise ``BadArticle`` naming ``doc_id`` for scanned, encrypted or damaged files."""
    reader = _open(data, doc_id)
    pages = _drop_running_lines(_read_pages(reader, doc_id), params)
    if not any(p.text.strip() for p in pages):
        raise BadArticle(f"{doc_id}: no extractable text (scanned?); run OCR on it (for example with "
                         "ocrmypdf) or add its text as a .txt or .md article.")
    text, spans = _join(pages)
    title = _metadata(reader, "/Title") or _first_line(text, naming.max_title_words) or naming.fallback_title
    starts = _outline_starts(reader, pages, spans) or _font_starts(pages, spans, params, naming.max_heading_words)
    sections = _by_page(_sections(text, starts, title, _body_start(text, title)), spans, text)
    date = pdf_date(_metadata(reader, "/ModDate")) or pdf_date(_metadata(reader, "/CreationDate"))
    return Article(doc_id, title, text, sections, date=date, pages=tuple(spans))


def _open(data: bytes, doc_id: str):
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted and not _decrypt(reader)
    except Exception as err:  # pypdf raises many types (PdfReadError, ValueError, KeyError...) on damage
        raise _damaged(doc_id, err) from None
    if encrypted:
        raise BadArticle(f"{doc_id}: the PDF is encrypted; remove the password (save an unprotected copy) "
                         "and add it again.")
    return reader


def _decrypt(reader) -> bool:
    """Open a PDF protected only by an owner password (an empty user password)."""
    from pypdf.errors import DependencyError

    try:
        return bool(reader.decrypt(""))
    except DependencyError:  # AES without a crypto library: it cannot be read here either way
        return False


def _damaged(doc_id: str, err: Exception) -> BadArticle:
    detail = str(err).strip().splitlines()[0][:120] if str(err).strip() else type(err).__name__
    return BadArticle(f"{doc_id}: not a readable PDF ({detail}); re-save or re-export it as PDF.")


def _read_pages(reader, doc_id: str) -> list[_Page]:
    try:
        return [_read_page(page) for page in reader.pages]
    except Exception as err:  # a damaged page tree or content stream
        raise _damaged(doc_id, err) from None


def _read_page(page) -> _Page:
    fragments: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        if text:
            fragments.append((text, float(size) * abs(float(tm[3]) * float(cm[3])) if size else 0.0))

    text = page.extract_text(visitor_text=visit) or ""
    return _Page(_clean(text), _sized_lines(fragments))


def _drop_running_lines(pages: list[_Page], params: PdfParams) -> list[_Page]:
    """Pages without their running header and footer (the first page keeps its first line: the title)."""
    edges = Counter()
    for page in pages:
        lines = [l for l in page.text.split("\n") if l.strip()]
        edges.update({_shape(lines[0]), _shape(lines[-1])} if lines else set())
    need = max(params.running_pages, params.running_share * len(pages))
    running = {shape for shape, n in edges.items() if n >= need}
    if not running:
        return pages
    return [_Page(_trim_edges(p.text, running, keep_first=k == 0), p.lines) for k, p in enumerate(pages)]


def _shape(line: str) -> str:
    return " ".join(re.sub(r"\d+", "#", line).split()).casefold()


def _trim_edges(text: str, running: set[str], keep_first: bool) -> str:
    lines = text.split("\n")
    if lines and not keep_first and _shape(lines[0]) in running:
        lines = lines[1:]
    if lines and _shape(lines[-1]) in running:
        lines = lines[:-1]
    return "\n".join(lines).strip()


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _sized_lines(fragments: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Fragments of drawn text regrouped into lines, each with its largest font size."""
    lines, current, size = [], "", 0.0
    for text, frag_size in fragments:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if k:
                lines.append((current, size))
                current, size = "", 0.0
            current += part
            size = max(size, frag_size) if part.strip() else size
    lines.append((current, size))
    return [(" ".join(line.split()), s) for line, s in lines if line.strip()]


def _join(pages: list[_Page]) -> tuple[str, list[tuple[int, int]]]:
    text, spans = "", []
    for k, page in enumerate(pages):
        if k:
            text += PAGE_JOIN
        spans.append((len(text), len(text) + len(page.text)))
        text += page.text
    return text, spans


def _metadata(reader, key: str) -> str:
    try:
        value = (reader.metadata or {}).get(key)
    except Exception:  # a damaged info dictionary: no metadata
        return ""
    return " ".join(str(value).split()) if value else ""


def _first_line(text: str, max_words: int) -> str:
    line = next((l.strip() for l in text.split("\n") if l.strip()), "")
    return line if len(line.split()) <= max_words else ""


def _body_start(text: str, title: str) -> int:
    """Where the body starts: after the first line when that line is the title (in any case)."""
    first = len(text) - len(text.lstrip())
    newline = text.find("\n", first)
    end = len(text) if newline < 0 else newline
    same = " ".join(text[first:end].split()).casefold() == " ".join(title.split()).casefold()
    return min(len(text), end + 1) if same else 0


# --- headings ---------------------------------------------------------------------

Start = tuple[int, str, int]  # (offset of the heading, heading, offset where its body starts)


def _outline_starts(reader, pages: list[_Page], spans) -> list[Start]:
    """Outline items placed where their title appears on their page (else at the page's top)."""
    by_page: dict[int, list[str]] = {}
    for page, title in _outline(reader):
        by_page.setdefault(page, []).append(title)
    starts = []
    for page, titles in by_page.items():
        if 0 <= page < len(pages):
            starts.extend(_locate(pages[page].text, spans[page][0], titles, missing_at_top=True))
    return sorted(starts)


def _outline(reader) -> list[tuple[int, str]]:
    """(0-based page, title) of every outline item, depth first; [] when there is none or it is damaged."""
    out: list[tuple[int, str]] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            page, title = reader.get_destination_page_number(item), " ".join(str(item.title or "").split())
            if page is not None and title:
                out.append((page, title))

    try:
        walk(reader.outline)
    except Exception:  # a broken outline is no outline; the text is still read
        return []
    return out


def _font_starts(pages: list[_Page], spans, params: PdfParams, max_words: int) -> list[Start]:
    """Short lines in a font clearly larger than the body text's."""
    body = _body_size(pages)
    starts = []
    for page, span in zip(pages, spans):
        big = [line for line, size in page.lines
               if body and size >= body * params.heading_scale and len(line.split()) <= max_words]
        starts.extend(_locate(page.text, span[0], big, missing_at_top=False))
    return starts


def _body_size(pages: list[_Page]) -> float:
    """The font size most characters are set in."""
    sizes = Counter()
    for page in pages:
        for line, size in page.lines:
            sizes[round(size, 1)] += len(line)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _locate(text: str, base: int, headings: list[str], missing_at_top: bool) -> list[Start]:
    """Find each heading, in order, at the start of a line of ``text`` (a page starting at ``base``)."""
    starts, pos = [], 0
    for heading in headings:
        at = _line_start_find(text, heading, pos)
        if at < 0:
            if missing_at_top:
                starts.append((base, heading, base))
            continue
        newline = text.find("\n", at + len(heading))
        body = len(text) if newline < 0 else newline + 1
        starts.append((base + at, heading, base + body))
        pos = body
    return starts


def _line_start_find(text: str, heading: str, pos: int) -> int:
    """Offset of the line at or after ``pos`` that starts with ``heading``; -1 if none.

    Spaces compare loosely, and a section number on either side ("2.1 Icing" for
    the outline's "Icing") is ignored.
    """
    words = _unnumbered(heading.split())
    offset = pos
    for line in text[pos:].split("\n"):
        if words and _unnumbered(line.split())[: len(words)] == words:
            return offset + (len(line) - len(line.lstrip()))
        offset += len(line) + 1
    return -1


_NUMBER = re.compile(r"^(\d+|[A-Z]|[IVXLC]+)([.)]\d+)*[.):]?$")  # 2  2.1  2.1.  A.  IV)


def _unnumbered(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and _NUMBER.match(words[0]) else words


# --- sections -----------------------------------------------------------------------

def _sections(text: str, starts: list[Start], title: str, body_start: int) -> list[Section]:
    """Headed spans: the text before the first heading under the title, then one per heading."""
    first = starts[0][0] if starts else len(text)
    sections = [Section(title, body_start, first)] if body_start < first else []
    for k, (_, heading, body) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        sections.append(Section(heading, body, max(body, end)))
    return sections


_WORD = re.compile(r"[^\W\d_]{2}")


def _by_page(sections: list[Section], spans, text: str) -> tuple[Section, ...]:
    """Split sections at page boundaries, keeping only spans with a word in them."""
    out = []
    for section in sections:
        for start, end in spans:
            s, e = max(section.start, start), min(section.end, end)
            if s < e and _WORD.search(text, s, e):  # not just a page number or a rule
                out.append(Section(section.heading, s, e))
    return tuple(out)
