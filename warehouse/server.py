"""The embedded PostgreSQL server: a private cluster in the checkout's git-ignored state folder.

It uses the machine's server binaries, listens on loopback only, keeps its socket in the
state folder, and runs as an unprivileged system user when started by root (initdb and
postgres refuse to run as root).
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from warehouse.secrets import password
from warehouse.settings import Settings

MIN_MAJOR_VERSION = 15
VERSIONED_BINDIRS = "/usr/lib/postgresql/*/bin"
REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"  # runuser and useradd, whatever PATH holds
SOCKET_PATH_LIMIT = 100  # sun_path holds 107 bytes; leave room for "/.s.PGSQL.<port>"

MISSING_BINARIES_HELP = """\
PostgreSQL server binaries ({binaries}) were not found.
Looked in: store.embedded.bindir in warehouse.yml, `pg_config --bindir`, {versioned}, and PATH.

Either install PostgreSQL {version} or newer:
    Debian/Ubuntu:  apt-get install postgresql
    then run the command again;
or use a server you already have: in warehouse.yml set
    store:
      target: external
      host: <host>
      port: <port>
(or export ELDERCARE_STORE_TARGET=external ELDERCARE_STORE_HOST=... ELDERCARE_STORE_PORT=...)
and export the role passwords (ELDERCARE_ADMIN_PASSWORD, ELDERCARE_PIPELINE_PASSWORD, ...)."""


class ServerError(Exception):
    """The embedded server could not be found, initialised, started or stopped."""


class MissingBinariesError(ServerError):
    """No PostgreSQL server binaries on this machine."""


def _has_binaries(candidate: Path | None) -> bool:
    return bool(candidate) and all((candidate / name).is_file() for name in REQUIRED_BINARIES)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path))


def find_bindir(settings: Settings) -> Path:
    """The folder holding initdb, pg_ctl and postgres, or MissingBinariesError."""
    candidates: list[Path | None] = [settings.store.embedded.bindir]
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(Path(result.stdout.strip()) if result.returncode == 0 else None)
    candidates += [Path(p) for p in sorted(glob.glob(VERSIONED_BINDIRS), key=_version_key)[::-1]]
    initdb = shutil.which("initdb")
    candidates.append(Path(initdb).parent if initdb else None)
    for candidate in candidates:
        if _has_binaries(candidate):
            return candidate
    raise MissingBinariesError(
        MISSING_BINARIES_HELP.format(
            binaries=", ".join(REQUIRED_BINARIES),
            versioned=VERSIONED_BINDIRS,
            version=MIN_MAJOR_VERSION,
        )
    )


def _system_tool(name: str) -> str:
    found = shutil.which(name, path=SYSTEM_PATH)
    if not found:
        raise ServerError(f"'{name}' is needed to run the server as an unprivileged user")
    return found


@dataclass(frozen=True)
class EmbeddedServer:
    """One private cluster, described by the settings; every method is idempotent."""

    settings: Settings

    @property
    def data_dir(self) -> Path:
        return self.settings.state_path / "pgdata"

    @property
    def log_file(self) -> Path:
        return self.settings.state_path / "postgres.log"

    @property
    def socket_dir(self) -> Path:
        preferred = self.settings.state_path / "run"
        if len(str(preferred)) <= SOCKET_PATH_LIMIT - 16:
            return preferred
        digest = hashlib.sha1(str(preferred).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"eldercare-{digest}"

    def _os_user(self) -> str | None:
        """The unprivileged user to run as when we are root, created if missing."""
        if os.geteuid() != 0:
            return None
        name = self.settings.store.embedded.os_user
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(
                [
                    _system_tool("useradd"),
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    name,
                ],
                check=True,
            )
        return name

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(find_bindir(self.settings) / args[0]), *args[1:]]
        user = self._os_user()
        if user:
            command = [_system_tool("runuser"), "-u", user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd="/")
        if check and result.returncode != 0:
            raise ServerError(f"{args[0]} failed:\n{result.stderr.strip() or result.stdout}")
        return result

    def _own(self, *paths: Path) -> None:
        user = self._os_user()
        for path in paths:
            path.mkdir(parents=True, exist_ok=True)
            if user:
                shutil.chown(path, user, user)
                path.chmod(0o700)

    def _check_traversable(self) -> None:
        """The server user must be able to reach the state folder through its parents."""
        user = self._os_user()
        if not user:
            return
        probe = subprocess.run(
            [_system_tool("runuser"), "-u", user, "--", "test", "-x", str(self.data_dir)]
        )
        if probe.returncode != 0:
            raise ServerError(
                f"the server runs as system user '{user}', which cannot reach {self.data_dir}; "
                "make its parent folders searchable (chmod o+x) or set state_dir in warehouse.yml"
            )

    def is_initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def is_running(self) -> bool:
        if not self.is_initialised():
            return False
        return self._run("pg_ctl", "status", "-D", str(self.data_dir), check=False).returncode == 0

    def initialise(self) -> bool:
        """Create the cluster on first use; returns True when it was created now."""
        if self.is_initialised():
            return False
        self._own(self.data_dir, self.socket_dir)
        self._check_traversable()
        pwfile = self.settings.state_path / ".initdb-password"
        pwfile.write_text(password(self.settings, "admin") + "\n")
        self._own_file(pwfile)
        try:
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                self.settings.store.admin_user,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--no-locale",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude_if_exists = 'eldercare.conf'\n")
        return True

    def _own_file(self, path: Path) -> None:
        user = self._os_user()
        if user:
            shutil.chown(path, user, user)
        path.chmod(0o600)

    def _write_conf(self) -> None:
        """Settings owned by warehouse.yml, rewritten at every start so they never drift."""
        options = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.settings.store.port),
            "unix_socket_directories": str(self.socket_dir),
            **self.settings.store.embedded.tuning,
        }
        lines = [f"{key} = '{value}'" for key, value in options.items()]
        conf = self.data_dir / "eldercare.conf"
        conf.write_text("# written by eldercare from warehouse.yml\n" + "\n".join(lines) + "\n")
        self._own_file(conf)

    def start(self) -> str:
        """Initialise if needed and start; returns what happened, in a word or two."""
        find_bindir(self.settings)
        created = self.initialise()
        if self.is_running():
            return "already running"
        self._own(self.socket_dir)
        self._write_conf()
        if not self.log_file.exists():
            self.log_file.touch()
        self._own_file(self.log_file)
        result = self._run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data_dir),
            "-l", str(self.log_file), check=False,
        )  # fmt: skip
        if result.returncode != 0:
            tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-15:])
            raise ServerError(f"the embedded server did not start; its log says:\n{tail}")
        return "initialised and started" if created else "started"

    def stop(self) -> str:
        if not self.is_running():
            return "not running"
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir))
        return "stopped"

    def status(self) -> str:
        if not self.is_initialised():
            return "not initialised"
        return "running" if self.is_running() else "stopped"
