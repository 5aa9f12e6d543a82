"""Local mode's background imports: a large upload is imported in a thread of the web process,
by the same job function a `backstride worker` runs (``run_job``), so that the page (or an API
client, through `GET /api/v1/jobs/{id}`) can follow the job's progress while it runs and the
import does not depend on the request (closing the browser does not stop it).

One import at a time per process: imports are mostly parsing, and two at once would only share
the same core. A job stays claimed by its process until it ends (``backstride.recovery.jobs.
Claim``); if the process stops first (a second Ctrl+C, SIGTERM, a crash, kill -9), the next
start of the app finds the job unclaimed and runs it again: the files its earlier attempt
saved are skipped, and reported as this upload's own. On the way out after Ctrl+C the process
waits for the import under way; Ctrl+C again stops it at once, without a traceback.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from typing import Any

from backstride.recovery.jobs import Claim, resumable_uploads, run_job, start_upload_job

log = logging.getLogger("backstride.web")
_one_at_a_time = threading.Lock()
_state = threading.Lock()
_pending: dict[int, threading.Thread] = {}  # jobs handed to a thread and not finished yet


def _run(job_id: int, claim: Claim) -> None:
    try:
        with _one_at_a_time:
            run_job(job_id)
    except Exception:  # run_job recorded it in the job's row; the process goes on
        log.exception("background import job %s failed", job_id)
    finally:
        claim.release()
        with _state:
            _pending.pop(job_id, None)


def _submit(job_id: int, claim: Claim) -> None:
    # A daemon thread, so that the interpreter does not join it on its own (uninterruptibly, with
    # a traceback on Ctrl+C): the wait at exit below is ours.
    thread = threading.Thread(
        target=_run, args=(job_id, claim), name=f"backstride-import-{job_id}", daemon=True
    )
    with _state:
        _pending[job_id] = thread
    thread.start()


def import_in_background(args: dict[str, Any], person: str) -> int:
    """Start the import of an upload saved by ``save_upload`` in a thread of this process; its
    job id (``job_status`` shows how far it has got)."""
    job_id, claim = start_upload_job(args, key=person)
    _submit(job_id, claim)
    return job_id


def resume_unfinished(person: str) -> list[int]:
    """Run again the person's upload imports that a stopped process left unfinished (at the
    app's start); their job ids."""
    resumed = resumable_uploads(key=person)
    for job_id, claim in resumed:
        log.warning("import job %s was left unfinished: running it again", job_id)
        _submit(job_id, claim)
    return [job_id for job_id, _ in resumed]


def pending() -> int:
    """How many imports this process has under way or waiting."""
    with _state:
        return len(_pending)


def wait_idle(seconds: float) -> bool:
    """Wait until this process has no import under way (at most ``seconds``); whether it has
    none. The tests wait so before they switch databases: a job's thread finds its database
    through the environment, as a request does."""
    deadline = time.monotonic() + seconds
    while True:
        with _state:
            threads = list(_pending.values())
        if not threads:
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        threads[0].join(min(left, 0.2))


@atexit.register
def _finish_before_exit() -> None:
    if not pending():
        return
    try:
        wait_idle(float("inf"))
    except KeyboardInterrupt:
        log.warning("stopped: the unfinished import carries on when backstride serve starts again")
