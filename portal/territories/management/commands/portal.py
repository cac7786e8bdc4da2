"""``python manage.py portal check|build|list [SPEC…]``: the territory generator; and
``portal reset-two-factor EMAIL``: forget a staff member's lost second factor.

``portal seed-scale --territories N --services N --citizens N --orders N`` adds data for
measuring at scale (:mod:`portal.territories.scale`).

Specs are named by path (``sites/lecco.toml``) or by slug (``lecco``); none means every spec
in ``sites/``. Every spec is validated before anything is written: one broken spec and the
command writes nothing and exits non-zero, naming file and key of each error.
"""

import argparse
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.security.two_factor import reset_two_factor
from portal.territories.generator import BuildError, build
from portal.territories.models import Territory
from portal.territories.spec import load_all, spec_paths


class Command(BaseCommand):
    help = "Check, build or list the territorial portals described in sites/*.toml."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Validate specs without writing anything.")
        check.add_argument("specs", nargs="*")
        build_parser = sub.add_parser("build", help="Create or update the portals of the specs.")
        build_parser.add_argument("specs", nargs="*")
        build_parser.add_argument(
            "--dry-run", action="store_true", help="Print the plan; write nothing."
        )
        sub.add_parser("list", help="List the specs and the portals built from them.")
        scale = sub.add_parser(
            "seed-scale",
            help="Add portals, services, citizens and orders for measuring at scale "
            "(portal/territories/scale.py); re-runnable.",
        )
        for name, default in (
            ("territories", 50),
            ("services", 5000),
            ("citizens", 260000),
            ("orders", 200000),
        ):
            scale.add_argument(f"--{name}", type=int, default=default, metavar="N")
        reset = sub.add_parser(
            "reset-two-factor",
            help="Remove a user's authenticator app and recovery codes (a lost phone).",
        )
        reset.add_argument("email")
        for subparser in sub.choices.values():  # `portal build -v2` as well as `portal -v2 build`
            subparser.add_argument(
                "-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=argparse.SUPPRESS
            )

    def handle(self, *args, action, **options):
        if action == "list":
            return self.list_portals()
        if action == "seed-scale":
            return self.seed_scale(options)
        if action == "reset-two-factor":
            return self.reset_two_factor(options["email"])
        specs = self.validated(options["specs"])
        if action == "check":
            names = ", ".join(spec.slug for spec in specs)
            self.stdout.write(self.style.SUCCESS(f"{len(specs)} spec(s) valid: {names}"))
            return
        self.build(specs, dry_run=options["dry_run"])

    def validated(self, names):
        specs, errors = load_all(names)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors)} error(s) in the specs; nothing was written.")
        if not specs:
            looked = ", ".join(map(str, spec_paths(names))) or "sites/*.toml"
            raise CommandError(f"No spec found (looked for {looked}).")
        return specs

    def build(self, specs, dry_run: bool) -> None:
        verbose = self.verbosity >= 2 or dry_run
        quiet = self.verbosity == 0
        say = (lambda _msg: None) if quiet else self.stdout.write if verbose else self.progress
        results = []
        for number, spec in enumerate(specs, start=1):
            started = time.monotonic()
            if not quiet:
                self.stdout.write(f"[{number}/{len(specs)}] {spec.slug}: {spec.name}")
            try:
                result = build(spec, say=say, dry_run=dry_run)
            except BuildError as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(
                    f"{spec.slug} was not built; nothing of it was written."
                ) from exc
            elapsed = time.monotonic() - started
            if not quiet:
                self.stdout.write(f"    {result.summary} ({elapsed:.1f} s)")
            results.append(result)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: the plan above was not written."))
            return
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("\nPortals:"))
        for result in results:
            self.stdout.write(f"  {result.territory.name:<28} {'  '.join(result.urls)}")
        if results:
            self.stdout.write(f"  admin: {results[0].urls[0]}admin/ (on any portal's host)")

    def progress(self, message: str) -> None:
        if message.startswith("  ["):
            self.stdout.write(message)

    @property
    def verbosity(self) -> int:
        return getattr(self, "_verbosity", 1)

    def execute(self, *args, **options):
        self._verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)

    def list_portals(self) -> None:
        specs, errors = load_all()
        built = {t.slug: t for t in Territory.objects.prefetch_related("stockrecords")}
        row = "{:<12} {:<26} {:<8} {:<10} {:>8}  {}"
        self.stdout.write(row.format("slug", "name", "theme", "languages", "services", "status"))
        for spec in specs:
            territory = built.pop(spec.slug, None)
            services = len(territory.stockrecords.all()) if territory else 0
            status = "built" if territory else "not built"
            languages = ",".join(spec.languages)
            self.stdout.write(
                row.format(spec.slug, spec.name, spec.theme, languages, services, status)
            )
        for territory in built.values():
            self.stdout.write(row.format(territory.slug, territory.name, "", "", "", "no spec"))
        for error in errors:
            self.stderr.write(str(error))

    def seed_scale(self, options) -> None:
        from portal.territories.scale import seed_scale

        quiet = self.verbosity == 0

        def progress(what: str, done: int, total: int) -> None:
            if quiet:
                return
            width = 30
            filled = width * done // max(total, 1)
            self.stdout.write(
                f"\r  {what:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                ending="\n" if done >= total else "",
            )
            self.stdout.flush()

        started = time.monotonic()
        result = seed_scale(
            options["territories"],
            options["services"],
            options["citizens"],
            options["orders"],
            progress,
        )
        if not quiet:
            elapsed = time.monotonic() - started
            self.stdout.write(self.style.SUCCESS(f"{result.summary()} ({elapsed:.1f} s)"))

    def reset_two_factor(self, email: str) -> None:
        users = list(get_user_model().objects.filter(email__iexact=email.strip()))
        if len(users) != 1:
            found = "no user" if not users else f"{len(users)} users"
            raise CommandError(f"{found} with the e-mail address {email!r}; nothing was changed.")
        user = users[0]
        removed = reset_two_factor(user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Two-factor sign-in of {user.email} reset: {removed} device(s) removed. "
                "They add an authenticator app again at their next sign-in to the admin."
            )
        )
