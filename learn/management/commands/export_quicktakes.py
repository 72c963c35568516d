"""python manage.py export_quicktakes DIR [--since DATE] [--subject SLUG] [--dry-run]"""

import argparse
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learn.exporter import export_articles
from learn.models import Subject


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Write every article as DIR/<subject-slug>/<slug>.md in the source format (YAML "
        "front matter): an article not edited since its import as the very file it came "
        "from, an edited one with its edits in that file's key order and style."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="the folder to write into")
        parser.add_argument(
            "--since",
            type=iso_date,
            metavar="DATE",
            help="only articles changed on or after DATE (YYYY-MM-DD)",
        )
        parser.add_argument("--subject", metavar="SLUG", help="only the articles of one subject")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="report what would be written, without writing anything",
        )

    def handle(self, *, folder, since, subject, dry_run, verbosity, **options):
        folder = Path(folder)
        if subject is not None:
            try:
                subject = Subject.objects.get(slug=subject)
            except Subject.DoesNotExist:
                raise CommandError(f"No subject with the slug {subject!r}.") from None
        check_folder(folder, create=not dry_run)

        def file_done(path, outcome):
            if verbosity >= 2 and outcome != "failed":
                self.stdout.write(f"{outcome}: {path}")

        result = export_articles(
            folder, since=since, subject=subject, dry_run=dry_run, on_file=file_done
        )
        for failure in result.failed:
            self.stderr.write(str(failure))
        if verbosity >= 1:
            prefix = "Dry run, nothing written: " if dry_run else "Exported: "
            style = self.style.ERROR if result.failed else self.style.SUCCESS
            self.stdout.write(style(f"{prefix}{result.summary()}; into {folder}"))
        if result.failed:
            total = sum(result.counts.values()) + len(result.failed)
            raise CommandError(f"{len(result.failed)} of {total} articles failed.", returncode=1)


def check_folder(folder: Path, *, create: bool):
    """Refuse a folder the export cannot write into before writing anything."""
    if folder.exists() and not folder.is_dir():
        raise CommandError(f"{folder} is not a folder.")
    if not folder.exists():
        if not create:
            return
        try:
            folder.mkdir(parents=True)
        except OSError as error:
            raise CommandError(f"Cannot create {folder}: {error.strerror}.") from None
    try:
        probe = folder / ".export_quicktakes-probe"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise CommandError(f"Cannot write into {folder}: {error.strerror}.") from None
