"""Run a background worker: pictures, re-indexing, polling feeds and the other bulk jobs
(articles.tasks, articles.wire.tasks)."""

import logging
import os
import socket
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles import pictures, tasks
from articles.wire import polling

# Uploads set aside for forms that were then refused are swept this often.
SWEEP_EVERY_SECONDS = 3600


class Command(BaseCommand):
    help = (
        "Run the background worker for the configured task engine. On the database "
        "engine, tasks a killed worker left unfinished run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when there is nothing to do (database engine).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run what is ready now, then exit (database engine).",
        )

    def handle(self, *args, interval: float, batch: bool, **options):
        # Readers come first: on a shared machine the web workers get the CPU.
        if hasattr(os, "nice"):
            os.nice(5)
        match settings.TASKS_ENGINE:
            case "database":
                self.run_database_worker(interval=interval, batch=batch)
            case "rq":
                self.sweep()
                self.keep_polling()
                # RQ requeues nothing by itself; its scheduler runs deferred retries.
                call_command(
                    "rqworker",
                    "default",
                    job_class="django_tasks_rq.backend.Job",
                    with_scheduler=True,
                )
            case engine:
                raise CommandError(
                    f"The {engine!r} task engine runs tasks itself: no worker needed."
                )

    def run_database_worker(self, *, interval: float, batch: bool) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        # Each round starts and stops django-tasks-db's worker, which says so at INFO:
        # two lines a second of nothing. Its warnings and errors still show; each task's
        # own progress is django_tasks' logger.
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        self.stdout.write(f"Worker {worker.worker_id} started.")
        next_sweep = 0.0
        while worker.running:
            if time.monotonic() >= next_sweep:
                self.sweep()
                next_sweep = time.monotonic() + SWEEP_EVERY_SECONDS
            self.keep_polling()
            recovered = tasks.recover_stale()
            if recovered:
                self.stdout.write(f"{recovered} task(s) left by a lost worker will run again.")
            worker.run()  # everything ready now, then back here
            if batch:
                return
            time.sleep(interval)

    def sweep(self) -> None:
        try:
            swept = pictures.sweep_pending()
        except pictures.STORAGE_FAULTS as fault:  # the next sweep will do
            self.stderr.write(f"Could not sweep waiting uploads: {fault}")
            return
        if swept:
            self.stdout.write(f"{swept} upload(s) no form kept were deleted.")

    def keep_polling(self) -> None:
        """Feeds are polled by a chain of tasks; start it if there is none (or it was lost).
        One cheap query when it runs."""
        try:
            if polling.schedule_ensure():
                self.stdout.write("Feed polling scheduled.")
        except DatabaseError as fault:  # the next round will do
            self.stderr.write(f"Could not schedule feed polling: {fault}")
