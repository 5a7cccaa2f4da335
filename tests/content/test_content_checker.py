"""Every checker rule, each shown on a broken sample, with the exact line printed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.content import Problem, check_content, load_content
from app.content.problems import ContentError

BROKEN_SAMPLES = {
    "bad-front-matter-yaml": [
        "modules/bad-front-matter-yaml.md:6: front matter is not valid YAML: "
        "did not find expected ',' or ']' (while parsing a flow sequence)"
    ],
    "bad-block-yaml": [
        "modules/bad-block-yaml.md:22: `::: ask` block is not valid YAML: "
        "found unexpected end of stream (while scanning a quoted scalar)"
    ],
    "unknown-key": ["modules/unknown-key.md:6: unknown front-matter key `colour`"],
    "missing-key": ["modules/missing-key.md:1: missing required front-matter key `summary`"],
    "wrong-type": [
        "modules/wrong-type.md:8: `version`: Input should be a valid integer, "
        "unable to parse string as an integer"
    ],
    "slug-mismatch": [
        "modules/slug-mismatch.md:2: slug `another-module` does not match the file name "
        "`slug-mismatch.md`"
    ],
    "unknown-topic": [
        "modules/unknown-topic.md:7: unknown topic `tiktok` (see the topic list in "
        "modules/README.md)"
    ],
    "unknown-source": [
        "modules/unknown-source.md:10: unknown source `made-up-2024` "
        "(not in modules/sources.yml or modules/apps/sources.yml)"
    ],
    "quote-source-not-listed": [
        "modules/quote-source-not-listed.md:20: quote cites `biddle-2022`, "
        "which is not in this module's `sources`"
    ],
    "unknown-block": [
        "modules/unknown-block.md:20: unknown block `::: tip` "
        "(blocks are quote, scenario, ask, key-points, support and reflect)"
    ],
    "unclosed-block": [
        "modules/unclosed-block.md:35: `::: key-points` block is not closed: "
        "add a `:::` line after it"
    ],
    "level-one-heading": [
        "modules/level-one-heading.md:16: level-1 heading `# A sample module`: "
        "the title comes from the front matter, so start sections with `##`"
    ],
    "duplicate-section-ids": [
        "modules/duplicate-section-ids.md:20: duplicate section id `why-it-matters` "
        "(heading `Why it matters`)"
    ],
    "duplicate-ask-ids": ["modules/duplicate-ask-ids.md:28: duplicate ask id `open`"],
    "duplicate-scenario-ids": [
        "modules/duplicate-scenario-ids.md:28: duplicate scenario id `never-asked`"
    ],
    "duplicate-question-ids": ["modules/duplicate-question-ids.md:33: duplicate question id `q1`"],
    "two-quizzes": ["modules/two-quizzes.md:35: more than one quiz block: a module has one quiz"],
    "no-correct-option": ["modules/no-correct-option.md:24: question `q1` has no correct option"],
    "single-two-correct": [
        "modules/single-two-correct.md:24: question `q1` is `single` but has 2 correct options"
    ],
    "true-false-options": [
        "modules/true-false-options.md:24: question `q1` is `true_false`: "
        "it needs exactly two options, `True` and `False`"
    ],
    "too-few-options": ["modules/too-few-options.md:27: question `q1` needs at least two options"],
    "missing-prompt": ["modules/missing-prompt.md:24: question `q1` has no prompt"],
    "option-without-feedback": [
        "modules/option-without-feedback.md:31: option b of question `q1` has no feedback"
    ],
    "quote-without-attribution": [
        "modules/quote-without-attribution.md:20: quote has no attribution: "
        "its last line must start with `— ` (an em dash and a space)"
    ],
    "scenario-missing-parts": [
        "modules/scenario-missing-parts.md:20: scenario `never-asked` needs `quote`",
        "modules/scenario-missing-parts.md:20: scenario `never-asked` needs `response`",
    ],
    "illustrative-with-quote": [
        "modules/illustrative-with-quote.md:20: scenario `made-up` needs `says`",
        "modules/illustrative-with-quote.md:23: an illustrative scenario has `says`, not "
        "`quote`: its words were written for Askwell",
        "modules/illustrative-with-quote.md:24: an illustrative scenario has no `attribution`: "
        "its words were written for Askwell",
    ],
    "study-scenario-with-says": [
        "modules/study-scenario-with-says.md:20: scenario `never-asked` needs `quote`",
        "modules/study-scenario-with-says.md:22: `says` is for `::: scenario illustrative`; "
        "a scenario from a source has `quote` and `attribution`",
    ],
    "setting-illustrative-not-boolean": [
        "modules/setting-illustrative-not-boolean.md:23: scenario `never-asked`: "
        "`setting_illustrative` must be true or false"
    ],
    "ask-missing-parts": ["modules/ask-missing-parts.md:20: ask `open` needs `why`"],
    "module-without-co-designed": [
        "modules/module-without-co-designed.md:1: a module needs `co_designed`: "
        "how young people's words shaped it"
    ],
    "module-without-sections": [
        "modules/module-without-sections.md:1: a module needs at least one `##` section",
        "modules/module-without-sections.md:1: a module needs a quiz: a ```quiz block at the end",
    ],
    "module-without-quiz": [
        "modules/module-without-quiz.md:1: a module needs a quiz: a ```quiz block at the end"
    ],
    "sensitive-without-warning": [
        "modules/sensitive-without-warning.md:7: sensitive topics (`self-harm`) "
        "need a `content_warning`"
    ],
    "sensitive-without-support": [
        "modules/sensitive-without-support.md:7: sensitive topics (`suicide`) "
        "need a `::: support` block after the sensitive material"
    ],
    "changelog-missing-current": [
        "modules/changelog-missing-current.md:12: changelog has no entry for version 2 "
        "(the current version)"
    ],
    "changelog-later-entry": [
        "modules/changelog-later-entry.md:14: changelog entry for version 2 is later than "
        "the current version 1"
    ],
    "apps/app-missing-fields": [
        "modules/apps/app-missing-fields.md:1: missing required front-matter key `category`",
        "modules/apps/app-missing-fields.md:1: missing required front-matter key `age_rating`",
        "modules/apps/app-missing-fields.md:1: missing required front-matter key `last_reviewed`",
        "modules/apps/app-missing-fields.md:1: missing required front-matter key `review_by`",
    ],
    "apps/app-unknown-category": [
        "modules/apps/app-unknown-category.md:10: unknown category `chat` "
        "(one of: social, messaging, video, gaming, gambling, support, community)"
    ],
    "apps/app-without-sources": [
        "modules/apps/app-without-sources.md:9: an app card needs at least one source"
    ],
    "apps/app-past-review": [
        "modules/apps/app-past-review.md:13: warning: review_by 2026-11-01 has passed: "
        "check the card against its sources, then update last_reviewed and review_by"
    ],
}


@pytest.mark.parametrize("sample", sorted(BROKEN_SAMPLES))
def test_each_broken_sample_reports_exactly_its_problem(check_sample, sample: str) -> None:
    assert check_sample(f"broken/{sample}.md") == BROKEN_SAMPLES[sample]


def test_every_broken_sample_is_covered() -> None:
    fixtures = Path(__file__).parent / "fixtures" / "broken"
    on_disk = {str(path.relative_to(fixtures).with_suffix("")) for path in fixtures.rglob("*.md")}
    assert on_disk == set(BROKEN_SAMPLES)


def test_the_valid_samples_have_no_problems(check_sample, add_sample) -> None:
    add_sample("valid/apps/chatterbox.md")
    assert check_sample("valid/how-to-ask.md") == []


def test_past_review_is_only_a_warning(check_sample) -> None:
    check_sample("broken/apps/app-past-review.md")
    problems = check_content(Path("modules"), today=None)
    assert all(problem.level == "warning" for problem in problems)
    index = load_content(Path("modules"))
    card = index.get("app-past-review")
    assert card is not None
    assert card.needs_review(card.review_by) is False
    assert card.needs_review(date(2026, 11, 2)) is True


def test_every_problem_in_every_file_is_reported(add_sample, modules_dir, today) -> None:
    for sample in ("unknown-key", "no-correct-option", "duplicate-ask-ids"):
        add_sample(f"broken/{sample}.md")
    (modules_dir / "many-problems.md").write_text(
        (Path(__file__).parent / "fixtures" / "broken" / "unknown-topic.md")
        .read_text()
        .replace("slug: unknown-topic", "slug: many-problems")
        .replace("version: 1\n", "version: 1\ncolour: red\n")
        .replace("      correct: true\n", "")
    )
    printed = [str(problem) for problem in check_content(modules_dir, today=today)]
    assert printed == [
        "modules/duplicate-ask-ids.md:28: duplicate ask id `open`",
        "modules/many-problems.md:7: unknown topic `tiktok` (see the topic list in "
        "modules/README.md)",
        "modules/many-problems.md:9: unknown front-matter key `colour`",
        "modules/many-problems.md:25: question `q1` has no correct option",
        "modules/no-correct-option.md:24: question `q1` has no correct option",
        "modules/unknown-key.md:6: unknown front-matter key `colour`",
    ]


def test_a_source_id_in_both_registries_is_an_error(modules_dir, today) -> None:
    registry = modules_dir / "apps" / "sources.yml"
    registry.write_text(registry.read_text() + "\nderges-2023:\n  title: A second copy\n")
    assert [str(problem) for problem in check_content(modules_dir, today=today)] == [
        "modules/apps/sources.yml:9: source `derges-2023` is already defined in modules/sources.yml"
    ]


def test_a_registry_entry_is_validated(modules_dir, today) -> None:
    registry = modules_dir / "sources.yml"
    registry.write_text(registry.read_text() + "\nno-title:\n  url: ftp://example.org\n")
    assert [str(problem) for problem in check_content(modules_dir, today=today)] == [
        "modules/sources.yml:17: source `no-title`: missing required key `title`",
        "modules/sources.yml:18: source `no-title`: `url` must start with https:// or http://",
    ]


def test_the_same_slug_in_two_files_is_an_error(add_sample, modules_dir, today) -> None:
    add_sample("valid/how-to-ask.md")
    copy = modules_dir / "apps" / "how-to-ask.md"
    copy.write_text((modules_dir / "how-to-ask.md").read_text())
    assert [str(problem) for problem in check_content(modules_dir, today=today)] == [
        "modules/apps/how-to-ask.md:2: slug `how-to-ask` is already used by modules/how-to-ask.md"
    ]


def test_unknown_keys_in_blocks_and_quiz_are_reported(modules_dir, today) -> None:
    text = (Path(__file__).parent / "fixtures" / "broken" / "duplicate-ask-ids.md").read_text()
    text = text.replace("slug: duplicate-ask-ids", "slug: typos", 1)
    text = text.replace("id: open\n", "id: first\n", 1).replace("why: Curiosity.\n", "wy: x\n", 1)
    text = text.replace("      correct: true\n", "      corect: true\n")
    (modules_dir / "typos.md").write_text(text)
    assert [str(problem) for problem in check_content(modules_dir, today=today)] == [
        "modules/typos.md:20: ask `first` needs `why`",
        "modules/typos.md:24: unknown key `wy` in `::: ask` block",
        "modules/typos.md:38: question `q1` has no correct option",
        "modules/typos.md:43: unknown key `corect` in option a of question `q1`",
    ]


def test_load_content_raises_with_every_problem(add_sample, modules_dir) -> None:
    add_sample("broken/unknown-key.md")
    add_sample("broken/missing-prompt.md")
    with pytest.raises(ContentError) as raised:
        load_content(modules_dir)
    assert [str(problem) for problem in raised.value.problems] == [
        "modules/missing-prompt.md:24: question `q1` has no prompt",
        "modules/unknown-key.md:6: unknown front-matter key `colour`",
    ]
    assert "modules/unknown-key.md:6" in str(raised.value)


def test_a_missing_folder_is_a_problem(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert [str(problem) for problem in check_content(Path("nowhere"))] == [
        "nowhere:1: not a directory"
    ]


def test_problem_prints_like_a_compiler() -> None:
    assert str(Problem("modules/a.md", 3, "oops")) == "modules/a.md:3: oops"
    assert str(Problem("modules/a.md", 3, "late", "warning")) == "modules/a.md:3: warning: late"


def test_paths_outside_the_current_directory_stay_absolute(tmp_path, monkeypatch) -> None:
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "bad.md").write_text("no front matter\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    [problem] = check_content(tmp_path / "modules")
    assert problem.path == str(tmp_path / "modules" / "bad.md")
    assert problem.message == "missing front matter: start the file with a `---` block"


def test_misplaced_blocks_and_stray_closers(modules_dir, today) -> None:
    text = (Path(__file__).parent / "fixtures" / "broken" / "unknown-block.md").read_text()
    text = text.replace("slug: unknown-block", "slug: misplaced")
    text = text.replace(
        "::: tip\nAsk early.\n:::\n",
        "::: quote derges-2023\nNever asked.\n\n## Oops\n:::\n\n:::\n\n"
        "- a list\n\n  ::: support\n  Help.\n  :::\n",
    )
    (modules_dir / "misplaced.md").write_text(text)
    assert [str(problem) for problem in check_content(modules_dir, today=today)] == [
        "modules/misplaced.md:23: `##` heading inside the `::: quote` block on line 20 "
        "(is a closing `:::` missing?)",
        "modules/misplaced.md:26: `:::` closes no open block",
        "modules/misplaced.md:30: `::: support` must start its own line, outside lists and quotes",
    ]
