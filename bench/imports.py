"""Import timings for `make bench`: the import itself, without the interpreter's start.

``python -m bench.imports PATH [--without-revisions]`` imports PATH into the configured
database and prints "files seconds recording": the files walked, the seconds import_files() took
and the seconds of those spent recording the articles' revisions (learn.history);
``--without-revisions`` leaves the revisions out, to measure what they cost.
``copies(files, n, folder)`` writes n copies of the sample under other subjects, URLs
and keywords, so that memory can be measured at ten times N.
"""

import re
import sys
import time
from pathlib import Path

COPY_SUBJECT = re.compile(r"^(\s*subject: )(.+)$", re.MULTILINE)
COPY_URL = re.compile(r"/learn/([a-z0-9-]+)/questions/")
COPY_KEYWORDS = re.compile(r"(page_keywords: >-\n\s+)(.+)")


def copies(files: list[Path], n: int, folder: Path) -> int:
    """Write n copies of each file, copy k under "<subject> k"; returns the files written."""
    written = 0
    for k in range(1, n + 1):
        for path in files:
            target = folder / str(k) / path.parent.name / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(copy_text(path.read_text(encoding="utf-8"), k), encoding="utf-8")
            written += 1
    return written


def copy_text(text: str, k: int) -> str:
    text = COPY_SUBJECT.sub(lambda m: f"{m[1]}{m[2]} {k}", text)
    text = COPY_URL.sub(lambda m: f"/learn/{m[1]}-{k}/questions/", text)
    # Keywords of their own, as a real corpus ten times larger has more topics.
    return COPY_KEYWORDS.sub(
        lambda m: m[1] + ", ".join(f"{word} {k}" for word in m[2].split(", ")), text
    )


def main(path: str, without_revisions: bool = False):
    import django

    django.setup()
    from learn import history
    from learn.import_runs import import_files

    recording = [0.0]
    if without_revisions:
        history.record = lambda *args, **kwargs: []
    else:
        record = history.record

        def timed_record(*args, **kwargs):
            start = time.perf_counter()
            try:
                return record(*args, **kwargs)
            finally:
                recording[0] += time.perf_counter() - start

        history.record = timed_record
    from learn.models import ImportRun
    from learn.sources import import_roots, read_sources, survey

    roots = import_roots([path])
    count, _ = survey(roots)
    start = time.perf_counter()
    _, result = import_files(
        read_sources(roots), origin=ImportRun.Origin.COMMAND, source=path, expected=count
    )
    elapsed = time.perf_counter() - start
    if result.failed:
        sys.exit(f"bench: {len(result.failed)} files failed, first: {result.failed[0]}")
    print(count, elapsed, recording[0])


if __name__ == "__main__":
    main(sys.argv[1], without_revisions="--without-revisions" in sys.argv[2:])
