import pytest

from learn.decoding import decode_answer

# The example files of DATA.md


def test_quadratic_equations_keep_neq_as_a_latex_command(corpus_answer):
    """ "$a \\neq 0$" keeps its backslash-n, not a line break before "eq"."""
    answer = decode_answer(
        corpus_answer("mathematics/explain-the-process-of-solving-quadratic-equations.md")
    )

    assert "and $a \\neq 0$. Here" in answer
    assert "(if $a \\neq 1$)" in answer
    assert "\neq" not in answer.replace("\\neq", "")
    assert answer.startswith("To solve quadratic equations")
    assert "\n\n$$\nax^2 + bx + c = 0\n$$\n\n" in answer


def test_pid_controller_display_math_starts_on_its_own_line(corpus_answer):
    """ "$$\\nu(t) = …\\n$$" is display math opening on a new line with u(t), not with nu."""
    answer = decode_answer(
        corpus_answer("engineering/what-is-the-structure-of-a-pid-controller.md")
    )

    assert "as:\n\n$$\nu(t) = K_{\\text{p}} e(t)" in answer
    assert "+ u_0\n$$\n\nWhere:\n- \\( u(t) \\) is" in answer


def test_while_loop_keeps_the_c_escape_inside_its_code(corpus_answer):
    """printf("%d\\n", i) keeps its escape while the code around it gets its real lines."""
    answer = decode_answer(
        corpus_answer("computer-science/how-do-while-loops-function-in-c-programming.md")
    )

    assert (
        "```c\n#include <stdio.h>\n\nint main() {\n    int i = 0;\n    \n"
        '    while (i < 5) {\n        printf("%d\\n", i);\n        i++;'
    ) in answer


def test_linear_system_row_breaks_end_their_lines(corpus_answer):
    """A LaTeX row break "\\\\" right before "\\n" stays a row break followed by a new line."""
    answer = decode_answer(
        corpus_answer("mathematics/how-do-you-solve-a-system-of-linear-equations.md")
    )

    assert (
        "$$\n\\begin{align*}\nx + 2y &= 8 \\quad (1) \\\\\n"
        "3x - y &= 5 \\quad (2)\n\\end{align*}\n$$"
    ) in answer


# Decoding


def test_decoding_turns_escapes_in_text_into_newlines():
    """Outside math and code every backslash-n is a line break, before any letter."""
    assert decode_answer(r"Intro.\n\n### Heading\nnext\nuse\n- item") == (
        "Intro.\n\n### Heading\nnext\nuse\n- item"
    )


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        (r"$\nabla f$ and \(\neg p\)", r"$\nabla f$ and \(\neg p\)"),
        (r"$$\nabla^2 \phi = 0$$", r"$$\nabla^2 \phi = 0$$"),
        (r"$$\n   \nabla \cdot E\n   $$", "$$\n   \\nabla \\cdot E\n   $$"),
        (r"$$\nx + \nu_e\n$$", "$$\nx + \\nu_e\n$$"),
        (r"$x \\\nu = 1$", "$x \\\\\nu = 1$"),
        (r"$$\nu(t)$$", r"$$\nu(t)$$"),
    ],
)
def test_decoding_keeps_latex_commands_that_begin_with_n(raw, decoded):
    """Inside math "\\n" before an n-command's name is that command, unless it opens a line."""
    assert decode_answer(raw) == decoded


@pytest.mark.parametrize(
    "command",
    [
        # One of each source: LaTeX, amsmath, amssymb (the three).
        "normalsize",
        "nobreakdash",
        "notag",
        "ncong",
        "nleqslant",
        "ngeqq",
        "ntrianglerighteq",
        "nVDash",
    ],
)
def test_decoding_keeps_every_n_command_of_latex_amsmath_and_amssymb(command):
    """\ncong, \nleqslant, \normalsize… inside math stay commands, not a newline and text."""
    raw = f"Text\\n$a \\{command} b$ and $$\\{command}$$"

    assert decode_answer(raw) == f"Text\n$a \\{command} b$ and $$\\{command}$$"


def test_decoding_keeps_an_unknown_n_command_inside_math():
    """An unknown "\\n<letters>" inside math is kept whole (fail safe), never split."""
    assert decode_answer(r"$a \nfoo b$ \(\nbar\)") == r"$a \nfoo b$ \(\nbar\)"


def test_decoding_starts_a_line_after_an_environment_opens():
    """After "\\begin{align*}" a word that is no command starts the next line."""
    raw = r"$$\n\begin{align*}\nx + 2y &= 8 \\\n3x &= 5\n\end{align*}\n$$"

    assert decode_answer(raw) == (
        "$$\n\\begin{align*}\nx + 2y &= 8 \\\\\n3x &= 5\n\\end{align*}\n$$"
    )
    # A command there is still a command.
    assert decode_answer(r"$\begin{cases}\nu & 1\end{cases}$") == (
        r"$\begin{cases}\nu & 1\end{cases}$"
    )


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        (r'```python\nprint("a\nb")\nx = 1\n```', '```python\nprint("a\\nb")\nx = 1\n```'),
        (r"```c\nputchar('\n');\n```", "```c\nputchar('\\n');\n```"),
        (r"```python\n# don't stop\nx = 'a'\n```", "```python\n# don't stop\nx = 'a'\n```"),
        (
            r'```python\ndef f():\n    """Doc.\n    more"""\n```',
            '```python\ndef f():\n    """Doc.\n    more"""\n```',
        ),
    ],
)
def test_decoding_keeps_c_escapes_in_code_strings(raw, decoded):
    """In code "\\n" inside a one-line string literal is an escape; elsewhere it ends a line."""
    assert decode_answer(raw) == decoded


def test_decoding_keeps_inline_code_as_written():
    """A backslash-n inside an inline code span is the code's own escape."""
    assert decode_answer(r'Call `printf("\n")`, then `\n`.\nNext') == (
        'Call `printf("\\n")`, then `\\n`.\nNext'
    )


def test_decoding_already_decoded_markdown_changes_nothing():
    """An answer typed with real newlines in the admin comes back unchanged."""
    markdown = (
        "Intro with $a \\neq b$ and costs $5.\n\n$$\nu(t) = 1\n$$\n\n"
        '```c\nprintf("%d\\n", i);\n```\n\n- one\n- two\n'
    )

    assert decode_answer(markdown) == markdown


# The whole corpus


@pytest.fixture(scope="module")
def decoded_corpus(corpus, corpus_answer):
    """Every corpus answer by file name, decoded."""
    return {
        str(path.relative_to(corpus)): decode_answer(corpus_answer(path.relative_to(corpus)))
        for path in sorted(corpus.glob("*/*.md"))
    }


def test_decoding_corpus_answers_twice_changes_nothing(decoded_corpus):
    """Decoding is idempotent on the corpus, so re-saving decoded text cannot corrupt it."""
    changed = [
        name for name, decoded in decoded_corpus.items() if decode_answer(decoded) != decoded
    ]

    assert len(decoded_corpus) == 3000
    assert changed == []
