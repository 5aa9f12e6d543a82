"""The job queue: procrastinate, which keeps its jobs in the same PostgreSQL as the records, so
no broker is needed. A job here is one of ours (``backstride.recovery.jobs``): the queue only
carries its id, and ``run_job`` does the work and keeps the progress in our ``job`` table.

A job that raises is tried again (``BACKSTRIDE_JOB_ATTEMPTS`` in all); a job whose worker
died (kill -9, a lost machine) is queued again by the next worker that sees the dead worker's
heartbeat go stale (``BACKSTRIDE_WORKER_STALLED_SECONDS``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from typing import Any

from procrastinate import App, PsycopgConnector, RetryStrategy
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from backstride.errors import InputError
from backstride.recovery.jobs import create_job, job_owner, run_job, set_queue_id
from backstride.settings import Settings, settings, variable
from backstride.store import database_url
from backstride.store import records as rec

TASK = "backstride.run_job"
HANDED_TO_QUEUE = 0  # queue_id until the queue's own id is known: not an inline job
log = logging.getLogger("backstride.worker")


def conninfo(url: str) -> str:
    """A psycopg connection string for a SQLAlchemy PostgreSQL URL; InputError for any other
    database (the queue lives in PostgreSQL)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(f"{variable('database_url')} is not a database URL") from None
    if parsed.get_backend_name() != "postgresql":
        raise InputError(
            f"the job queue runs in PostgreSQL, and the database is {parsed.get_backend_name()}: "
            f"set {variable('database_url')}=postgresql+psycopg://... (in local mode, imports "
            "run inline and need no worker)"
        )
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(job_id: int) -> None:
    """The queue's task: run one of our jobs (gone if its person deleted everything meanwhile:
    then there is nothing to do, and nothing to try again)."""
    if job_owner(job_id) is None:
        log.warning("job %s no longer exists: skipped", job_id)
        return
    run_job(job_id)


def queue_app(url: str | None = None, config: Settings | None = None) -> App:
    """A procrastinate app on the configured PostgreSQL, with our one task."""
    config = config or settings()
    app = App(
        connector=PsycopgConnector(
            conninfo=conninfo(url or database_url()),
            min_size=1,
            # the worker's jobs, its LISTEN connection and its heartbeat
            max_size=config.worker_concurrency + 2,
        )
    )
    app.task(
        name=TASK,
        retry=RetryStrategy(max_attempts=config.job_attempts - 1, wait=5),
    )(_run)
    return app


def enqueue(kind: str, args: dict[str, Any], *, key: str = rec.LOCAL_PERSON) -> int:
    """Queue a job for the person; returns our job id (its progress: ``job_status``)."""
    app = queue_app()
    job_id = create_job(kind, args, key=key, queue_id=HANDED_TO_QUEUE)
    with app.open():
        queue_id = app.configure_task(TASK).defer(job_id=job_id)
    set_queue_id(job_id, queue_id, key=key)
    return job_id


async def _retry_stalled(app: App, seconds: float) -> None:
    """Queue again the jobs of workers whose heartbeat is older than ``seconds`` (dead)."""
    while True:
        try:
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds):
                log.warning("job %s of a dead worker: queued again", job.id)
                await app.job_manager.retry_job(job)
        except Exception as exc:  # another worker retried it first, or the database blinked
            log.warning("could not retry stalled jobs: %s", exc)
        await asyncio.sleep(max(seconds / 2, 0.5))


async def _work(app: App, config: Settings, until_empty: bool) -> None:
    async with app.open_async():
        retry = asyncio.create_task(_retry_stalled(app, config.worker_stalled_seconds))
        try:
            await app.run_worker_async(
                name=f"backstride@{socket.gethostname()}:{os.getpid()}",
                concurrency=config.worker_concurrency,
                wait=not until_empty,
                update_heartbeat_interval=config.worker_heartbeat_seconds,
                stalled_worker_timeout=config.worker_stalled_seconds,
            )
        finally:
            retry.cancel()


def run_worker(*, until_empty: bool = False) -> None:
    """Run jobs until stopped (SIGINT or SIGTERM: the job under way finishes first), or, with
    ``until_empty``, until the queue is empty."""
    config = settings()
    app = queue_app(config=config)
    asyncio.run(_work(app, config, until_empty))
