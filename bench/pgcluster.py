"""Private PostgreSQL processes for the load bench (bench/load.py): a primary, its streaming replica and
pgbouncer, each a child process of the bench on a free loopback port, in one temporary folder.

Nothing here touches the machine's own PostgreSQL cluster (port 5432, shared with others): the primary
is a fresh ``initdb`` (trust authentication on loopback only, ``wal_level=replica`` by default), the
replica is ``pg_basebackup -R`` of it (hot standby), and pgbouncer pools connections to the primary in
transaction mode. ``Stack.stop`` ends every process it started (by its own pid) and removes the folder.
PostgreSQL refuses to run as root, so when the bench runs as root the children run as ``postgres``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import IO, Any

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PGBOUNCER = Path(os.environ.get("PGBOUNCER", "/usr/sbin/pgbouncer"))
DATABASE = "threadline"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner() -> dict[str, Any]:
    """Popen arguments running a child as ``postgres`` when the bench runs as root."""
    return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}


class Stack:
    """The primary, the replica and pgbouncer, started in that order and stopped in reverse."""

    def __init__(self, log: IO[bytes]) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="threadline-load-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.log = log
        self.primary_port = free_port()
        self.replica_port = free_port()
        self.bouncer_port = free_port()
        self.children: list[subprocess.Popen[bytes]] = []

    # --- URLs the app uses ---------------------------------------------------------------------------
    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def bouncer_url(self) -> str:
        return self.url(self.bouncer_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica_port)

    # --- processes -----------------------------------------------------------------------------------
    @staticmethod
    def _tool(tool: str, port: int, *args: str) -> list[str]:
        """A PostgreSQL client tool's command line against 127.0.0.1:port as ``postgres``."""
        return [str(PG_BIN / tool), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", *args]

    def _run(self, *args: str) -> None:
        subprocess.run(args, check=True, stdout=self.log, stderr=self.log, **_as_owner())  # noqa: S603

    def _postgres(self, data: Path, port: int) -> None:
        self.children.append(
            subprocess.Popen(  # noqa: S603
                [
                    str(PG_BIN / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    f"unix_socket_directories={self.root}",
                    "-c",
                    "max_connections=60",
                    "-c",
                    "shared_buffers=128MB",
                    # The app asks for jit=off at connect time, but pgbouncer drops startup options
                    # (ignore_startup_parameters below): the server says it, as docs/operations.md asks.
                    "-c",
                    "jit=off",
                ],
                stdout=self.log,
                stderr=self.log,
                **_as_owner(),
            )
        )
        self._wait_ready(port)

    def _wait_ready(self, port: int, seconds: float = 60, database: str = "postgres") -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            done = subprocess.run(  # noqa: S603
                self._tool("pg_isready", port, "-d", database, "-q"), check=False
            )
            if done.returncode == 0:
                return
            time.sleep(0.3)
        raise RuntimeError(f"PostgreSQL on port {port} did not come up in {seconds:.0f} s")

    def start_primary(self) -> None:
        data = self.root / "primary"
        self._run(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "--no-sync")
        self._postgres(data, self.primary_port)
        self._run(*self._tool("createdb", self.primary_port, DATABASE))

    def dump(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out:
            subprocess.run(  # noqa: S603
                self._tool("pg_dump", self.primary_port, "--format=custom", DATABASE),
                check=True,
                stdout=out,
                stderr=self.log,
            )

    def restore(self, source: Path) -> None:
        subprocess.run(  # noqa: S603
            self._tool("pg_restore", self.primary_port, "--no-owner", "-d", DATABASE, str(source)),
            check=True,
            stdout=self.log,
            stderr=self.log,
        )
        subprocess.run(  # noqa: S603
            self._tool("psql", self.primary_port, "-d", DATABASE, "-qc", "ANALYZE"),
            check=True,
            stdout=self.log,
            stderr=self.log,
        )

    def start_replica(self) -> None:
        """A hot standby streaming from the primary (``-R`` writes primary_conninfo and standby.signal)."""
        data = self.root / "replica"
        self._run(
            *self._tool("pg_basebackup", self.primary_port),
            "-D",
            str(data),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        )
        self._postgres(data, self.replica_port)

    def start_bouncer(self, pool_size: int = 12) -> None:
        """pgbouncer in transaction mode; Django behind it needs DISABLE_SERVER_SIDE_CURSORS (bench/load_settings.py)."""
        (self.root / "userlist.txt").write_text('"postgres" ""\n')
        ini = self.root / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"{DATABASE} = host=127.0.0.1 port={self.primary_port} dbname={DATABASE} user=postgres\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.bouncer_port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.root / 'userlist.txt'}\n"
            f"pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 400\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
        )
        if os.geteuid() == 0:
            for path in (ini, self.root / "userlist.txt"):
                shutil.chown(path, "postgres", "postgres")
        self.children.append(
            subprocess.Popen(  # noqa: S603
                [str(PGBOUNCER), str(ini)], stdout=self.log, stderr=self.log, **_as_owner()
            )
        )
        self._wait_ready(self.bouncer_port, database=DATABASE)

    def stop(self) -> None:
        """Fast shutdown of every child, newest first (SIGINT: PostgreSQL's and pgbouncer's fast stop)."""
        for child in reversed(self.children):
            if child.poll() is None:
                os.kill(child.pid, signal.SIGINT)
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.kill(child.pid, signal.SIGKILL)
                    child.wait(timeout=10)
        self.children.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    # --- replica lag ---------------------------------------------------------------------------------
    def replica_lag(self) -> tuple[float, float]:
        """(bytes of WAL written on the primary and not yet replayed on the replica, the replica's replay
        lag in seconds as the primary measures it: pg_stat_replication.replay_lag)."""
        row = self._row(
            self.primary_port,
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), "
            "coalesce(extract(epoch FROM replay_lag), 0) FROM pg_stat_replication",
        )
        return (float(row[0]), float(row[1])) if len(row) == 2 else (float("nan"), float("nan"))

    def primary_count(self, table: str) -> int:
        row = self._row(self.primary_port, f"SELECT count(*) FROM {table}")
        return int(row[0]) if row else 0

    def replica_rows_read(self) -> int:
        """Rows the replica's database has returned so far (pg_stat_database): the app's summaries."""
        row = self._row(
            self.replica_port, f"SELECT tup_returned FROM pg_stat_database WHERE datname = '{DATABASE}'"
        )
        return int(row[0]) if row else 0

    def _row(self, port: int, sql: str) -> list[str]:
        done = subprocess.run(  # noqa: S603
            self._tool("psql", port, "-d", DATABASE, "-AtF", "|", "-c", sql),
            check=False,
            capture_output=True,
            text=True,
        )
        lines = done.stdout.strip().splitlines()
        return lines[0].split("|") if lines else []
