"""The embedded default database: a private Postgres cluster under ``$ARMSLEDGER_HOME``.

The cluster is created with the machine's Postgres binaries and listens on 127.0.0.1 only (no Unix
socket, so long paths never matter). Only the owner role connects without a password (the CLI's own
local use); every other role, such as a reader made for a BI tool, must give its password
(scram-sha-256); see :data:`HBA`. Postgres refuses to run as root, so as root every server command
runs as the ``postgres`` OS user, and the data directory is placed where that user can reach it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = (
    "PostgreSQL server binaries not found. Install them (Debian/Ubuntu: "
    "`sudo apt-get install -y postgresql`), or set PG_BINDIR to the folder holding initdb and "
    "pg_ctl, or set DATABASE_URL to use an existing server."
)
SUPERUSER = "armsledger"
DBNAME = "armsledger"


HBA = f"""# Written by armsledger (etl/embedded.py) at every start; edits are overwritten.
# TYPE  DATABASE  USER  ADDRESS  METHOD
host    all       {SUPERUSER}  127.0.0.1/32  trust
host    all       all          127.0.0.1/32  scram-sha-256
"""


class EmbeddedError(RuntimeError):
    """The embedded cluster could not be found, created or started."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", path.parent.name)) or (0,)


def find_bindir(explicit: Path | None = None) -> Path:
    """PG_BINDIR, else the newest /usr/lib/postgresql/*/bin, else ``pg_config --bindir``."""
    candidates: list[Path] = []
    if explicit:
        candidates.append(Path(explicit))
    else:
        candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
        pg_config = shutil.which("pg_config")
        if pg_config:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
            if out.returncode == 0 and out.stdout.strip():
                candidates.append(Path(out.stdout.strip()))
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    where = f" in PG_BINDIR={explicit}" if explicit else ""
    raise EmbeddedError(INSTALL_HINT + (f" (nothing usable{where})" if where else ""))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _runuser() -> str:
    """runuser, also when the sbin folders are not on PATH (a root shell made with `env -i`)."""
    found = shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.path.exists(p)), None
    )
    if found is None:
        raise EmbeddedError("running as root needs `runuser` (util-linux) to start Postgres as the postgres user")
    return found


def _reachable_by(user: str, path: Path) -> bool:
    """Whether ``user`` can traverse every folder down to ``path``."""
    result = subprocess.run([_runuser(), "-u", user, "--", "test", "-x", str(path)], capture_output=True, check=False)
    return result.returncode == 0


@dataclass
class Cluster:
    """A private Postgres cluster rooted at ``home``."""

    home: Path
    bindir: Path

    def __post_init__(self) -> None:
        self.home = self.home.resolve()
        self.as_root = os.geteuid() == 0

    # -- locations -------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        """``home/pgdata``; as root, a folder the postgres user can reach if home is private.
        Reading it changes nothing on disk (creating the cluster does, see ``_place``)."""
        pointer = self.home / "pgdata.location"
        if pointer.exists():
            return Path(pointer.read_text().strip())
        local = self.home / "pgdata"
        if not self.as_root or local.exists():
            return local
        return self._place(write=False)

    def _place(self, write: bool) -> Path:
        """Where a new cluster goes; with ``write``, create home and record a pointer if elsewhere."""
        local = self.home / "pgdata"
        if write:
            self.home.mkdir(parents=True, exist_ok=True)
        if not self.as_root or (self.home.exists() and _reachable_by("postgres", self.home)):
            return local
        digest = hashlib.sha256(str(self.home).encode()).hexdigest()[:12]
        elsewhere = Path(tempfile.gettempdir()) / f"armsledger-{digest}" / "pgdata"
        if write:
            (self.home / "pgdata.location").write_text(str(elsewhere))
        return elsewhere

    @property
    def log_file(self) -> Path:
        return self.data_dir / "postgres.log"

    @property
    def port(self) -> int:
        conf = self.data_dir / "postgresql.auto.conf"
        match = re.search(r"^port = '?(\d+)'?", conf.read_text(), re.M) if conf.exists() else None
        if not match:
            raise EmbeddedError(f"cluster at {self.data_dir} is not initialised; run `armsledger db start`")
        return int(match.group(1))

    def url(self) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{DBNAME}"

    # -- commands --------------------------------------------------------------------------
    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = [_runuser(), "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            yield

    def is_initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def is_running(self) -> bool:
        """Whether the server's postmaster is alive (read from postmaster.pid: no subprocess)."""
        if not self.is_initialised():
            return False
        try:
            first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
        except FileNotFoundError:
            return False
        except OSError:  # not ours to read: ask pg_ctl
            return self._run("pg_ctl", "status", "-D", str(self.data_dir)).returncode == 0
        try:
            os.kill(int(first), 0)
        except (ValueError, ProcessLookupError):
            return False
        except PermissionError:
            return True  # alive, run by another user
        return True

    def _set_port(self, port: int) -> None:
        conf = self.data_dir / "postgresql.auto.conf"
        text = re.sub(r"^port = .*\n?", "", conf.read_text(), flags=re.M)
        conf.write_text(text + f"port = '{port}'\n")

    def _initdb(self) -> None:
        data = self.data_dir if (self.home / "pgdata.location").exists() else self._place(write=True)
        data.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise EmbeddedError("running as root needs a `postgres` OS user to run the server") from exc
            if data.parent != self.home:
                os.chown(data.parent, pw.pw_uid, pw.pw_gid)
            os.chown(data, pw.pw_uid, pw.pw_gid)
        data.chmod(0o700)
        result = self._run(
            "initdb", "-D", str(data), "-U", SUPERUSER, "--auth-local=reject", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--no-locale",
        )
        if result.returncode != 0:
            raise EmbeddedError(f"initdb failed: {result.stderr.strip() or result.stdout.strip()}")
        conf = data / "postgresql.auto.conf"
        conf.write_text(
            conf.read_text() + "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            "password_encryption = 'scram-sha-256'\n"
        )
        self._set_port(_free_port())

    def _write_hba(self) -> None:
        """Password authentication for every role but the owner (see HBA); clusters made before
        this rule get it at their next start."""
        hba = self.data_dir / "pg_hba.conf"
        if hba.read_text() != HBA:
            hba.write_text(HBA)

    def start(self) -> bool:
        """Create (once) and start the cluster; return False if it was already running."""
        with self._lock():
            if not self.is_initialised():
                self._initdb()
            elif self.is_running():
                return False
            if _port_in_use(self.port):
                self._set_port(_free_port())
            self._write_hba()
            result = self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data_dir), "-l", str(self.log_file))
            if result.returncode != 0:
                raise EmbeddedError(f"pg_ctl start failed (see {self.log_file}): {result.stderr.strip()}")
            self._ensure_database()
            return True

    def _ensure_database(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DBNAME,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DBNAME)))

    def stop(self) -> bool:
        """Stop the cluster; return False if it was not running."""
        with self._lock():
            if not self.is_running():
                return False
            result = self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir))
            if result.returncode != 0:
                raise EmbeddedError(f"pg_ctl stop failed: {result.stderr.strip()}")
            return True

    def destroy(self) -> None:
        """Stop the cluster and delete its files."""
        self.stop()
        data = self.data_dir
        shutil.rmtree(data.parent if self.as_root and data.parent != self.home else data, ignore_errors=True)
        (self.home / "pgdata.location").unlink(missing_ok=True)
