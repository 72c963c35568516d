"""python manage.py import_quicktakes PATH [PATH ...]"""

import sys

from django.core.management.base import BaseCommand, CommandError

from learn.editorial import import_and_record
from learn.importer import import_sources
from learn.models import ImportRun
from learn.sources import collect_paths, read_sources


class Command(BaseCommand):
    help = (
        "Import QuickTakes article files (Markdown with YAML front matter). PATH may be a "
        "file or a folder, searched recursively for *.md. Articles are upserted by URL; "
        "files already imported unchanged are skipped."
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
            files = collect_paths(paths)
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        if not files:
            raise CommandError(f"No *.md files found in {', '.join(paths)}.")

        progress = _Progress(self.stderr, len(files)) if verbosity >= 1 else None

        def on_file(name, outcome):
            if verbosity >= 2 and outcome != "failed":
                self.stdout.write(f"{outcome}: {name}")
            if progress:
                progress.step()
            elif verbosity >= 3:
                self.stdout.write(f"\r{on_file.count} of {len(files)}", ending="")
            on_file.count += 1

        on_file.count = 0
        sources = read_sources(files)
        if dry_run:
            # Only what was written is recorded as an import run.
            result = import_sources(sources, dry_run=True, expected=len(files), on_file=on_file)
        else:
            _, result = import_and_record(
                sources,
                origin=ImportRun.Origin.COMMAND,
                source=" ".join(map(str, paths)),
                expected=len(files),
                on_file=on_file,
            )
        if progress:
            progress.close()
        for failure in result.failed:
            self.stderr.write(str(failure))
        if verbosity >= 1:
            prefix = "Dry run, nothing written: " if dry_run else "Imported: "
            style = self.style.ERROR if result.failed else self.style.SUCCESS
            self.stdout.write(style(prefix + result.summary()))
        if result.failed:
            raise CommandError(f"{len(result.failed)} of {len(files)} files failed.", returncode=1)


class _Progress:
    """A one-line progress bar, drawn only when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, stream, total):
        self.stream = stream
        self.total = total
        self.done = 0
        self.enabled = stream.isatty() if hasattr(stream, "isatty") else sys.stderr.isatty()

    def step(self):
        self.done += 1
        if self.enabled and (self.done % 25 == 0 or self.done == self.total):
            filled = self.WIDTH * self.done // self.total
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total}", ending="")
            self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("")
