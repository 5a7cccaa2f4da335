"""The one page style of Askwell's own PDFs (fpdf2): the learning record and a young
person's data.

A Unicode font (DejaVu Sans, Debian's fonts-dejavu-core) is used when installed, so any
language a person writes in prints; without it the PDF falls back to a core font and
replaces what that font cannot show, rather than failing.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIRECTORIES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)
SECONDARY = (76, 98, 114)


def unicode_font() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, where the system has them."""
    for directory in FONT_DIRECTORIES:
        regular, bold = directory / "DejaVuSans.ttf", directory / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class DocumentPdf(FPDF):
    """An A4 document in Askwell's type, with a footer line saying what it is on each page."""

    def __init__(self, *, title: str, footer_text: str, author: str | None = None) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        font = unicode_font()
        if font:
            self.add_font("Body", "", str(font[0]))
            self.add_font("Body", "B", str(font[1]))
            self.body_font, self.latin1_only = "Body", False
        else:
            self.body_font, self.latin1_only = "Helvetica", True
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_title(title)
        if author:
            self.set_author(author)
        self.set_creator("Askwell")
        self.alias_nb_pages()

    def safe(self, text: str) -> str:
        if self.latin1_only:
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.body_font, "", 8)
        self.set_text_color(*SECONDARY)
        self.cell(
            0, 5, self.safe(f"{self.footer_text} · page {self.page_no()} of {{nb}}"), align="C"
        )

    def write_text(
        self, text: str, size: float = 10.5, style: str = "", height: float = 5.5
    ) -> None:
        self.set_font(self.body_font, style, size)
        self.multi_cell(0, height, self.safe(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str, size: float = 14) -> None:
        self.ln(3)
        self.set_text_color(*NHS_BLUE)
        self.write_text(text, size=size, style="B", height=7)
        self.set_text_color(*TEXT)
        self.ln(1)
