"""Superset as a service of the platform: its pinned venv, metadata database, admin, process.

Superset pins SQLAlchemy 1.4 and pandas 2.1, so it runs from its own virtual environment
(`superset.venv` in warehouse.yml) and never imports the platform: every value its
configuration needs is passed in the environment of its process.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from warehouse.connection import url
from warehouse.secrets import named_secret
from warehouse.settings import ConfigError, Settings

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements-superset.txt"
CONFIG_FILE = HERE / "superset_config.py"
SECRET_ENV = "ELDERCARE_SUPERSET_SECRET"
ADMIN_PASSWORD_ENV = "ELDERCARE_SUPERSET_ADMIN_PASSWORD"
START_TIMEOUT_SECONDS = 180

# Run inside Superset's venv: create the admin, or reset its password to the configured one.
ENSURE_ADMIN = """
import os
from werkzeug.security import generate_password_hash
from superset.app import create_app
app = create_app()
with app.app_context():
    from superset import db, security_manager as sm
    name, password = os.environ["ELDERCARE_ADMIN_USER"], os.environ["ELDERCARE_ADMIN_PASSWORD"]
    user = sm.find_user(username=name)
    if user is None:
        sm.add_user(name, "平台", "管理员", f"{name}@eldercare.invalid", sm.find_role("Admin"),
                    password=password)
    else:
        user.password = generate_password_hash(password)
        db.session.commit()
"""


class SupersetError(ConfigError):
    """Superset could not be installed, initialised or started; the message says why."""


def venv_path(settings: Settings) -> Path:
    return settings.resolve(settings.superset.venv)


def base_url(settings: Settings) -> str:
    return f"http://{settings.superset.host}:{settings.superset.port}"


def admin_password(settings: Settings) -> str:
    return named_secret(settings, ADMIN_PASSWORD_ENV)


def _requirements_digest() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def _stamp(settings: Settings) -> Path:
    return venv_path(settings) / "eldercare-requirements.sha256"


def is_installed(settings: Settings) -> bool:
    stamp = _stamp(settings)
    return stamp.exists() and stamp.read_text().strip() == _requirements_digest()


def _run(command: list[str], what: str, env: dict | None = None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise SupersetError(f"{what} failed:\n{tail}")


def install(settings: Settings) -> bool:
    """Install the pinned Superset into its venv; False if it is already there at those pins."""
    if is_installed(settings):
        return False
    venv = venv_path(settings)
    uv = shutil.which("uv") or str(settings.state_path / "tools" / "bin" / "uv")
    if not Path(uv).exists():
        raise SupersetError("uv is needed to install Superset's environment (`make setup`)")
    _run([uv, "venv", "--quiet", "--allow-existing", "--python", sys.executable, str(venv)],
         "creating Superset's venv")  # fmt: skip
    _run([uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
          "-r", str(REQUIREMENTS)], "installing Superset")  # fmt: skip
    _stamp(settings).write_text(_requirements_digest())
    return True


def environment(settings: Settings) -> dict[str, str]:
    """The environment of every Superset process: its config file, metadata and secret."""
    return {
        **os.environ,
        "SUPERSET_CONFIG_PATH": str(CONFIG_FILE),
        "FLASK_APP": "superset.app:create_app()",
        "ELDERCARE_SUPERSET_METADATA_URI": url(settings, "superset", "superset", "psycopg2"),
        "ELDERCARE_SUPERSET_SECRET": named_secret(settings, SECRET_ENV),
        "SUPERSET_LOAD_EXAMPLES": "no",
    }


def _initialised_marker(settings: Settings) -> Path:
    return settings.state_path / "superset" / "initialised"


def _marker_text(settings: Settings) -> str:
    store = settings.store
    return f"{_requirements_digest()} {store.host}:{store.port}/{store.databases.superset}\n"


def initialise(settings: Settings, force: bool = False) -> bool:
    """Migrate Superset's metadata database, create its roles and the admin; idempotent.

    Skipped (False) when this state folder already initialised this store at these pins.
    """
    marker = _initialised_marker(settings)
    if not force and marker.exists() and marker.read_text() == _marker_text(settings):
        return False
    env = environment(settings)
    bin_dir = venv_path(settings) / "bin"
    _run([str(bin_dir / "superset"), "db", "upgrade"], "superset db upgrade", env)
    _run([str(bin_dir / "superset"), "init"], "superset init", env)
    admin_env = {
        **env,
        "ELDERCARE_ADMIN_USER": settings.superset.admin_user,
        "ELDERCARE_ADMIN_PASSWORD": admin_password(settings),
    }
    _run([str(bin_dir / "python"), "-c", ENSURE_ADMIN], "creating Superset's admin", admin_env)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(_marker_text(settings))
    return True


def pid_file(settings: Settings) -> Path:
    return settings.state_path / "run" / "superset.pid"


def log_file(settings: Settings) -> Path:
    return settings.state_path / "logs" / "superset.log"


def _running_pid(settings: Settings) -> int | None:
    try:
        pid = int(pid_file(settings).read_text())
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child that has exited
            return None
    except ChildProcessError:  # not our child: ask the kernel whether it lives
        pass
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None
    return pid


def is_healthy(settings: Settings) -> bool:
    try:
        return httpx.get(f"{base_url(settings)}/health", timeout=5).text.strip() == "OK"
    except httpx.HTTPError:
        return False


def start(settings: Settings, say: Callable[[str], None] = lambda message: None) -> str:
    """Install, initialise and start Superset in the background; 'started' or 'already running'.

    `say` hears what is happening, for the long first start."""
    if _running_pid(settings) and is_healthy(settings):
        return "already running"
    if is_healthy(settings):
        raise SupersetError(f"another process already serves {base_url(settings)}")
    if not is_installed(settings):
        say("installing Superset's pinned environment (first time only, a few minutes)")
        install(settings)
    if not _initialised_marker(settings).exists():
        say("initialising Superset's metadata database (first time only, about 2 minutes)")
    initialise(settings)
    say(f"starting Superset on {base_url(settings)}")
    config = settings.superset
    command = [
        str(venv_path(settings) / "bin" / "gunicorn"),
        "--bind", f"{config.host}:{config.port}",
        "--workers", str(config.workers),
        "--worker-class", "gthread", "--threads", "8",
        "--timeout", "120",
        "--limit-request-line", "0", "--limit-request-field_size", "0",
        "superset.app:create_app()",
    ]  # fmt: skip
    log = log_file(settings)
    log.parent.mkdir(parents=True, exist_ok=True)
    pid_file(settings).parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            env=environment(settings),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    pid_file(settings).write_text(str(process.pid))
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SupersetError(f"Superset exited at start-up; see {log}")
        if is_healthy(settings):
            return "started"
        time.sleep(1)
    stop(settings)
    raise SupersetError(f"Superset did not answer in {START_TIMEOUT_SECONDS} s; see {log}")


def stop(settings: Settings) -> str:
    """Stop the Superset this state folder started; 'stopped' or 'not running'."""
    pid = _running_pid(settings)
    if pid is None:
        pid_file(settings).unlink(missing_ok=True)
        return "not running"
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _running_pid(settings):
        time.sleep(0.3)
    if _running_pid(settings):
        os.killpg(pid, signal.SIGKILL)
    pid_file(settings).unlink(missing_ok=True)
    return "stopped"


def status(settings: Settings) -> str:
    """'running', 'not running', or 'started but not answering'."""
    pid = _running_pid(settings)
    healthy = is_healthy(settings)
    if pid and healthy:
        return "running"
    if pid:
        return "started but not answering"
    return "running (not started by this checkout)" if healthy else "not running"
