"""csc-intel.toml: a deployment's settings in one file. Each setting has the environment
variable the platform reads (settings.py, privacy/keys.py), and a variable that is set wins
over the file, so one run can override it. Paths in the file are relative to its folder.

    authorities = ["938"]        # CSC_INTEL_AUTHORITIES: the three-digit DfE LA codes served
    data_dir = "data"            # CSC_INTEL_DATA_DIR: landing/, outputs/, logs/, alerts/
    warehouse = "data/warehouse.duckdb"  # CSC_INTEL_WAREHOUSE
    key_file = "/etc/csc-intel/pseudonymisation.key"  # CSC_INTEL_PSEUDONYMISATION_KEY_FILE
    baseline_years = 3           # CSC_INTEL_BASELINE_YEARS: dbt's baseline_years

A warehouse in the file is not used when the environment sets the data folder and no
warehouse: the warehouse then follows that folder. The file is csc-intel.toml in the current
folder, or the one `--config` or CSC_INTEL_CONFIG names. `csc-intel` and `make ui` read it;
a Dagster process started otherwise reads the environment only."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import MutableMapping
from pathlib import Path

from orchestration import settings
from orchestration.privacy.keys import KEY_FILE_ENV

CONFIG_ENV = "CSC_INTEL_CONFIG"
CONFIG_NAME = "csc-intel.toml"
# Each setting of the file and the variable that overrides it.
VARIABLES = {
    "authorities": settings.AUTHORITIES_ENV,
    "data_dir": settings.DATA_DIR_ENV,
    "warehouse": settings.WAREHOUSE_ENV,
    "key_file": KEY_FILE_ENV,
    "baseline_years": settings.BASELINE_YEARS_ENV,
}
PATHS = ("data_dir", "warehouse", "key_file")


class ConfigError(ValueError):
    """The configuration file cannot be used; the message names the file, setting and fix."""


def config_file(explicit: Path | None, environ: MutableMapping[str, str]) -> Path | None:
    """The file to read: the one named, else the default if it exists; None without one."""
    named = explicit or (Path(environ[CONFIG_ENV]) if environ.get(CONFIG_ENV) else None)
    if named is not None:
        if not named.is_file():
            raise ConfigError(f"The configuration file {named} does not exist.")
        return named
    default = Path.cwd() / CONFIG_NAME
    return default if default.is_file() else None


def read_config(path: Path) -> dict[str, str]:
    """The file's settings as the values of their environment variables."""
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path} cannot be read as TOML: {error}") from None
    unknown = sorted(set(content) - set(VARIABLES))
    if unknown:
        raise ConfigError(
            f"{path} has unknown settings ({', '.join(unknown)}); the settings are "
            f"{', '.join(VARIABLES)}."
        )
    values = {}
    for name, value in content.items():
        values[VARIABLES[name]] = _as_variable(path, name, value)
    return values


def _as_variable(path: Path, name: str, value: object) -> str:
    if name in PATHS:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{path}: {name} must be a path in quotes.")
        return str((path.parent / Path(value).expanduser()).resolve())
    if name == "authorities":
        codes = [value] if isinstance(value, str) else value
        if not isinstance(codes, list) or not all(
            isinstance(code, str) and re.fullmatch(r"\d{3}", code) for code in codes
        ):
            raise ConfigError(
                f'{path}: authorities must be three-digit DfE LA codes in quotes, e.g. ["938"].'
            )
        return ",".join(codes)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{path}: {name} must be a whole number, e.g. {name} = 3.")
    if not 1 <= value <= settings.MAX_BASELINE_YEARS:
        raise ConfigError(f"{path}: {name} must be 1 to {settings.MAX_BASELINE_YEARS}.")
    return str(value)


def apply_config(
    explicit: Path | None = None, environ: MutableMapping[str, str] | None = None
) -> dict[str, str]:
    """Sets the variables the file holds and the environment does not; returns the settings
    taken from the file (variable -> value), so a command can say where each came from."""
    env = os.environ if environ is None else environ
    path = config_file(explicit, env)
    if path is None:
        return {}
    taken = {var: value for var, value in read_config(path).items() if not env.get(var)}
    if env.get(settings.DATA_DIR_ENV) and not env.get(settings.WAREHOUSE_ENV):
        # The warehouse follows a data folder set in the environment, as without a file:
        # a run pointed at another folder must never write the file's warehouse.
        taken.pop(settings.WAREHOUSE_ENV, None)
    env.update(taken)
    return taken
