"""``python manage.py generate_synthetic --scale N``: a large, deterministic knowledge base for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError

from processes.models import Process
from rcpdb.site import synthetic

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Write a synthetic knowledge base for benchmarks and scale tests: at --scale 100 about 900 "
        "processes, every state, 20,000 memberships, 300 meetings and 15,000 findings (--scale 1 is about "
        "a hundredth). The same scale and seed give the same data. Refuses a database that already has "
        "processes unless --append."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Size: 100 is a hundred times the demo.")
        parser.add_argument("--seed", type=int, default=2005, help="Seed of the random choices.")
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add the synthetic data next to what the database already holds (new slugs, shared states).",
        )

    def handle(self, *args, scale, seed, append, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        existing = Process.objects.count()
        if existing and not append:
            raise CommandError(
                f"This database already has {existing} process(es). generate_synthetic is meant for an "
                "empty database (migrate a new one, e.g. DATABASE_URL=sqlite:////tmp/bench.sqlite3); "
                "pass --append to add synthetic data alongside what is there."
            )
        started = time.perf_counter()
        self._stage = None
        result = synthetic.generate_synthetic(scale=scale, seed=seed, progress=self.progress)
        self.stdout.write("")
        summary = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated synthetic data at scale {scale} (seed {seed}, slugs {result.tag}-...) in "
                f"{time.perf_counter() - started:.1f} s: {summary}."
            )
        )

    def progress(self, stage, done, total):
        """One line per stage, redrawn in place on a terminal: '  findings   [#####-----]  750/1500'."""
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        line = f"  {stage:<22} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:>7}/{total}"
        interactive = hasattr(self.stdout, "isatty") and self.stdout.isatty()
        if interactive:
            self.stdout.write(("\n" if self._stage not in (None, stage) else "\r") + line, ending="")
            self.stdout.flush()
        elif done == total:
            self.stdout.write(line)
        self._stage = stage
