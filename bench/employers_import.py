"""Employer welfare at scale: import a CSV of N employees (default 20,000) and credit them all.

    .venv/bin/python bench/employers_import.py [N] [--keep]

On the local SQLite database (`make db` first), with the bench settings. Prints the wall time
of the preview, of the import and of crediting every employee (one ledger transfer each),
and the process's peak memory (ru_maxrss). Everything is rolled back at the end unless
--keep. Then it imports the same file again (nothing changes) and credits again (nobody twice).
"""

import os
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from portal.employers import funding, imports  # noqa: E402
from portal.employers.models import EmployeeWallet, WelfarePlan  # noqa: E402
from portal.ledger.models import Transfer  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generated_csv(n: int) -> str:
    rows = ["nome,codice_fiscale,email,qualifica,data_inizio"]
    letters = "ABCDEFGHILMNOPRSTUVZ"
    for i in range(n):
        a, b, c = letters[i % 20], letters[(i // 20) % 20], letters[(i // 400) % 20]
        code = imports.with_check(f"BNC{a}{b}{c}{80 + i % 20:02d}A{1 + i % 28:02d}H{i % 1000:03d}")
        rows.append(
            f"Persona {i},{code},persona.{i}@bench.example,"
            f"{('impiegato', 'quadro', 'operaio')[i % 3]},01/0{1 + i % 9}/2020"
        )
    return "\n".join(rows) + "\n"


class Rollback(Exception):
    pass


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), 20000))
    keep = "--keep" in sys.argv
    text = generated_csv(n)
    start_mb = peak_mb()
    print(f"{n} employees, CSV {len(text) / 1e6:.1f} MB; memory after start-up {start_mb:.0f} MB")
    try:
        with transaction.atomic():
            employer = funding.create_employer(slug=f"bench-{n}", name="Bench S.p.A.")
            plan = WelfarePlan.objects.create(
                employer=employer, year=2026, title="Bench", credit=Decimal("500.00"),
                credit_by_grade={"impiegato": "500.00", "quadro": "800.00", "operaio": "500.00"},
                categories=["f", "f-bis", "f-ter"], ends_on=date(2026, 12, 31),
            )  # fmt: skip
            t0 = time.monotonic()
            shown = imports.preview(employer, text)
            t1 = time.monotonic()
            assert shown.ok, shown.bad_rows[:3]
            done = imports.apply(employer, text)
            t2 = time.monotonic()
            funding.record_funding(employer, Decimal(n * 800), reference="BENCH", day=date.today())
            result = funding.credit_all(
                plan, progress=lambda d, t: print(f"\r  credit {d}/{t}", end="", flush=True)
            )
            t3 = time.monotonic()
            print()
            again = imports.apply(employer, text)
            repeat = funding.credit_all(plan)
            t4 = time.monotonic()
            transfers = Transfer.objects.filter(
                kind=funding.CREDIT_KIND, reference=f"bench-{n}:2026"
            )
            print(f"preview            {t1 - t0:6.1f} s")
            print(f"import (apply)     {t2 - t1:6.1f} s  ({done.added} added)")
            print(
                f"credit all         {t3 - t2:6.1f} s  ({result.credited} credited,"
                f" {result.amount} €)"
            )
            print(f"import + credit    {t3 - t0:6.1f} s  (preview included)")
            print(
                f"again (no change)  {t4 - t3:6.1f} s  ({again.unchanged} unchanged,"
                f" {repeat.already} already credited)"
            )
            print(
                f"wallets {EmployeeWallet.objects.filter(plan=plan).count()},"
                f" credit transfers {transfers.count()}"
            )
            print(f"peak memory (ru_maxrss) {peak_mb():.0f} MB")
            if not keep:
                raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
