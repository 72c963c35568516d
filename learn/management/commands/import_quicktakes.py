"""python manage.py import_quicktakes PATH [PATH ...]"""

from django.core.management.base import BaseCommand, CommandError

from learn.import_runs import import_files
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

        progress = Progress(self.stdout, self.stderr, len(files), verbosity)
        _, result = import_files(
            read_sources(files),
            origin=ImportRun.Origin.COMMAND,
            source=" ".join(map(str, paths)),
            dry_run=dry_run,
            expected=len(files),
            on_file=progress.file_done,
        )
        progress.close()
        for failure in result.failed:
            self.stderr.write(str(failure))
        if verbosity >= 1:
            prefix = "Dry run, nothing written: " if dry_run else "Imported: "
            style = self.style.ERROR if result.failed else self.style.SUCCESS
            self.stdout.write(style(prefix + result.summary()))
        if result.failed:
            raise CommandError(f"{len(result.failed)} of {len(files)} files failed.", returncode=1)


class Progress:
    """What the command says while it works, by verbosity (as loaddata does).

    1: a progress bar on stderr, only when it is a terminal; 2: each file and its
    outcome; 3: also a running count.
    """

    BAR_WIDTH = 30

    def __init__(self, stdout, stderr, total, verbosity):
        self.stdout, self.stderr = stdout, stderr
        self.total, self.verbosity = total, verbosity
        self.done = 0
        self.bar = verbosity >= 1 and stderr.isatty()

    def file_done(self, name, outcome):
        self.done += 1
        if self.verbosity >= 2 and outcome != "failed":
            self.stdout.write(f"{outcome}: {name}")
        if self.verbosity >= 3:
            self.stdout.write(f"{self.done} of {self.total} files")
        if self.bar and (self.done % 25 == 0 or self.done == self.total):
            filled = self.BAR_WIDTH * self.done // self.total
            bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
            self.stderr.write(f"\r[{bar}] {self.done}/{self.total}", ending="")
            self.stderr.flush()

    def close(self):
        if self.bar and self.done:
            self.stderr.write("")
