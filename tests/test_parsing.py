import datetime
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from learn.parsing import (
    MAX_ANSWER_CHARS,
    ArticleRecord,
    ParseError,
    RelatedRecord,
    check_text,
    parse_article,
    single_line,
    subject_slug,
    well_cased_subject_name,
)
from tests.folders import FIXTURES
from tests.pathological import SHAPES

# fixtures/ holds the seed document byte for byte.
SEED = FIXTURES / "computer-science" / "how-do-open-source-models-contribute-to-ai-engineering.md"
ARTICLE = (Path(__file__).parent / "data" / "parsing" / "article.md").read_text(encoding="utf-8")


def article(changes: dict[int, str | None] | None = None) -> bytes:
    """The sample article's bytes with lines (numbered from 1) replaced, or deleted by None."""
    lines = ARTICLE.split("\n")
    for number, text in sorted((changes or {}).items(), reverse=True):
        lines[number - 1 : number] = [] if text is None else [text]
    return "\n".join(lines).encode()


def parse_error(data: bytes, **options) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_article(data, path="fixtures/x.md", **options)
    return caught.value


def test_sample_article_parses_to_its_record():
    """The hand-written sample gives every mapped field, typed and cleaned."""
    record = parse_article(article(), path="fixtures/x.md")

    assert record == ArticleRecord(
        source_id=42,
        url="/learn/computer-science/questions/what-is-a-unit-test",
        subject_name="Computer science",
        subject_slug="computer-science",
        slug="what-is-a-unit-test",
        title="What is a unit test?",
        question="What is a unit test?",
        answer="A unit test checks **one** unit.\n\nIt runs fast.",
        seo_title="QuickTakes | Computer science",
        seo_description="What a unit test checks, and why it runs fast.",
        keywords=("unit tests", "testing", "pytest"),
        author="QuickTakes",
        published_on=datetime.date(2024, 12, 11),
        date_format="MMM DD, YYYY",
        posted_on_text="Posted on",
        score=-1.0,
        no_index=False,
        file_name="what-is-a-unit-test.md",
        related=(
            RelatedRecord(
                position=2,
                source_id=7,
                title="What is pytest?",
                subject="Computer Science",
                url="/learn/computer-science/questions/what-is-pytest",
            ),
        ),
        extra={"_schema": "default"},
    )


def test_seed_file_parses_to_expected_record():
    """The document the project was created from parses to its known values."""
    record = parse_article(SEED.read_bytes(), path=SEED.name)

    assert record.source_id == 118547
    assert record.published_on == datetime.date(2024, 12, 11)
    assert record.title == record.question
    assert record.title == "How do open source models contribute to AI engineering?"
    assert (record.subject_name, record.subject_slug) == ("Computer Science", "computer-science")
    assert record.slug == "how-do-open-source-models-contribute-to-ai-engineering"
    assert record.url == f"/learn/computer-science/questions/{record.slug}"
    assert record.file_name == f"{record.slug}.md"
    assert record.answer.startswith("Open-source models significantly contribute")
    assert "several ways:\n\n1. **Transparency and Collaboration**:" in record.answer
    assert "\\n" not in record.answer
    assert record.seo_title == "QuickTakes | Computer Science"
    assert record.seo_description.startswith("Open source models contribute significantly")
    assert record.keywords == (
        "open source models",
        "AI engineering",
        "transparency",
        "collaboration",
        "cost-effectiveness",
        "rapid development",
        "community support",
        "democratization",
        "innovation",
        "experimentation",
    )
    assert (record.author, record.date_format, record.posted_on_text) == (
        "QuickTakes",
        "MMM DD, YYYY",
        "Posted on",
    )
    assert record.score == -1.0
    assert record.no_index is False
    assert [link.position for link in record.related] == [1, 2, 3, 4, 5]
    assert [link.source_id for link in record.related] == [118534, 118536, 118557, 118554, 118540]
    assert record.related[1] == RelatedRecord(
        position=2,
        source_id=118536,
        title="How has Scrimba developed over the years?",
        subject="Education Studies",
        url="/learn/education-studies/questions/how-has-scrimba-developed-over-the-years",
    )
    assert record.extra == {"_schema": "default"}


@pytest.mark.slow
def test_every_corpus_file_parses(corpus):
    """All 3,000 corpus files parse, each URL is unique and 44 subject spellings give 40 slugs."""
    paths = sorted(corpus.glob("*/*.md"))
    records, failures = [], []
    for path in paths:
        try:
            records.append(parse_article(path.read_bytes(), path=str(path)))
        except ParseError as error:
            failures.append(str(error))

    assert failures == []
    assert len(records) == 3000
    assert len({record.url for record in records}) == 3000
    assert all(record.url.endswith(f"/{Path(record.file_name).stem}") for record in records)
    assert len({record.subject_name for record in records}) == 44
    assert len({record.subject_slug for record in records}) == 40
    assert sum(record.no_index for record in records) == 3
    assert sum(len(record.related) for record in records) == 7710


def test_corpus_readme_fails_with_no_front_matter(corpus):
    """The corpus README, met by an importer walking the folder, fails on line 1."""
    error = parse_error((corpus / "README.md").read_bytes())

    assert error.line == 1
    assert error.message.startswith("no front matter")


def test_corpus_keywords_keep_commas_between_digits(corpus):
    """Real keywords with commas between digits stay whole."""
    chemistry = (
        corpus / "chemistry/what-is-the-structural-difference-between-cellulose-and-starch.md"
    )
    economics = (
        corpus
        / "economics/what-is-the-allocation-for-the-defence-ministry-in-the-union-budget-2024.md"
    )

    assert "β-1,4-glycosidic bonds" in parse_article(chemistry.read_bytes()).keywords
    assert "6,21,940 crore" in parse_article(economics.read_bytes()).keywords


def test_parse_error_formats_path_and_line():
    """A ParseError reads `path:line: message`, or `path: message` without a line."""
    assert str(ParseError("fixtures/x.md", 14, "'id' must be an integer, got 'abc'")) == (
        "fixtures/x.md:14: 'id' must be an integer, got 'abc'"
    )
    assert str(ParseError("fixtures/x.md", None, "too big")) == "fixtures/x.md: too big"


def test_parse_error_survives_pickling():
    """A ParseError keeps its path, line and message across processes."""
    error = pickle.loads(pickle.dumps(ParseError("x.md", 3, "bad")))

    assert (error.path, error.line, error.message, str(error)) == ("x.md", 3, "bad", "x.md:3: bad")


def test_file_over_max_bytes_fails_before_decoding():
    """A file larger than max_bytes fails without a line, even if it is not UTF-8."""
    error = parse_error(b"\xff" * 101, max_bytes=100)

    assert error.line is None
    assert error.message == "file is 101 bytes, over the limit of 100"
    assert str(error) == "fixtures/x.md: file is 101 bytes, over the limit of 100"


def test_invalid_utf8_names_the_line_of_the_bad_byte():
    """Bytes that are not UTF-8 fail at the line where the first bad byte is."""
    data = article().replace(b"QuickTakes\nquestion", b"Quick\xffTakes\nquestion")

    error = parse_error(data)

    assert (error.line, error.message) == (17, "not valid UTF-8 (byte 0xff)")


def test_bom_and_crlf_give_the_same_record():
    """A UTF-8 byte order mark and CRLF line endings are tolerated."""
    data = b"\xef\xbb\xbf" + article().replace(b"\n", b"\r\n")

    assert parse_article(data) == parse_article(article())


def test_crlf_keeps_error_lines():
    """Errors in a CRLF file name the same line as in an LF file."""
    data = article({3: "id: abc"}).replace(b"\n", b"\r\n")

    assert parse_error(data).line == 3


def test_body_after_front_matter_is_ignored():
    """The body is ignored, and the closing line may have trailing blanks or end the file."""
    with_body = article().replace(b"&nbsp;", b"# Not: [valid yaml")
    without_body = article().split(b"\n---\n")[0] + b"\n---"
    padded_closing = article({32: "--- \t"})

    assert parse_article(with_body) == parse_article(article())
    assert parse_article(without_body) == parse_article(article())
    assert parse_article(padded_closing) == parse_article(article())


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"# Notes\n\nNo front matter here.\n", 1, "no front matter"),
        (b"", 1, "no front matter"),
        (b"--- title: x\n---\n", 1, "no front matter"),
        (article({32: None}), 1, "front matter is not closed"),
        (b"---", 1, "front matter is not closed"),
        (b"---\n---\n", 2, "front matter is empty"),
        (b"---\n- a\n- b\n---\n", 2, "front matter must be a mapping, got a list"),
    ],
)
def test_missing_or_unclosed_front_matter_fails(data, line, message):
    """A file without an opening and a closing `---` line, or without a mapping, fails."""
    error = parse_error(data)

    assert error.line == line
    assert error.message.startswith(message)


@pytest.mark.parametrize(
    ("changes", "line", "message"),
    [
        (
            {17: "author: Quick: Takes"},
            17,
            "invalid YAML: mapping values are not allowed in this context",
        ),
        (
            {12: "  title: [QuickTakes"},
            13,
            "invalid YAML: did not find expected ',' or ']' "
            "(while parsing a flow sequence at line 12)",
        ),
        ({17: "author: Quick\x07Takes"}, 17, "invalid YAML: control characters are not allowed"),
        ({3: "id: !!int 42"}, 3, "YAML tags are not allowed (!!int)"),
        ({17: "author: !!str 7"}, 17, "YAML tags are not allowed (!!str)"),
        (
            {2: "_schema: !!python/object/apply:os.system [ls]"},
            2,
            "YAML tags are not allowed (!!python/object/apply:os.system)",
        ),
        ({17: "author: !person QuickTakes"}, 17, "YAML tags are not allowed (!person)"),
        ({5: "title: &question >-"}, 5, "YAML anchors are not allowed (&question)"),
        ({7: "article_title: *question", 8: None}, 7, "YAML aliases are not allowed (*question)"),
        ({2: "<<: {a: 1}"}, 2, "'<<' has a special meaning in YAML: quote it"),
        ({2: "1: default"}, 2, "keys must be strings, got 1"),
        ({2: "_schema: " + "[" * 25 + "]" * 25}, 2, "front matter nests deeper than 20 levels"),
        ({4: "date: 2024-02-30"}, 4, "cannot read '2024-02-30': day is out of range for month"),
        (
            {25: "score: -1.0\n...\n--- second"},
            27,
            "front matter holds more than one YAML document",
        ),
    ],
)
def test_yaml_outside_the_safe_subset_fails_at_its_line(changes, line, message):
    """YAML syntax errors, tags, anchors, aliases and non-string keys fail at their file line."""
    error = parse_error(article(changes))

    assert (error.line, error.message) == (line, message)


@pytest.mark.parametrize(
    ("changes", "line", "message"),
    [
        ({25: "score: -1.0\ntitle: Again"}, 26, "duplicate key 'title' (first on line 5)"),
        ({12: "  title: A\n  title: B"}, 13, "duplicate key 'title' (first on line 12)"),
        ({30: "    subject: A\n    subject: B"}, 31, "duplicate key 'subject' (first on line 30)"),
    ],
)
def test_duplicate_keys_fail_naming_the_key_and_both_lines(changes, line, message):
    """A key given twice in one mapping fails at its second line, naming the first."""
    error = parse_error(article(changes))

    assert (error.line, error.message) == (line, message)


@pytest.mark.parametrize(
    ("changes", "line", "message"),
    [
        ({3: "id: abc"}, 3, "'id' must be an integer, got 'abc'"),
        ({3: "id: true"}, 3, "'id' must be an integer, got True"),
        ({3: "id: 4.2"}, 3, "'id' must be an integer, got 4.2"),
        ({3: None}, None, "missing required key 'id'"),
        ({4: "date: 12/11/2024"}, 4, "'date' must be a date (YYYY-MM-DD), got '12/11/2024'"),
        (
            {4: "date: 2024-12-11 10:30:00"},
            4,
            "'date' must be a date (YYYY-MM-DD), got 2024-12-11 10:30:00",
        ),
        (
            {4: "date: '2024-02-30'"},
            4,
            "'date' is not a valid date: day is out of range for month",
        ),
        ({5: 'title: "  "', 6: None}, 5, "'title' must not be empty"),
        ({5: "title:", 6: None}, 5, "'title' must be a string, got an empty value"),
        ({18: None, 19: None}, None, "missing required key 'question'"),
        ({20: "answer: [a, b]", 21: None}, 20, "'answer' must be a string, got a list"),
        ({20: "answer: ''", 21: None}, 20, "'answer' must not be empty"),
        ({22: "subject: 42"}, 22, "'subject' must be a string, got 42"),
        ({22: "subject: '!!!'"}, 22, "'subject' must contain letters or digits, got '!!!'"),
        (
            {11: "seo: QuickTakes", 12: None, 13: None, 14: None, 15: None, 16: None},
            11,
            "'seo' must be a mapping, got 'QuickTakes'",
        ),
        ({15: None, 16: None}, 11, "missing required key 'seo.page_keywords'"),
        ({12: "  title: [QuickTakes]"}, 12, "'seo.title' must be a string, got a list"),
        ({17: "author: 7"}, 17, "'author' must be a string, got 7"),
        ({23: None}, None, "missing required key 'file_name'"),
        ({25: "score: high"}, 25, "'score' must be a number, got 'high'"),
        ({25: "score: .nan"}, 25, "'score' must be a finite number, got nan"),
        ({25: "no_index: maybe"}, 25, "'no_index' must be true or false, got 'maybe'"),
        (
            {26: "related_article2: oops", 27: None, 28: None, 29: None, 30: None, 31: None},
            26,
            "'related_article2' must be a mapping, got 'oops'",
        ),
        ({27: "    id: seven"}, 27, "'related_article2.id' must be an integer, got 'seven'"),
        ({31: None}, 26, "missing required key 'related_article2.url'"),
        (
            {31: "    url: /learn/computer-science/what-is-pytest"},
            31,
            "'related_article2.url' must look like /learn/<subject>/questions/<slug>, "
            "got '/learn/computer-science/what-is-pytest'",
        ),
    ],
)
def test_wrong_or_missing_values_fail_naming_the_key_and_line(changes, line, message):
    """A required key that is missing or of the wrong type fails naming the key and its line."""
    error = parse_error(article(changes))

    assert (error.line, error.message) == (line, message)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "/learn/computer-science/questions/what-is-a-unit-test/",
            "'url' must look like /learn/<subject>/questions/<slug>, "
            "got '/learn/computer-science/questions/what-is-a-unit-test/'",
        ),
        (
            "/learn/computer-science/questions/What_Is",
            "'url' has an invalid slug 'What_Is': use lowercase letters, digits and hyphens",
        ),
        (
            "/learn/mathematics/questions/what-is-a-unit-test",
            "'url' subject segment 'mathematics' does not match subject 'Computer science' "
            "(expected 'computer-science')",
        ),
        (
            "/learn/computer-science/questions/" + "a" * 1001,
            "'url' has a slug of 1001 characters, over 1000",
        ),
    ],
)
def test_url_must_be_learn_subject_questions_slug(url, message):
    """The URL must be /learn/<subject slug>/questions/<slug> with a valid slug."""
    error = parse_error(article({24: f"url: {url}"}))

    assert (error.line, error.message) == (24, message)


@pytest.mark.parametrize("slug", ["na--k-pump", "a" * 200, "2024-union-budget"])
def test_url_slug_may_have_double_hyphens_and_200_characters(slug):
    """The slug is the URL's last segment, double hyphens and all."""
    record = parse_article(article({24: f"url: /learn/computer-science/questions/{slug}"}))

    assert record.slug == slug


def test_quoted_iso_date_is_accepted():
    """A date written as a quoted ISO string is read as a date."""
    record = parse_article(article({4: "date: '2025-03-20'"}))

    assert record.published_on == datetime.date(2025, 3, 20)


def test_optional_keys_take_their_defaults():
    """Missing score, no_index, related links, date_format and post_on_text take defaults."""
    record = parse_article(
        article({9: None, 10: None, 25: "related_article1:", **dict.fromkeys(range(26, 32))})
    )

    assert record.score is None
    assert record.no_index is False
    assert record.related == ()
    assert (record.date_format, record.posted_on_text) == ("MMM DD, YYYY", "Posted on")


def test_values_are_typed():
    """An integer score becomes a float, `True` sets no_index, and a related id may be absent."""
    record = parse_article(article({25: "score: 3\nno_index: True", 27: None}))

    assert record.score == 3.0
    assert isinstance(record.score, float)
    assert record.no_index is True
    assert record.related[0].source_id is None


def test_negative_ids_are_kept():
    """Negative ids, which one corpus subject uses, are valid integers."""
    record = parse_article(article({3: "id: -13", 27: "    id: -2"}))

    assert (record.source_id, record.related[0].source_id) == (-13, -2)


def test_unknown_keys_land_in_extra_as_json():
    """Keys that are not mapped, at any level, are kept in extra with dates as ISO strings."""
    changes = {
        7: "article_title: >-",
        8: "    What is a unit test, really?",
        16: "    unit tests\n  og_image: /img/test.png",
        25: "score: -1.0\nupdated: 2025-01-02\ntags:\n  - a\n  - {b: 2024-12-31}",
        31: "    url: /learn/computer-science/questions/what-is-pytest\n    weight: 2",
    }

    extra = parse_article(article(changes)).extra

    assert extra == {
        "_schema": "default",
        "updated": "2025-01-02",
        "tags": ["a", {"b": "2024-12-31"}],
        "article_title": "What is a unit test, really?",
        "seo": {"og_image": "/img/test.png"},
        "related_article2": {"weight": 2},
    }
    assert type(extra["tags"][1]) is dict
    assert json.loads(json.dumps(extra)) == extra


def test_answer_escapes_become_newlines():
    """The answer's escaped newlines between plain prose become real newlines."""
    record = parse_article(article({21: r"    First.\nSecond.\n\n- item\n- item"}))

    assert record.answer == "First.\nSecond.\n\n- item\n- item"


def test_subject_spellings_give_one_slug():
    """Two spellings of one subject give one subject slug and keep their own display names."""
    upper = parse_article(article({22: "subject: Computer Science"}))
    lower = parse_article(article({22: "subject: Computer  science "}))

    assert upper.subject_slug == lower.subject_slug == "computer-science"
    assert (upper.subject_name, lower.subject_name) == ("Computer Science", "Computer science")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Computer Science", "computer-science"),
        ("Computer science", "computer-science"),
        ("History of the World", "history-of-the-world"),
        ("Criminal or Civil Law", "criminal-or-civil-law"),
    ],
)
def test_subject_slug(name, slug):
    """A subject's slug is its slugified name."""
    assert subject_slug(name) == slug


@pytest.mark.parametrize(
    ("name", "well_cased"),
    [
        ("Computer science", "Computer Science"),
        ("history of the world", "History of the World"),
        ("Bachelor Of Laws", "Bachelor of Laws"),
        ("criminal or civil law", "Criminal or Civil Law"),
        ("the arts and humanities", "The Arts and Humanities"),
        ("AI engineering", "AI Engineering"),
        ("iOS  development", "iOS Development"),
        ("Philosophy and Greek Myths", "Philosophy and Greek Myths"),
    ],
)
def test_well_cased_subject_name(name, well_cased):
    """New subject names are title-cased, with small words lower-case and acronyms kept."""
    assert well_cased_subject_name(name) == well_cased
    assert subject_slug(well_cased) == subject_slug(name)


def test_check_text_and_single_line():
    """Text is stripped and must not be empty; names collapse to one line."""
    assert check_text("  x ") == "x"
    with pytest.raises(ValueError, match="must not be empty"):
        check_text(" \n ")
    assert single_line(" Earth \n  Science ") == "Earth Science"


def test_parsing_loads_the_decoder_without_the_markdown_renderer():
    """Parsing a file needs the answer's source format, not Markdown, MathML or Pygments."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, learn.parsing; print(' '.join(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout.split()

    assert "learn.decoding" in loaded
    assert not {
        "learn.rendering",
        "learn.temml",
        "markdown_it",
        "pygments",
        "py_mini_racer",
    } & set(loaded)


@pytest.mark.parametrize("shape", ["[", "*", "`", "$", ">", "- "])
def test_answer_over_the_limit_is_refused_naming_the_file(shape):
    """A million-character hostile answer is refused before rendering, at its key's line."""
    answer = SHAPES[shape](1_040_000).replace("'", "''")
    error = parse_error(article({20: f"answer: '{answer}'", 21: None}), max_bytes=2_000_000)
    assert error.path == "fixtures/x.md"
    assert error.line == 20
    assert error.message.startswith("'answer' is ")
    assert error.message.endswith(f"characters long, over the limit of {MAX_ANSWER_CHARS}")


def test_answer_at_the_limit_is_accepted():
    """An answer of exactly MAX_ANSWER_CHARS characters parses."""
    record = parse_article(article({20: f"answer: '{'a' * MAX_ANSWER_CHARS}'", 21: None}))
    assert len(record.answer) == MAX_ANSWER_CHARS
