"""python manage.py import_quicktakes PATH [PATH ...]"""

import math
from time import monotonic

from django.core.management.base import BaseCommand, CommandError

from learn.import_runs import import_files
from learn.models import ImportRun
from learn.sources import import_roots, read_sources, survey


class Command(BaseCommand):
    help = (
        "Import QuickTakes article files (Markdown with YAML front matter). PATH may be a "
        "file or a folder, searched recursively for *.md. Articles are upserted by URL; "
        "files already imported unchanged are skipped, and so is a folder's README.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and report what would change, without writing anything",
        )

    def handle(self, *, paths, dry_run, verbosity, **options):
        try:
            roots = import_roots(paths)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        to_import, skipped = survey(roots)
        if not to_import and not skipped:
            raise CommandError(f"No *.md files found in {', '.join(paths)}.")

        progress = Progress(self.stdout, self.stderr, to_import, verbosity)
        _, result = import_files(
            read_sources(roots),
            origin=ImportRun.Origin.COMMAND,
            source=" ".join(map(str, paths)),
            dry_run=dry_run,
            skipped=skipped,
            expected=to_import,
            on_file=progress.file_done,
        )
        progress.close()
        for failure in result.failed:
            self.stderr.write(str(failure))
        if verbosity >= 1:
            for skip in skipped:
                self.stdout.write(str(skip))
            prefix = "Dry run, nothing written: " if dry_run else "Imported: "
            style = self.style.ERROR if result.failed else self.style.SUCCESS
            self.stdout.write(style(f"{prefix}{result.summary()}; {len(skipped)} skipped"))
        if result.failed:
            raise CommandError(f"{len(result.failed)} of {to_import} files failed.", returncode=1)


class Progress:
    """What the command says while it works, by verbosity (as loaddata does).

    1: a progress bar on stderr, only when it is a terminal, with the rate and the time
    left; 2: each file and its outcome; 3: also a running count.
    """

    BAR_WIDTH = 30
    # Seconds between two drawings of the bar: often enough to look alive, and a file
    # every millisecond or so does not pay for a write each.
    REDRAW_EVERY = 0.1

    def __init__(self, stdout, stderr, total, verbosity):
        self.stdout, self.stderr = stdout, stderr
        self.total, self.verbosity = total, verbosity
        self.done = 0
        self.bar = verbosity >= 1 and stderr.isatty()
        self.first_done = None
        self.drawn = -math.inf

    def file_done(self, name, outcome):
        self.done += 1
        if self.verbosity >= 2 and outcome != "failed":
            self.stdout.write(f"{outcome}: {name}")
        if self.verbosity >= 3:
            self.stdout.write(f"{self.done} of {self.total} files")
        if self.bar:
            now = monotonic()
            if self.first_done is None:
                self.first_done = now
            if now - self.drawn >= self.REDRAW_EVERY or self.done == self.total:
                self.drawn = now
                self.draw(now)

    def draw(self, now):
        filled = self.BAR_WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
        line = f"\r[{bar}] {self.done}/{self.total} files"
        # Timed from the first file done, not from the start: starting the worker
        # processes and preparing the first chunk says nothing of the time left.
        if now > self.first_done:
            rate = (self.done - 1) / (now - self.first_done)
            left = round((self.total - self.done) / rate)
            line += f", {rate:,.0f} files/s, {left // 60}:{left % 60:02} left"
        # BaseCommand draws stderr in the error colour; progress is no error.
        self.stderr.write(line, style_func=str, ending="")
        self.stderr.flush()

    def close(self):
        if self.bar and self.done:
            self.stderr.write("", style_func=str)
