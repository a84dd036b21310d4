"""The lock ./dev run holds while it runs, and stopping that run from outside."""

import contextlib
import fcntl
import os
import signal
import time

from .common import HTTP_PORT, LOCAL, SetupError, say

RUN_LOCK = LOCAL / "run.lock"  # held by ./dev run, holds its pid


def _try_lock(lock):
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(lock):
    lock.seek(0)
    return lock.read().strip()


def take_run_lock():
    """The open lock file, locked and naming this process; kept while Odoo runs."""
    LOCAL.mkdir(exist_ok=True)
    lock = open(RUN_LOCK, "a+")  # noqa: SIM115 (held while Odoo runs)
    if not _try_lock(lock):
        pid = _holder(lock) or "?"
        raise SetupError(
            f"Odoo is already running from this checkout (pid {pid}) at "
            f"http://127.0.0.1:{HTTP_PORT}. Stop it with Ctrl-C in its terminal "
            f"(or kill {pid}) before starting another one."
        )
    # At once, not only once Odoo starts: ./dev stop signals the pid named here.
    lock.seek(0)
    lock.truncate()
    lock.write(str(os.getpid()))
    lock.flush()
    return lock


def stop_run(timeout=60):
    """Stop the ./dev run of this checkout, if one runs, as Ctrl-C would: its
    process stops Odoo on SIGTERM, then ends and lets go of the lock."""
    if not RUN_LOCK.exists():
        return
    with open(RUN_LOCK) as lock:
        if _try_lock(lock):
            return
        time.sleep(0.1)  # the pid is written just after the lock is taken
        holder = _holder(lock)
        pid = int(holder) if holder.isdigit() else 0
        if not pid:
            raise SetupError(f"{RUN_LOCK} is locked but names no process")
        say(f"stopping the Odoo of ./dev run (pid {pid}) first: it uses PostgreSQL")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while not _try_lock(lock):
            if time.monotonic() > deadline:
                raise SetupError(
                    f"./dev run (pid {pid}) did not stop within {timeout}s; "
                    "PostgreSQL is left running."
                )
            time.sleep(0.2)
    say(f"Odoo stopped (./dev run, pid {pid}, ended)")
