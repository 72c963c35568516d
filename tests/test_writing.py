"""Records back to source-format files (learn.writing): pure, no database."""

import dataclasses
import datetime
import difflib

import pytest

from learn.parsing import RelatedRecord, parse_article
from learn.writing import WriteError, article_file
from tests.conftest import article_text

SOURCE = article_text(
    related=[(7, "Biology", "what-is-a-cell"), (8, "Computer science", "what-is-a-bug")],
    extra="custom_key: kept as written\nno_index: True",
).encode()


def edited(**changes):
    record = parse_article(SOURCE, path="a.md")
    return dataclasses.replace(record, **changes)


def changed_lines(data: bytes) -> tuple[list[str], list[str]]:
    """The lines of the source that ``data`` replaced, and those it has instead."""
    diff = difflib.ndiff(SOURCE.decode().split("\n"), data.decode().split("\n"))
    lines = [line for line in diff if line[:2] in ("- ", "+ ")]
    return [line[2:] for line in lines if line[0] == "-"], [
        line[2:] for line in lines if line[0] == "+"
    ]


def test_an_unedited_record_gives_its_source_byte_for_byte():
    """A record that says what its source says is written as the source's very bytes."""
    written = article_file(parse_article(SOURCE, path="a.md"), SOURCE)
    assert (written.outcome, written.data) == ("source", SOURCE)


def test_a_subject_spelt_otherwise_or_keywords_reordered_is_no_edit():
    """The subject counts by slug and keywords as topics: neither alone is an edit."""
    record = edited(subject_name="COMPUTER SCIENCE", keywords=("Quality", "testing"))
    assert article_file(record, SOURCE).data == SOURCE


def test_an_edited_question_changes_that_value_only_in_its_style():
    """Only the edited value's line changes; the folded style and indentation stay."""
    written = article_file(edited(question="What is a good test?"), SOURCE)
    assert written.outcome == "edited"
    assert changed_lines(written.data) == (
        ["    What is a test?"],
        ["    What is a good test?"],
    )
    # title and article_title said the question too, and were not edited
    assert written.data.decode().count("    What is a test?") == 2


def test_an_edited_answer_is_written_on_one_line_with_escaped_newlines():
    """The answer's line breaks become backslash-n, and it reads back the same."""
    answer = "First line.\n\n- a **point**\n- math $x \\neq y$ stays"
    written = article_file(edited(answer=answer), SOURCE)
    assert changed_lines(written.data)[1] == [
        r"    First line.\n\n- a **point**\n- math $x \neq y$ stays"
    ]
    assert parse_article(written.data, path="a.md").answer == answer


def test_new_keywords_follow_the_kept_ones_in_the_files_order():
    """Keywords the file had keep its order and separator; new ones come after them."""
    written = article_file(edited(keywords=("quality", "new topic")), SOURCE)
    assert changed_lines(written.data) == (["    testing, quality"], ["    quality, new topic"])


def test_unknown_keys_and_key_order_are_kept_through_an_edit():
    """Keys the site does not use stay where they were; a removed link goes whole."""
    record = edited(title="A new title", related=edited().related[1:], no_index=False)
    written = article_file(record, SOURCE)
    text = written.data.decode()
    assert "custom_key: kept as written\n" in text
    assert "no_index" not in text
    assert "related_article1" not in text and "related_article2:\n    id: 8\n" in text
    keys = [line.split(":")[0] for line in text.split("\n") if line and line[0] not in " -&"]
    assert keys == [
        "_schema",
        "id",
        "date",
        "title",
        "article_title",
        "date_format",
        "post_on_text",
        "seo",
        "author",
        "question",
        "answer",
        "subject",
        "file_name",
        "url",
        "score",
        "related_article2",
        "custom_key",
    ]
    after = parse_article(written.data, path="a.md")
    assert (after.title, after.extra) == (
        "A new title",
        {"_schema": "default", "custom_key": "kept as written"},
    )


def test_a_new_link_goes_where_the_canonical_order_puts_it():
    """A link added at position 3 follows position 2, in the layout of the others."""
    link = RelatedRecord(3, None, "A: tricky title", "Biology", "/learn/biology/questions/dna")
    written = article_file(edited(related=(*edited().related, link)), SOURCE)
    text = written.data.decode()
    assert (
        "    url: /learn/computer-science/questions/what-is-a-bug\n"
        "related_article3:\n"
        "    title: >-\n"
        "        A: tricky title\n"
        "    subject: Biology\n"
        "    url: /learn/biology/questions/dna\n"
        "custom_key:"
    ) in text
    assert parse_article(written.data, path="a.md").related[-1] == link


def test_values_plain_yaml_would_misread_are_quoted():
    """A value YAML would read as another type or a comment is quoted, and reads back."""
    record = edited(
        author="yes", date_format="MMM #1: DD", score=1e20, published_on=datetime.date(2025, 1, 2)
    )
    written = article_file(record, SOURCE)
    text = written.data.decode()
    assert 'author: "yes"\n' in text and "date: 2025-01-02\n" in text
    after = parse_article(written.data, path="a.md")
    assert (after.author, after.date_format, after.score) == ("yes", "MMM #1: DD", 1e20)


def test_without_a_source_a_file_is_written_in_the_sites_layout():
    """No source: a new file in the canonical order and styles, which parses back."""
    record = edited(extra={})
    written = article_file(record, None)
    assert written.outcome == "new"
    assert written.data.decode().startswith("---\nid: 1\ndate: 2024-12-11\ntitle: >-\n    What")
    assert written.data.endswith(b"\n---\n\n&nbsp;")
    assert parse_article(written.data, path="a.md") == record


def test_an_answer_the_format_cannot_carry_is_refused():
    """A backslash and n of the answer's own would read back as a line break: refused."""
    with pytest.raises(WriteError, match="cannot carry its answer"):
        article_file(edited(answer=r"Type \n to start a new line."), SOURCE)


def test_a_moved_article_changes_its_url_subject_and_file_name():
    """A new subject and slug rewrite url, subject and file_name, and nothing else."""
    record = edited(
        subject_name="Biology",
        subject_slug="biology",
        slug="what-is-a-check",
        url="/learn/biology/questions/what-is-a-check",
        file_name="what-is-a-check.md",
    )
    assert changed_lines(article_file(record, SOURCE).data) == (
        [
            "subject: Computer Science",
            "file_name: what-is-a-test.md",
            "url: /learn/computer-science/questions/what-is-a-test",
        ],
        [
            "subject: Biology",
            "file_name: what-is-a-check.md",
            "url: /learn/biology/questions/what-is-a-check",
        ],
    )
