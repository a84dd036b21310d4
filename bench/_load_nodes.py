"""The servers of ``./dev bench load``: Odoo nodes in prefork mode and an SMTP
sink that keeps every mail they send. Loopback only."""

import contextlib
import email
import email.policy
import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

import odoo

ODOO_BIN = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
# Odoo's retry of a transaction that hit a serialization failure or a
# deadlock (odoo/service/model.py), and its giving up.
RETRIED = re.compile(r" INFO \S+ odoo\.service\.model: \w+, \d+ tries left")
GAVE_UP = re.compile(r" INFO \S+ odoo\.service\.model: \w+, maximum number of tries")
LOGGED_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.MULTILINE)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooNode:
    """One Odoo node: a prefork master with HTTP workers, a cron worker and
    the websocket's process, on ports of its own, with the configuration of
    ``./dev`` (same PostgreSQL, same data directory: filestore and sessions)."""

    def __init__(self, config, database, workers, smtp_port, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.command = [
            sys.executable,
            str(ODOO_BIN),
            "-c",
            config,
            "-d",
            database,
            f"--db-filter=^{database}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={workers}",
            "--max-cron-threads=1",
            "--smtp=127.0.0.1",
            f"--smtp-port={smtp_port}",
            f"--logfile={log}",
        ]
        self.process = None

    def start(self, timeout=180):
        self.log.touch()
        self.process = subprocess.Popen(
            self.command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers go with it, see stop()
        )
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"Odoo on port {self.port} did not start:\n{tail}")
            time.sleep(0.5)

    def _answers(self):
        try:
            requests.post(
                f"{self.url}/web/webclient/version_info", json={}, timeout=5
            ).raise_for_status()
        except requests.RequestException:
            return False
        return True

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # the master stops its workers gracefully
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def log_counts(self):
        """Transactions Odoo retried, transactions it gave up, errors logged."""
        text = self.log.read_text(errors="replace")
        return (
            len(RETRIED.findall(text)),
            len(GAVE_UP.findall(text)),
            [text[m.start() :][:600] for m in LOGGED_ERROR.finditer(text)],
        )


@contextlib.contextmanager
def odoo_nodes(config, database, count, workers, smtp_port, log_dir):
    nodes = [
        OdooNode(config, database, workers, smtp_port, log_dir / f"node{n}.log")
        for n in range(1, count + 1)
    ]
    try:
        for node in nodes:
            node.start()
        yield nodes
    finally:
        for node in nodes:
            node.stop()


class SmtpSink(socketserver.ThreadingTCPServer):
    """An SMTP server on a free loopback port that accepts every mail and
    keeps its subject and recipients: the mails Odoo sends, counted."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SmtpSession)
        self.port = self.server_address[1]
        self.mails = []
        self.lock = threading.Lock()

    def keep(self, data):
        message = email.message_from_bytes(data, policy=email.policy.default)
        with self.lock:
            self.mails.append((str(message["Subject"] or ""), str(message["To"])))

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class SmtpSession(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: every command is accepted."""

    def handle(self):
        self.reply(b"220 lead-energy-bench ESMTP")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command in (b"HELO", b"EHLO"):
                self.reply(b"250 lead-energy-bench")
            elif command == b"DATA":
                self.reply(b"354 end data with <CR><LF>.<CR><LF>")
                self.server.keep(self.read_data())
                self.reply(b"250 queued")
            elif command == b"QUIT":
                self.reply(b"221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply(b"250 ok")

    def read_data(self):
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b".") else line)  # unstuff
        return b"".join(lines)

    def reply(self, text):
        self.wfile.write(text + b"\r\n")
        self.wfile.flush()
