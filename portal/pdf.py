"""A small PDF writer for generated documents (fact sheets) in the portal's languages.

It uses the PDF viewer's built-in Helvetica, so files stay tiny and need no font files;
the letters of French, Spanish and Hungarian outside Windows-1252 (ő, ű, Ő, Ű) are
added to the font's encoding through a /Differences array.
"""

import unicodedata

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56

# Byte codes unused in Windows-1252, given to the Hungarian double-acute letters.
EXTRA_GLYPHS = {
    "Ő": (0x81, "Ohungarumlaut"),
    "ő": (0x8D, "ohungarumlaut"),
    "Ű": (0x8F, "Uhungarumlaut"),
    "ű": (0x90, "uhungarumlaut"),
}

_NARROW = set("ijlI.,:;'|!()[]{}` ")
_WIDE = set("mwMW@%")


def _char_width(char: str, size: float) -> float:
    if char in _NARROW:
        return 0.28 * size
    if char in _WIDE:
        return 0.85 * size
    if char.isupper():
        return 0.68 * size
    return 0.54 * size


def _encode(text: str) -> bytes:
    out = bytearray()
    for char in text:
        if char in EXTRA_GLYPHS:
            out.append(EXTRA_GLYPHS[char][0])
            continue
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore")
            out += plain or b"?"
    return bytes(out).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines, line, line_width = [], "", 0.0
    for word in text.split():
        word_width = sum(_char_width(c, size) for c in word)
        space = _char_width(" ", size) if line else 0
        if line and line_width + space + word_width > width:
            lines.append(line)
            line, line_width = word, word_width
        else:
            line = f"{line} {word}" if line else word
            line_width += space + word_width
    if line:
        lines.append(line)
    return lines


class PDFDocument:
    """Headings, paragraphs and bullets laid out on as many A4 pages as needed."""

    def __init__(self, title: str):
        self.title = title
        self.pages: list[list[bytes]] = [[]]
        self.y = PAGE_HEIGHT - MARGIN

    def _line(self, text: str, size: float, bold=False, indent=0.0):
        if self.y < MARGIN + size:
            self.pages.append([])
            self.y = PAGE_HEIGHT - MARGIN
        self.y -= size * 1.35
        font = b"/F2" if bold else b"/F1"
        self.pages[-1].append(
            b"BT "
            + font
            + b" %.1f Tf %.1f %.1f Td (" % (size, MARGIN + indent, self.y)
            + _encode(text)
            + b") Tj ET"
        )

    def _block(self, text, size, bold=False, indent=0.0, hanging=""):
        """Wrapped lines; ``hanging`` (a bullet) starts the first, the rest align after it."""
        hang = sum(_char_width(c, size) for c in hanging)
        width = PAGE_WIDTH - 2 * MARGIN - indent - hang
        for index, line in enumerate(_wrap(text, size, width)):
            if index == 0:
                self._line(hanging + line, size, bold, indent)
            else:
                self._line(line, size, bold, indent + hang)

    def heading(self, text: str, level: int = 1):
        self.y -= 8 if level == 1 else 6
        self._block(text, 18 if level == 1 else 13, bold=True)

    def paragraph(self, text: str):
        self._block(text, 10.5)
        self.y -= 4

    def bullet(self, text: str):
        self._block(text, 10.5, indent=14, hanging="\u2022 ")

    def render(self) -> bytes:
        differences = b" ".join(
            b"%d /%s" % (code, name.encode()) for code, name in sorted(EXTRA_GLYPHS.values())
        )
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        catalog = add(b"")
        pages = add(b"")
        encoding = add(
            b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences ["
            + differences
            + b"] >>"
        )
        regular = add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding %d 0 R >>" % encoding
        )
        bold = add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding %d 0 R >>"
            % encoding
        )
        page_ids = []
        for content in self.pages:
            stream = b"\n".join(content)
            stream_id = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
            page_ids.append(
                add(
                    b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                    % (pages, PAGE_WIDTH, PAGE_HEIGHT, stream_id, regular, bold)
                )
            )
        kids = b" ".join(b"%d 0 R" % page_id for page_id in page_ids)
        objects[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))
        objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
        info = add(b"<< /Title (" + _encode(self.title) + b") /Producer (Cluster4Smart) >>")

        output = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(output))
            output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(output)
        output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        output += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1,
            catalog,
            info,
            xref,
        )
        return bytes(output)
