"""What changed between two versions of an article's fields, as text: pure, no database.

An import keeps one for each updated file so that its run's page can show it: the
answer line by line (``difflib``'s unified diff), every other field as its old and new
value. Bounded, since a run may update a million files.
"""

import difflib

# A diff's length at most; the answers are under 16 KB, so a whole rewrite still shows.
MAX_DIFF_CHARS = 20_000


def field_changes(before: dict, after: dict, *, limit: int = MAX_DIFF_CHARS) -> str:
    """The fields that differ between ``before`` and ``after`` (same keys, in order):
    multi-line text as a unified diff, any other value as ``- old`` and ``+ new``
    lines; cut at ``limit`` characters, saying so. Empty when nothing differs."""
    parts = []
    for name, old in before.items():
        new = after[name]
        if old == new:
            continue
        if isinstance(old, str) and isinstance(new, str) and ("\n" in old or "\n" in new):
            lines = difflib.unified_diff(
                old.splitlines(), new.splitlines(), name, name, n=1, lineterm=""
            )
            parts.append("\n".join(lines))
        else:
            parts.append(f"{name}:\n- {old}\n+ {new}")
    text = "\n".join(parts)
    if len(text) > limit:
        text = text[:limit] + f"\n… (cut at {limit:,} characters)"
    return text


def diff_lines(text: str) -> list[tuple[str, str]]:
    """The lines of a :func:`field_changes` text, each with its kind for display:
    "header" (a field's name, a hunk), "removed", "added" or "context"."""
    lines = []
    for line in text.splitlines():
        if line.startswith(("--- ", "+++ ", "@@")) or (line.endswith(":") and " " not in line):
            kind = "header"
        elif line.startswith("-"):
            kind = "removed"
        elif line.startswith("+"):
            kind = "added"
        else:
            kind = "context"
        lines.append((kind, line))
    return lines
