"""``migrate``, Django's own, which first loads the committed schema snapshot into a new SQLite
database (portal/territories/schema_snapshot.py): a fresh ``make demo`` and every new test
database start from the migrations' result in a second, and Django then applies whatever
migration came after the snapshot. Any other database, or a migrate of one app or to one
migration, is Django's migrate unchanged. ``PORTAL_SCHEMA_SNAPSHOT=0`` turns the snapshot off."""

from django.apps import apps
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from portal.territories import schema_snapshot


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        plain = not (
            options["app_label"]
            or options["migration_name"]
            or options["plan"]
            or options["check_unapplied"]
            or options["fake"]
            or options["prune"]
        )
        connection = connections[options["database"]]
        if plain and schema_snapshot.load_if_new(connection):
            executor = MigrationExecutor(connection)
            newer = executor.migration_plan(executor.loader.graph.leaf_nodes())
            if options["verbosity"] >= 1:
                self.stdout.write(
                    f"New database: loaded the schema snapshot ({schema_snapshot.SNAPSHOT.name}),"
                    f" {len(newer)} migration(s) after it to apply."
                )
            unmigrated_models = any(
                next(apps.get_app_config(label).get_models(), None)
                for label in executor.loader.unmigrated_apps
            )
            if not newer and not (options["run_syncdb"] and unmigrated_models):
                # Django's migrate would only rebuild the project state from every migration
                # (seconds) to send post_migrate, whose rows the snapshot already holds.
                return
        super().handle(*args, **options)
