"""The learning record as a PDF for appraisal and professional revalidation, in the page
style of `app.core.pdf`."""

from __future__ import annotations

from app.core.pdf import NHS_BLUE, SECONDARY, TEXT, DocumentPdf
from app.reflections.schemas import LearningRecord


def record_pdf(record: LearningRecord) -> bytes:
    pdf = DocumentPdf(
        title="Askwell learning record",
        author=record.display_name,
        footer_text=f"Askwell learning record of {record.display_name}, "
        f"made {record.generated_at:%d %B %Y}",
    )
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
