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

Bad input is refused with a one-line ``BadArticle``, or read with a warning in
``Article.warnings``; the work is linear in the file's length. The size is checked
before anything is read, front matter is bounded and never expands YAML aliases,
and a file is text or binary by one rule over all of it.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath
from typing import NamedTuple

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
MAX_FRONT_MATTER_CHARS = 16_384  # YAML between the --- lines; the dev corpus's longest is 263
# Byte-order marks of the other Unicode encodings a text editor saves (UTF-32 first: its
# little-endian mark starts with UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_BINARY = "looks like a binary file, not text; save it as UTF-8 .txt, .md or .html."


def article_id(path: Path, root: Path) -> str:
    return PurePosixPath(path.relative_to(root).as_posix()).as_posix()


def list_article_files(root: Path, unreadable: dict[str, str] | None = None) -> list[Path]:
    """Article files under ``root``, sorted, skipping hidden files and folders.

    Links are listed even when they do not resolve, so reading them warns. A folder that
    cannot be listed goes into ``unreadable`` (its path relative to ``root``, and why).
    """
    def failed(err: OSError) -> None:
        if unreadable is not None:
            unreadable[article_id(Path(err.filename), root)] = err.strerror or str(err)

    files = []
    for folder, dirs, names in os.walk(root, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        here = Path(folder)
        files += [here / n for n in names if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES]
        files += [here / d for d in dirs if Path(d).suffix.lower() in SUFFIXES and (here / d).is_symlink()]
    return sorted(files)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_size(size: int, name: str, max_bytes: int = Settings.max_article_bytes) -> None:
    if size > max_bytes:
        raise BadArticle(f"{name}: the file is {size:,} bytes, over the {max_bytes:,}-byte limit; split it.")


@dataclass(frozen=True)
class ArticleFile:
    """An article file's bytes, and its size and modification time when they were read."""

    data: bytes
    size: int
    mtime: float


def read_article_file(path: Path, name: str, max_bytes: int = Settings.max_article_bytes) -> ArticleFile:
    """Read a corpus file, checking its type and size before reading a byte.

    Raises ``BadArticle`` (not a regular file, over the limit, a broken or looping
    link, unreadable) and ``FileNotFoundError`` when the file is gone: the caller
    treats that as deleted.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block
    except FileNotFoundError:
        if os.path.islink(path):
            raise BadArticle(f"{name}: a symbolic link to a file that does not exist; fix or remove the link.") from None
        raise
    except OSError as err:
        raise _unreadable(name, err) from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BadArticle(f"{name}: not a regular file; articles must be plain files.")
        check_size(info.st_size, name, max_bytes)
        try:
            data = f.read(max_bytes + 1)  # it may have grown since: never read past the limit
        except OSError as err:
            raise _unreadable(name, err) from None
    return ArticleFile(data, info.st_size, info.st_mtime)


def _unreadable(name: str, err: OSError) -> BadArticle:
    if err.errno == errno.ELOOP:
        return BadArticle(f"{name}: a symbolic link that loops back on itself; fix or remove the link.")
    return BadArticle(f"{name}: cannot be read ({err.strerror or err}); check its permissions.")


def decode(data: bytes, name: str, max_bytes: int = Settings.max_article_bytes) -> str:
    """Bytes to text, refusing what is not a text article.

    UTF-8 (with or without a byte-order mark) is text; so are UTF-16 and UTF-32 that
    start with their byte-order mark. A NUL character anywhere makes it binary.
    """
    check_size(len(data), name, max_bytes)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None and b"\x00" in data:
        raise BadArticle(f"{name}: {_BINARY}")
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as err:
        shown = encoding.upper() if encoding else "UTF-8"
        raise BadArticle(f"{name}: not valid {shown} (byte {err.start}); re-save the file as UTF-8.") from None
    if "\x00" in text:
        raise BadArticle(f"{name}: {_BINARY}")
    if not text.strip():
        raise BadArticle(f"{name}: the file is empty; add text or remove it.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, doc_id: str, suffix: str) -> Article:
    """Parse decoded text by file type."""
    suffix = suffix.lower()
    try:
        if suffix in (".md", ".markdown"):
            article = parse_markdown(text, doc_id)
        elif suffix in (".html", ".htm"):
            article = parse_html(text, doc_id)
        else:
            article = parse_text(text, doc_id)
    except RecursionError:
        raise BadArticle(f"{doc_id}: the article is nested too deeply to read; simplify its structure.") from None
    except MemoryError:
        raise BadArticle(f"{doc_id}: the article needs more memory to read than there is; split it.") from None
    if not any(article.text[s.start:s.end].strip() for s in article.sections):
        raise BadArticle(f"{doc_id}: no readable text was found in the article.")
    return article


def read_article(data: bytes, doc_id: str, suffix: str, max_bytes: int = Settings.max_article_bytes) -> Article:
    """A file's bytes as an ``Article`` of its type, with its content hash; or ``BadArticle``."""
    if suffix.lower() == ".pdf":
        from .pdf import Naming, parse_pdf  # pypdf is imported only when there is a PDF

        if not data.strip():
            raise BadArticle(f"{doc_id}: the file is empty; add text or remove it.")
        check_size(len(data), doc_id, max_bytes)
        article = parse_pdf(data, doc_id, Naming(_title_from_id(doc_id), MAX_TITLE_WORDS, MAX_HEADING_WORDS))
    else:
        article = parse(decode(data, doc_id, max_bytes), doc_id, suffix)
    return replace(article, hash=content_hash(data))


def load_article(path: Path, root: Path, max_bytes: int = Settings.max_article_bytes) -> Article:
    """Read and parse one corpus file; ``BadArticle`` if it cannot be (a gone file included)."""
    doc_id = article_id(path, root)
    try:
        data = read_article_file(path, doc_id, max_bytes).data
    except FileNotFoundError:
        raise BadArticle(f"{doc_id}: the file is gone; it was deleted or moved.") from None
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
    following = _next_nonblank(lines)
    # Paragraph-initial lines that look like headings (the next non-empty line follows a blank).
    starts: list[tuple[int, str]] = []
    for i in range(first + 1, len(lines)):
        s, e, heading = lines[i]
        prev_blank = not lines[i - 1][2].strip()
        nxt = following[i]
        if prev_blank and nxt is not None and _is_heading(heading, lines[nxt][2]) and _is_paragraph(lines[nxt][2]):
            starts.append((s, heading.strip()))
    if len(line.split()) <= MAX_TITLE_WORDS and following[first] is not None:
        return Article(doc_id, line, text, _sections_from_starts(text, [(lines[first][0], line)] + starts, line))
    # The first line is a paragraph (or all there is): it stays in the body; the title comes from the name.
    title = _title_from_id(doc_id)
    intro = Section(title, lines[first][0], starts[0][0] if starts else len(text))
    return Article(doc_id, title, text, (intro,) + _sections_from_starts(text, starts, title))


def _title_from_id(doc_id: str) -> str:
    stem = re.sub(r"[-_\s]+", " ", PurePosixPath(doc_id).stem).strip()
    return stem[:1].upper() + stem[1:] if stem else doc_id


def _next_nonblank(lines) -> list[int | None]:
    """For each line, the index of the next non-blank line after it: one backward pass."""
    out: list[int | None] = [None] * len(lines)
    nxt = None
    for i in range(len(lines) - 1, -1, -1):
        out[i] = nxt
        if lines[i][2].strip():
            nxt = i
    return out


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
_HASHES = re.compile(r"^#{1,6}(?!#)", re.M)  # a heading line's opening: found in linear time
_SCALARS = (str, int, float, date)  # front-matter values that read as a title or a source


class _Heading(NamedTuple):
    start: int  # where the heading line starts
    level: int
    text: str  # stripped, without closing #s


def md_headings(text: str, pos: int = 0) -> list[_Heading]:
    """ATX headings (``#`` to ``######``, then white space, then text) at or after ``pos``.

    One pass over the text: a heading line's text is read with string methods, not a
    backtracking pattern (``#`` and a long run of spaces took minutes that way).
    """
    out = []
    for m in _HASHES.finditer(text, pos):
        eol = text.find("\n", m.end())
        rest = text[m.end(): len(text) if eol < 0 else eol]
        if rest[:1].isspace() and rest.strip():
            out.append(_Heading(m.start(), m.end() - m.start(), _heading_text(rest.strip())))
    return out


def _heading_text(content: str) -> str:
    """The heading's text: closing #s and white space dropped, at least one character kept."""
    return content.rstrip("#").rstrip() or content[0]


class _PlainYaml(yaml.SafeLoader):
    """Safe YAML without anchors and aliases: front matter never needs them, and nested
    aliases expand exponentially (a 434-byte "alias bomb" took 8.8 GB)."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors and aliases are not allowed", event.start_mark)
        return super().compose_node(parent, index)


def front_matter(text: str, doc_id: str) -> tuple[dict, int, list[str]]:
    """The YAML front matter as a mapping, where the body starts, and warnings."""
    m = _FRONT.match(text)
    if not m:
        return {}, 0, []
    raw = m.group(1)
    if len(raw) > MAX_FRONT_MATTER_CHARS:
        return {}, m.end(), [f"{doc_id}: the front matter is {len(raw):,} characters, over the "
                             f"{MAX_FRONT_MATTER_CHARS:,}-character limit; it was ignored."]
    try:
        loaded = yaml.load(raw, Loader=_PlainYaml)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as err:
        where = getattr(err, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        return {}, m.end(), [f"{doc_id}: the front matter is not plain YAML{line}; it was ignored."]
    return (loaded if isinstance(loaded, dict) else {}), m.end(), []


def _meta_text(meta: dict, key: str, doc_id: str, warnings: list[str]) -> str:
    """A front-matter field as text; a list or mapping is not one, and is dropped with a warning."""
    value = meta.get(key)
    if not value:
        return ""
    if isinstance(value, _SCALARS):
        return str(value).strip()
    kind = "list" if isinstance(value, list) else "mapping" if isinstance(value, dict) else type(value).__name__
    warnings.append(f"{doc_id}: the front matter {key} is a {kind}, not text; it was ignored.")
    return ""


def parse_markdown(text: str, doc_id: str) -> Article:
    meta, body_start, warnings = front_matter(text, doc_id)
    headings = md_headings(text, body_start)
    title = _meta_text(meta, "title", doc_id, warnings)
    source = _meta_text(meta, "source", doc_id, warnings)
    h1 = next((h for h in headings if h.level == 1), None)
    if not title:
        title = h1.text if h1 else _first_line(text[body_start:]) or doc_id
    first_heading = headings[0].start if headings else len(text)
    preamble = [Section(title, body_start, first_heading)] if text[body_start:first_heading].strip() else []
    starts = [(h.start, "" if (h is h1 and h.text == title) else h.text) for h in headings]
    sections = preamble + list(_sections_from_starts(text, starts, title))
    date_ = iso_date(meta.get("updated")) or iso_date(meta.get("date"))
    return Article(doc_id, title, text, tuple(sections), source, date=date_, warnings=tuple(warnings))


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
    too_deep = _nesting_too_deep(text)
    if not extracted.strip():
        raise BadArticle(f"{doc_id}: {too_deep}; flatten the markup or save the text as .txt or .md." if too_deep
                         else f"{doc_id}: no readable text was found in the HTML.")
    md = _as_front_matter(title, source) + extracted.strip() + "\n"
    article = replace(parse_markdown(md, doc_id), date=iso_date(meta.date if meta else ""))
    if too_deep:
        return replace(article, warnings=article.warnings + (
            f"{doc_id}: {too_deep}; text nested below that depth was not read.",))
    return article


def _nesting_too_deep(text: str) -> str:
    """A problem line if the HTML nests deeper than the parser reads (libxml2 stops at 256 levels)."""
    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8")
    try:
        etree.fromstring(text.encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError):
        pass
    deep = [e for e in parser.error_log if e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT]
    return "the HTML is nested too deeply for the parser (over 255 levels)" if deep else ""


def _html_title(text: str) -> str:
    """The first ``<title>``'s text. Found with ``find``: a pattern retried from every
    ``<title`` took quadratic time on a page of many unclosed ones."""
    m = re.search(r"<title", text, re.I)
    opened = text.find(">", m.end()) if m else -1
    closed = _TITLE_END.search(text, opened + 1) if opened >= 0 else None
    return re.sub(r"\s+", " ", text[opened + 1:closed.start()]).strip() if closed else ""


_TITLE_END = re.compile(r"</title>", re.I)


def _as_front_matter(title: str, source: str) -> str:
    return "---\n" + yaml.safe_dump({"title": title, "source": source}, allow_unicode=True) + "---\n"
