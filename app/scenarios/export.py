"""A young person's data as a PDF they can keep or print, the same content as the readable
page and the JSON, in the page style of `app.core.pdf`. Imported at the first download: the
PDF library costs each worker about 20 MB."""

from __future__ import annotations

from app.core.pdf import SECONDARY, TEXT, DocumentPdf
from app.scenarios.schemas import STATUS_LABELS, MyData, ScenarioOut

ANSWERS = (
    ("Apps, games or sites", "platforms"),
    ("What happened", "what_happened"),
    ("What a practitioner said or did", "what_was_said"),
    ("How it felt", "how_it_felt"),
    ("What would have helped", "what_would_help"),
    ("Content warning", "content_warning"),
)


class _DataPdf(DocumentPdf):
    def __init__(self, data: MyData) -> None:
        super().__init__(
            title="Your data in Askwell",
            footer_text=f"Your data in Askwell, made {data.exported_at:%d %B %Y}",
        )

    def answer(self, label: str, value: str) -> None:
        self.write_text(label, size=9.5, style="B")
        self.write_text(value or "–")
        self.ln(1)


def _scenario_title(scenario: ScenarioOut) -> str:
    if scenario.status.value == "withdrawn":
        return "Withdrawn scenario"
    return scenario.title or "Untitled"


def my_data_pdf(data: MyData) -> bytes:
    pdf = _DataPdf(data)
    pdf.add_page()
    pdf.set_text_color(*TEXT)
    pdf.heading("Your data in Askwell", size=20)
    pdf.set_text_color(*SECONDARY)
    pdf.write_text(f"Made on {data.exported_at:%d %B %Y at %H:%M} UTC.")
    pdf.set_text_color(*TEXT)

    pdf.heading("Your account")
    pdf.answer("Name", data.display_name)
    pdf.answer("Email address", data.email)
    pdf.answer("Age band", data.age_band or "Not given")
    pdf.answer("Account made", f"{data.created_at:%d %B %Y}")

    pdf.heading("Your scenarios")
    if not data.scenarios:
        pdf.write_text("You have not shared a scenario.")
    for scenario, events in data.scenarios:
        pdf.heading(_scenario_title(scenario), size=12)
        pdf.answer("Where it is", STATUS_LABELS[scenario.status])
        if scenario.status.value != "withdrawn":
            for label, name in ANSWERS:
                value = getattr(scenario, name)
                pdf.answer(label, ", ".join(value) if isinstance(value, list) else value)
            pdf.answer("Topics", ", ".join(scenario.topics))
            credit = {"none": "Not credited", "pseudonym": "A made-up name"}.get(
                scenario.credit.value, "First name"
            )
            if scenario.credit_name:
                credit = f"{credit}: {scenario.credit_name}"
            pdf.answer("Credit", credit)
            pdf.answer("May be quoted", "Yes" if scenario.consent_to_quote else "No")
            if scenario.published_text:
                pdf.answer("Published as", scenario.published_text)
        pdf.write_text("What has happened", size=9.5, style="B")
        for event in events:
            line = f"{event.at:%d %B %Y}: {event.text}"
            if event.note:
                who = "your note" if event.by == "you" else "note from a trainer"
                line += f" ({who}: {event.note})"
            pdf.write_text(line)
        pdf.ln(2)

    pdf.heading("Your ratings of the examples")
    if not data.ratings:
        pdf.write_text("You have not rated an example.")
    for rating in data.ratings:
        pdf.write_text(f"{rating.module_title}: “{rating.example or rating.ask_id}”", style="B")
        pdf.write_text(f"Would it work on you? {rating.verdict_words}")
        if rating.comment:
            pdf.write_text(f"Your comment: {rating.comment}")
        pdf.write_text(f"Rated on {rating.rated_at:%d %B %Y}", size=8.5)
        pdf.ln(1)

    pdf.heading("Safeguarding records")
    pdf.write_text(data.safeguarding_records["what"])
    pdf.write_text(data.safeguarding_records["how_to_ask"])
    return bytes(pdf.output())
