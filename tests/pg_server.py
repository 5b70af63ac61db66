"""A private PostgreSQL server for the tests: Debian's binaries, a fresh cluster in a temp dir.

``initdb`` + ``pg_ctl start`` on a free loopback port with trust authentication for the local
test user, so nothing touches a system cluster. When the tests run as root (CI), the cluster is
run as the ``postgres`` system user the Debian package creates (PostgreSQL refuses to run as
root). ``.ci/run`` and ``test.sh`` install the ``postgresql`` package when they run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


def binaries() -> Path | None:
    """The newest installed PostgreSQL server's bin directory, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    from tests.servers import free_port

    return free_port()


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root, but runuser is missing to start PostgreSQL as the postgres user")
    return [runuser, "-u", "postgres", "--", *command]


@contextlib.contextmanager
def postgres_server(timeout_s: float = 60.0) -> Iterator[str]:
    """Start a throwaway cluster; yields a ``postgresql://`` URL of an empty database."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install -y postgresql)")
    root = Path(tempfile.mkdtemp(prefix="arms-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
        os.chmod(root, 0o755)
    port = _free_port()
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER") or "postgres"
    subprocess.run(
        _as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8",
                         "--no-instructions"]),
        check=True, capture_output=True, timeout=timeout_s,
    )
    log = root / "server.log"
    if os.geteuid() == 0:
        log.touch()
        shutil.chown(log, "postgres", "postgres")
    subprocess.run(
        _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", str(int(timeout_s)),
                         "-o", f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]),
        check=True, capture_output=True, timeout=timeout_s + 10,
    )
    url = f"postgresql://{user}@127.0.0.1:{port}/postgres"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL did not accept connections; see {log}")
            time.sleep(0.1)
        yield url
    finally:
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=30)
        shutil.rmtree(root, ignore_errors=True)
