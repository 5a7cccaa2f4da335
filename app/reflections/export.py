"""The learning record as a PDF for appraisal and professional revalidation (fpdf2).

A Unicode font (DejaVu Sans, Debian's fonts-dejavu-core) is used when installed, so
any language a practitioner writes in prints correctly; without it the PDF falls back
to a core font and replaces what that font cannot show, rather than failing.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.reflections.schemas import LearningRecord

FONT_DIRECTORIES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)
SECONDARY = (76, 98, 114)


def _unicode_font() -> tuple[Path, Path] | None:
    for directory in FONT_DIRECTORIES:
        regular, bold = directory / "DejaVuSans.ttf", directory / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _RecordPdf(FPDF):
    def __init__(self, record: LearningRecord) -> None:
        super().__init__(format="A4")
        self.record = record
        font = _unicode_font()
        if font:
            self.add_font("Body", "", str(font[0]))
            self.add_font("Body", "B", str(font[1]))
            self.body_font, self.latin1_only = "Body", False
        else:
            self.body_font, self.latin1_only = "Helvetica", True
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_title("Askwell learning record")
        self.set_author(record.display_name)
        self.set_creator("Askwell")

    def safe(self, text: str) -> str:
        if self.latin1_only:
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.body_font, "", 8)
        self.set_text_color(*SECONDARY)
        generated = f"{self.record.generated_at:%d %B %Y}"
        self.cell(
            0,
            5,
            self.safe(
                f"Askwell learning record of {self.record.display_name}, made {generated}"
                f" · page {self.page_no()} of {{nb}}"
            ),
            align="C",
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


def record_pdf(record: LearningRecord) -> bytes:
    pdf = _RecordPdf(record)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_text_color(*TEXT)
    pdf.heading("Askwell learning record", size=20)
    pdf.write_text(f"{record.display_name} ({record.email})")
    pdf.set_text_color(*SECONDARY)
    pdf.write_text(
        f"Made on {record.generated_at:%d %B %Y at %H:%M} UTC. Training on talking with young "
        "people aged 16 to 24 about their online lives. For appraisal and revalidation."
    )
    pdf.set_text_color(*TEXT)

    pdf.heading("Completed learning")
    if record.completions:
        pdf.write_text(
            f"{len(record.completions)} completion{'s' if len(record.completions) != 1 else ''}, "
            f"{record.total_minutes} minutes of learning in all."
        )
        pdf.ln(2)
        pdf.set_font(pdf.body_font, "", 9.5)
        with pdf.table(
            col_widths=(62, 20, 30, 20, 42),
            text_align=("LEFT", "CENTER", "LEFT", "RIGHT", "LEFT"),
            line_height=5.5,
            first_row_as_headings=True,
        ) as table:
            header = table.row()
            for label in ("Module", "Version", "Completed", "Minutes", "Verification code"):
                header.cell(label)
            for completion in record.completions:
                row = table.row()
                row.cell(pdf.safe(completion.module_title))
                row.cell(str(completion.version))
                row.cell(f"{completion.completed_at:%d %b %Y}")
                row.cell(str(completion.minutes))
                row.cell(completion.verification_code)
    else:
        pdf.write_text("No modules completed yet.")

    pdf.heading("Reflections")
    if not record.reflections:
        pdf.write_text("No reflections written yet.")
    for group in record.reflections:
        pdf.set_text_color(*NHS_BLUE)
        pdf.write_text(group.module_title, size=12, style="B", height=6.5)
        pdf.set_text_color(*TEXT)
        for item in group.items:
            pdf.ln(1)
            pdf.write_text(item.prompt, style="B")
            pdf.write_text(item.answer)
            if item.updated_at:
                pdf.set_text_color(*SECONDARY)
                pdf.write_text(f"Last edited {item.updated_at:%d %B %Y}", size=8.5, height=4.5)
                pdf.set_text_color(*TEXT)
        pdf.ln(2)
    return bytes(pdf.output())
