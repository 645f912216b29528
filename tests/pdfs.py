"""Small PDFs written by hand for tests: pages of Helvetica text, an outline, metadata.

``make_pdf`` writes a valid PDF 1.4 file (objects, cross-reference table, trailer)
with one content stream per page: each line is its own BT/ET text object at its
own height and font size, so pypdf extracts it as a line and reports its size.
``encrypted`` re-writes such a file with a user password using pypdf itself.
"""
from __future__ import annotations

import io

Line = tuple[float, str]  # (font size in points, text)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _string(text: str) -> bytes:
    return f"({_escape(text)})".encode("latin-1")


def _content(lines: list[Line]) -> bytes:
    ops, y = [], 740.0
    for size, text in lines:
        ops.append(f"BT /F1 {size:g} Tf 72 {y:g} Td ({_escape(text)}) Tj ET")
        y -= size * 1.6
    return "\n".join(ops).encode("latin-1")


def make_pdf(pages: list[list[Line]], title: str | None = None, outline: list[tuple[str, int]] = (),
             moddate: str | None = None, creationdate: str | None = None) -> bytes:
    """A PDF with ``pages`` (lists of (size, text) lines), an optional /Title, dates and outline
    (items of (title, 0-based page))."""
    n = len(pages)
    page_ids = [4 + 2 * k for k in range(n)]
    objects: dict[int, bytes] = {}
    outline_root = 4 + 2 * n
    info_id = outline_root + 1 + len(outline)
    catalog = b"<< /Type /Catalog /Pages 2 0 R"
    if outline:
        catalog += f" /Outlines {outline_root} 0 R /PageMode /UseOutlines".encode()
    objects[1] = catalog + b" >>"
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    for pid, lines in zip(page_ids, pages):
        stream = _content(lines)
        objects[pid] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                        f" /Contents {pid + 1} 0 R >>").encode()
        objects[pid + 1] = f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
    if outline:
        items = [outline_root + 1 + k for k in range(len(outline))]
        objects[outline_root] = f"<< /Type /Outlines /First {items[0]} 0 R /Last {items[-1]} 0 R /Count {len(items)} >>".encode()
        for k, (item_title, page) in enumerate(outline):
            links = (f" /Prev {items[k - 1]} 0 R" if k else "") + (f" /Next {items[k + 1]} 0 R" if k + 1 < len(items) else "")
            objects[items[k]] = (b"<< /Title " + _string(item_title) +
                                 f" /Parent {outline_root} 0 R /Dest [{page_ids[page]} 0 R /XYZ 0 792 0]{links} >>".encode())
    info = b"<< /Producer (tests)"
    for key, value in (("Title", title), ("ModDate", moddate), ("CreationDate", creationdate)):
        if value is not None:
            info += f" /{key} ".encode() + _string(value)
    objects[info_id] = info + b" >>"
    return _assemble(objects, info_id)


def _assemble(objects: dict[int, bytes], info_id: int) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    size = max(objects) + 1
    offsets = [0] * size
    for oid in sorted(objects):
        offsets[oid] = out.tell()
        out.write(f"{oid} 0 obj\n".encode() + objects[oid] + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
    for oid in range(1, size):
        out.write(f"{offsets[oid]:010d} 00000 n \n".encode() if oid in objects else b"0000000000 65535 f \n")
    out.write(f"trailer\n<< /Size {size} /Root 1 0 R /Info {info_id} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted(data: bytes, password: str = "secret") -> bytes:
    """``data`` re-written with a user password (RC4: no crypto library needed)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- a clinic handout of three pages ----------------------------------------------------

BODY = 11
HEAD = 16

HANDOUT_PAGES = [
    [(20, "Knee Care After Running"),
     (HEAD, "Why knees hurt"),
     (BODY, "Runners often feel pain around the kneecap after long runs on hard ground."),
     (BODY, "The pain usually builds slowly over several weeks of training.")],
    [(HEAD, "Icing and rest"),
     (BODY, "Put a cold pack wrapped in a towel on the sore knee for fifteen minutes."),
     (BODY, "Repeat the icing three times a day and skip running until walking is painless.")],
    [(HEAD, "When to see a doctor"),
     (BODY, "See a doctor if the knee swells, locks or gives way when you walk."),
     (BODY, "A doctor can check the cartilage and the ligaments with a scan.")],
]
HANDOUT_OUTLINE = [("Why knees hurt", 0), ("Icing and rest", 1), ("When to see a doctor", 2)]


def handout(outline: bool = True, title: str | None = "Knee care after running", **meta) -> bytes:
    return make_pdf(HANDOUT_PAGES, title=title, outline=HANDOUT_OUTLINE if outline else (), **meta)


def blank_pdf(pages: int = 1) -> bytes:
    """Pages without any text, like a scan without a text layer."""
    return make_pdf([[] for _ in range(pages)], title="Scanned leaflet")
