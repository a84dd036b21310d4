"""The dev process and its long-running children (Odoo, pytest).

Ctrl-C in a terminal sends SIGINT to the whole process group: Odoo or pytest get
it as well as the dev process. A supervisor, systemd, `timeout` or `kill` may
signal the dev process alone; it then stops its child itself, as Ctrl-C would,
and ends as the signal's default action ends a process (the shell shows 128+n).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM reached the dev process: handled as Ctrl-C is."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _interrupt(signum, _frame):
    raise Interrupted(signum)


def handle_stop_signals():
    """From now on SIGINT and SIGTERM raise Interrupted (a KeyboardInterrupt:
    subprocess.run kills its child on it), even where SIGINT was ignored at
    start, as for a job started with & by a script."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _interrupt)


def exit_by_signal(signum):
    """End this process by signum's default action, after the clean-up."""
    sys.stdout.flush()
    sys.stderr.flush()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
    return 128 + signum  # not reached


def descendants(pid):
    """The pids of pid's children, grandchildren, ... from /proc (Linux)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(stat.parent.name))
    found, parents = [], [pid]
    while parents:
        kids = children.get(parents.pop(), [])
        found += kids
        parents += kids
    return found


def running(pid):
    """Whether pid is a process that has not ended (a zombie has)."""
    with contextlib.suppress(OSError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return False


def stop_child(proc, timeout=30):
    """Stop proc as Ctrl-C does, once SIGINT or SIGTERM reached this process.

    The signal may have reached the child too (Ctrl-C in the terminal; systemd
    and timeout signal the whole group); a second one would make Odoo skip its
    clean shutdown, so only forward one if it did not stop. Then, as Ctrl-C
    would, proc and its descendants (e.g. the RPC tests' Odoo server that
    pytest starts) get SIGINT whatever came here: pytest tears down its
    fixtures only then. A further signal here is passed on at once. What has
    not ended after timeout seconds is killed.
    """
    tree = []

    def interrupt(*_):
        tree.extend(pid for pid in descendants(proc.pid) if pid not in tree)
        proc.send_signal(signal.SIGINT)
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGINT)

    previous = {signum: signal.signal(signum, interrupt) for signum in STOP_SIGNALS}
    try:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            interrupt()
            deadline = time.monotonic() + timeout
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                tree.extend(pid for pid in descendants(proc.pid) if pid not in tree)
                proc.kill()
                proc.wait()
            while any(map(running, tree)) and time.monotonic() < deadline:
                time.sleep(0.1)
            for pid in filter(running, tree):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def wait_stopping(proc, timeout=30):
    """proc.wait(); on SIGINT or SIGTERM to this process stop proc first."""
    try:
        return proc.wait()
    except Interrupted:
        stop_child(proc, timeout)
        raise
