"""``python manage.py schema [--check]``: write (or check) the SQLite schema snapshot that
``migrate`` loads into a new database (portal/territories/schema_snapshot.py). Both migrate a
scratch database one migration at a time, which takes a minute or two."""

from django.core.management.base import BaseCommand, CommandError

from portal.territories import schema_snapshot


class Command(BaseCommand):
    help = "Write the SQLite schema snapshot from the migrations, or --check it for drift."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; exit 1 if the snapshot differs from what the migrations produce",
        )

    def handle(self, *args, check=False, **options):
        actual = schema_snapshot.migrated_from_scratch()
        path = schema_snapshot.SNAPSHOT
        if check:
            expected = path.read_text(encoding="utf-8") if path.exists() else ""
            if expected != actual:
                lines = schema_snapshot.differences(expected, actual)
                raise CommandError(
                    f"{path.name} differs from what the migrations produce: "
                    "run `make schema` and commit it.\n" + "\n".join(lines)
                )
            self.stdout.write(f"{path.name} is what the migrations produce.")
            return
        path.write_text(actual, encoding="utf-8")
        self.stdout.write(f"Wrote {path} ({len(actual.splitlines())} statements).")
