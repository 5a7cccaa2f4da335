"""The certificate as a one-page PDF (fpdf2), with a Unicode font when the system has one."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from fpdf import FPDF

from app.certificates.service import Certificate

#: DejaVu covers most scripts people's names are written in (Debian: fonts-dejavu-core).
UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)
NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)


def _printable(text: str) -> str:
    """No control or invisible formatting characters reach the page (they can reorder text)."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))


def _latin1(text: str) -> str:
    """A fallback for the built-in font, which only knows Latin-1."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch if ord(ch) < 256 else "?" for ch in decomposed if not unicodedata.combining(ch)
    )


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Certificate: {_printable(certificate.module_title)}")
    pdf.set_author("Askwell")
    pdf.set_creator("Askwell")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    font = next((path for path in UNICODE_FONTS if path.is_file()), None)
    if font is not None:
        pdf.add_font("askwell", "", str(font))
        family, clean = "askwell", _printable
    else:
        family, clean = "helvetica", lambda text: _latin1(_printable(text))

    pdf.set_draw_color(*NHS_BLUE)
    pdf.set_line_width(2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_text_color(*NHS_BLUE)
    pdf.set_font(family, size=16)
    pdf.set_xy(20, 24)
    pdf.cell(257, 10, "Askwell", align="C")
    pdf.set_text_color(*TEXT)
    pdf.set_font(family, size=30)
    pdf.set_xy(20, 42)
    pdf.cell(257, 14, "Certificate of completion", align="C")
    pdf.set_font(family, size=14)
    pdf.set_xy(20, 66)
    pdf.cell(257, 8, "This certifies that", align="C")
    pdf.set_font(family, size=24)
    pdf.set_xy(20, 78)
    pdf.multi_cell(257, 12, clean(certificate.holder_name), align="C")
    pdf.set_font(family, size=14)
    pdf.set_x(20)
    pdf.cell(257, 10, "completed the training module", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=20)
    pdf.set_x(20)
    pdf.multi_cell(257, 10, clean(certificate.module_title), align="C")
    pdf.set_font(family, size=13)
    when = certificate.completed_at
    details = (
        f"Version {certificate.version} · completed on {when.day} {when:%B %Y} · "
        f"{certificate.minutes} minutes of learning"
    )
    pdf.set_x(20)
    pdf.cell(257, 12, clean(details), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=11)
    pdf.set_xy(20, 170)
    pdf.cell(257, 6, f"Verification code: {certificate.verification_code}", align="C")
    pdf.set_xy(20, 177)
    pdf.set_text_color(*NHS_BLUE)
    pdf.cell(257, 6, f"Check it is genuine at {verify_url}", align="C", link=verify_url)
    return bytes(pdf.output())
