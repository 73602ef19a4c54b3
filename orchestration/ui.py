"""`make ui`: `dagster dev` on the workspace, stopped cleanly on Ctrl-C or SIGTERM.

`dagster dev` shuts its webserver, daemon and code servers down on SIGINT, but started from
a script it may inherit ignored signals, and on SIGTERM it leaves its children behind. So it
runs in its own process group with default signal handlers, and stopping it means: SIGINT
to the group, a grace period, then SIGKILL to whatever of the group is left."""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.cli.config import apply_config
from orchestration.settings import PROJECT_ROOT

INSTANCE_CONFIG = PROJECT_ROOT / "orchestration" / "dagster.yaml"
GRACE_SECONDS = 30
NO_TELEMETRY = {
    "DAGSTER_DISABLE_TELEMETRY": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DO_NOT_TRACK": "1",
    "GX_ANALYTICS_ENABLED": "false",
}


def prepare_home(home: Path) -> None:
    """DAGSTER_HOME with the project's instance settings (telemetry off, one run at a time)."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_CONFIG, home / "dagster.yaml")


def _default_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)


def start(home: Path, host: str, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`dagster dev` in a new process group (its id is the returned process's pid)."""
    prepare_home(home)
    dagster = Path(sys.executable).parent / "dagster"
    return subprocess.Popen(
        [str(dagster), "dev", "-w", "workspace.yaml", "-h", host, "-p", str(port)],
        cwd=PROJECT_ROOT,
        env={**(env or os.environ), **NO_TELEMETRY, "DAGSTER_HOME": str(home)},
        start_new_session=True,
        preexec_fn=_default_signals,
    )


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(process: subprocess.Popen, grace_seconds: float = GRACE_SECONDS) -> None:
    """Ask the whole group to shut down as Ctrl-C would; kill what is left after the grace."""
    pgid = process.pid
    if group_alive(pgid):
        os.killpg(pgid, signal.SIGINT)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline:
        process.poll()
        if not group_alive(pgid):
            break
        time.sleep(0.2)
    else:
        os.killpg(pgid, signal.SIGKILL)
    process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    args = parser.parse_args()
    apply_config()  # csc-intel.toml, as the csc-intel commands read it
    home = Path(os.environ.get("DAGSTER_HOME", PROJECT_ROOT / ".dagster"))
    process = start(home, args.host, args.port)

    def shut_down(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # Started from a script, SIGINT may arrive ignored: Ctrl-C must work all the same.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, shut_down)
    try:
        process.wait()
    except KeyboardInterrupt:
        print("Stopping Dagster...", file=sys.stderr)
    finally:
        stop(process)


if __name__ == "__main__":
    main()
