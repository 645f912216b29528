"""Read article files (.txt, .md, .html, .pdf) into ``Article`` records.

* ``.txt``: title = first non-empty line (a long paragraph or a lone line stays
  in the body instead, and the file name gives the title); a heading is a short
  line without end punctuation that is followed by a paragraph.
* ``.md``: optional YAML front matter (``title``, ``source``); ``#``/``##`` headings.
* ``.html``: main text extracted with trafilatura (scripts, navigation dropped),
  title from ``<title>``.
* ``.pdf``: the text layer, page by page, with pypdf (see ``pdf.py``).

Offsets in ``Article.sections`` point into ``Article.text``. For ``.txt`` and ``.md``
that is the decoded file itself, so citations map straight back to the file.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path, PurePosixPath

import yaml

from ..errors import BadArticle
from ..records import Article, Section
from ..settings import Settings
from .dates import iso_date

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
KINDS = ".txt, .md, .html or .pdf"  # SUFFIXES as people name them, for messages
MAX_HEADING_WORDS = 14
MAX_TITLE_WORDS = 25  # a longer first line of a .txt file is a paragraph, not its title
_END_PUNCT = tuple(".!,;:?\"'”’)…")


def article_id(path: Path, root: Path) -> str:
    return PurePosixPath(path.relative_to(root).as_posix()).as_posix()


def list_article_files(root: Path) -> list[Path]:
    """Article files under ``root``, sorted, skipping hidden files and folders."""
    files = []
    for path in root.rglob("*"):
        rel = path.relative_to(root).parts
        if any(part.startswith(".") for part in rel):
            continue
        if path.is_file() and path.suffix.lower() in SUFFIXES:
            files.append(path)
    return sorted(files)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(data: bytes, name: str, max_bytes: int = Settings.max_article_bytes) -> None:
    """Refuse an empty file or one over the size limit (any article type)."""
    if not data.strip():
        raise BadArticle(f"{name}: the file is empty; add text or remove it.")
    if len(data) > max_bytes:
        raise BadArticle(f"{name}: the file is {len(data):,} bytes, over the {max_bytes:,}-byte limit; split it.")


def decode(data: bytes, name: str, max_bytes: int = Settings.max_article_bytes) -> str:
    """Bytes to text, refusing what is not a text article."""
    check_size(data, name, max_bytes)
    if b"\x00" in data[:8192]:
        raise BadArticle(f"{name}: looks like a binary file, not text; save it as UTF-8 .txt, .md or .html.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadArticle(f"{name}: not valid UTF-8 (byte {err.start}); re-save the file as UTF-8.") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, doc_id: str, suffix: str) -> Article:
    """Parse decoded text by file type."""
    suffix = suffix.lower()
    if suffix in (".md", ".markdown"):
        article = parse_markdown(text, doc_id)
    elif suffix in (".html", ".htm"):
        article = parse_html(text, doc_id)
    else:
        article = parse_text(text, doc_id)
    if not any(article.text[s.start:s.end].strip() for s in article.sections):
        raise BadArticle(f"{doc_id}: no readable text was found in the article.")
    return article


def read_article(data: bytes, doc_id: str, suffix: str, max_bytes: int = Settings.max_article_bytes) -> Article:
    """A file's bytes as an ``Article`` of its type, with its content hash; or ``BadArticle``."""
    if suffix.lower() == ".pdf":
        from .pdf import Naming, parse_pdf  # pypdf is imported only when there is a PDF

        check_size(data, doc_id, max_bytes)
        article = parse_pdf(data, doc_id, Naming(_title_from_id(doc_id), MAX_TITLE_WORDS, MAX_HEADING_WORDS))
    else:
        article = parse(decode(data, doc_id, max_bytes), doc_id, suffix)
    return replace(article, hash=content_hash(data))


def load_article(path: Path, root: Path, max_bytes: int = Settings.max_article_bytes) -> Article:
    doc_id = article_id(path, root)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BadArticle(f"{doc_id}: cannot be read ({err.strerror}).") from None
    return read_article(data, doc_id, path.suffix, max_bytes)


# --- plain text -----------------------------------------------------------------

def _lines_with_offsets(text: str) -> list[tuple[int, int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _is_heading(line: str, next_line: str | None) -> bool:
    s = line.strip()
    if not s or next_line is None or s.startswith(("•", "-", "*", "·")):
        return False
    if s.endswith(_END_PUNCT) or len(s.split()) > MAX_HEADING_WORDS:
        return False
    return bool(next_line.strip())


def parse_text(text: str, doc_id: str) -> Article:
    lines = _lines_with_offsets(text)
    first = next((i for i, (_, _, l) in enumerate(lines) if l.strip()), None)
    if first is None:
        raise BadArticle(f"{doc_id}: the file is empty; add text or remove it.")
    line = lines[first][2].strip()
    # Paragraph-initial lines that look like headings (the next non-empty line follows a blank).
    starts: list[tuple[int, str]] = []
    for i in range(first + 1, len(lines)):
        s, e, heading = lines[i]
        prev_blank = not lines[i - 1][2].strip()
        nxt = _next_nonblank(lines, i)
        if prev_blank and nxt is not None and _is_heading(heading, lines[nxt][2]) and _is_paragraph(lines[nxt][2]):
            starts.append((s, heading.strip()))
    if len(line.split()) <= MAX_TITLE_WORDS and _next_nonblank(lines, first) is not None:
        return Article(doc_id, line, text, _sections_from_starts(text, [(lines[first][0], line)] + starts, line))
    # The first line is a paragraph (or all there is): it stays in the body; the title comes from the name.
    title = _title_from_id(doc_id)
    intro = Section(title, lines[first][0], starts[0][0] if starts else len(text))
    return Article(doc_id, title, text, (intro,) + _sections_from_starts(text, starts, title))


def _title_from_id(doc_id: str) -> str:
    stem = re.sub(r"[-_\s]+", " ", PurePosixPath(doc_id).stem).strip()
    return stem[:1].upper() + stem[1:] if stem else doc_id


def _next_nonblank(lines, i):
    for j in range(i + 1, len(lines)):
        if lines[j][2].strip():
            return j
    return None


def _is_paragraph(line: str) -> bool:
    s = line.strip()
    return len(s.split()) > MAX_HEADING_WORDS or s.endswith(_END_PUNCT)


def _sections_from_starts(text: str, starts: list[tuple[int, str]], title: str) -> tuple[Section, ...]:
    """Turn heading-line positions into sections; a body starts after its heading line."""
    sections = []
    for k, (pos, heading) in enumerate(starts):
        newline = text.find("\n", pos)
        body_start = len(text) if newline < 0 else newline + 1
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        if text[body_start:end].strip():
            sections.append(Section(heading or title, body_start, end))
    return tuple(sections)


# --- markdown --------------------------------------------------------------------

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)


def parse_markdown(text: str, doc_id: str) -> Article:
    meta, body_start = {}, 0
    m = _FRONT.match(text)
    if m:
        try:
            loaded = yaml.safe_load(m.group(1))
            meta = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError:
            meta = {}
        body_start = m.end()
    headings = [h for h in _MD_HEADING.finditer(text, body_start)]
    title = str(meta.get("title") or "").strip()
    h1 = next((h for h in headings if len(h.group(1)) == 1), None)
    if not title:
        title = h1.group(2).strip() if h1 else _first_line(text[body_start:]) or doc_id
    first_heading = headings[0].start() if headings else len(text)
    preamble = [Section(title, body_start, first_heading)] if text[body_start:first_heading].strip() else []
    starts = [(h.start(), "" if (h is h1 and h.group(2).strip() == title) else h.group(2).strip()) for h in headings]
    sections = preamble + list(_sections_from_starts(text, starts, title))
    date = iso_date(meta.get("updated")) or iso_date(meta.get("date"))
    return Article(doc_id, title, text, tuple(sections), str(meta.get("source") or "").strip(), date=date)


def _first_line(text: str) -> str:
    return next((l.strip().lstrip("#").strip() for l in text.split("\n") if l.strip()), "")


# --- html ------------------------------------------------------------------------

def parse_html(text: str, doc_id: str) -> Article:
    """Extract the main text as Markdown with trafilatura, then parse it as Markdown."""
    import trafilatura

    extracted = trafilatura.extract(
        text, output_format="markdown", include_comments=False, include_tables=True,
        include_links=False, include_images=False, favor_recall=True, with_metadata=False,
    ) or ""
    meta = trafilatura.extract_metadata(text)
    title = (meta.title if meta and meta.title else "") or _html_title(text) or doc_id
    source = (meta.url if meta and meta.url else "") or ""
    if not extracted.strip():
        raise BadArticle(f"{doc_id}: no readable text was found in the HTML.")
    md = _as_front_matter(title, source) + extracted.strip() + "\n"
    return replace(parse_markdown(md, doc_id), date=iso_date(meta.date if meta else ""))


def _html_title(text: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.I | re.S)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


def _as_front_matter(title: str, source: str) -> str:
    return "---\n" + yaml.safe_dump({"title": title, "source": source}, allow_unicode=True) + "---\n"
