"""Reading a rendered form page the way a person (or their screen reader) meets it: its title,
the error summary, the errors by each field, and what each field holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass
class FormPage:
    title: str = ""
    summary: list[tuple[str, str]] = field(default_factory=list)  # (link target, text)
    field_errors: list[str] = field(default_factory=list)
    fields: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> attributes
    ids: set[str] = field(default_factory=set)

    def has_error_class(self, field_id: str) -> bool:
        classes = self.fields[field_id].get("class", "").split()
        return any(name.endswith("--error") for name in classes)

    def check_every_error_is_summarised(self) -> None:
        """GOV.UK and NHS.UK: the title says "Error: ", the summary lists every error shown
        by a field, and each summary link leads to something on the page."""
        assert self.title.startswith("Error: "), self.title
        assert self.summary, "no error summary"
        summarised = [text for _, text in self.summary]
        for message in self.field_errors:
            assert message in summarised, f"{message!r} is not in the summary {summarised}"
        for target, _ in self.summary:
            assert target.startswith("#") and target[1:] in self.ids, target


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = FormPage()
        self._in_title = False
        self._summary_depth = 0
        self._summary_link: str | None = None
        self._summary_text: list[str] = []
        self._error_depth = 0
        self._error_text: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        if tag not in VOID:
            self._depth += 1
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        if tag == "title":
            self._in_title = True
        if "nhsuk-error-summary" in classes:
            self._summary_depth = self._depth
        if self._summary_depth and tag == "a":
            self._summary_link = attributes.get("href", "")
            self._summary_text = []
        if "nhsuk-error-message" in classes:
            self._error_depth = self._depth
            self._error_text = []
        if tag in ("input", "select", "textarea") and "id" in attributes:
            self.page.fields[attributes["id"]] = attributes

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._summary_link is not None:
            self.page.summary.append(
                (self._summary_link, " ".join("".join(self._summary_text).split()))
            )
            self._summary_link = None
        if self._error_depth and self._depth == self._error_depth:
            text = " ".join("".join(self._error_text).split()).removeprefix("Error: ")
            self.page.field_errors.append(text)
            self._error_depth = 0
        if self._summary_depth and self._depth == self._summary_depth:
            self._summary_depth = 0
        if tag not in VOID:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data
        if self._summary_link is not None:
            self._summary_text.append(data)
        if self._error_depth:
            self._error_text.append(data)


def read_form_page(html: str) -> FormPage:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page
