"""csc-intel.toml: read into the variables the platform reads, each overridden by the
environment, and refused with the setting and the fix when it cannot be used."""

import re

import pytest

from orchestration import settings
from orchestration.cli.config import VARIABLES, ConfigError, apply_config, read_config
from orchestration.privacy.keys import KEY_FILE_ENV

CONFIG = """
authorities = ["938", "201"]
data_dir = "county"
warehouse = "county/wh.duckdb"
key_file = "keys/pseudonymisation.key"
baseline_years = 4
"""


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "csc-intel.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_every_setting_becomes_its_variable_with_paths_from_the_files_folder(config, tmp_path):
    env = {}
    taken = apply_config(config, env)
    assert (
        env
        == taken
        == {
            settings.AUTHORITIES_ENV: "938,201",
            settings.DATA_DIR_ENV: str(tmp_path / "county"),
            settings.WAREHOUSE_ENV: str(tmp_path / "county" / "wh.duckdb"),
            KEY_FILE_ENV: str(tmp_path / "keys" / "pseudonymisation.key"),
            settings.BASELINE_YEARS_ENV: "4",
        }
    )


def test_the_environment_overrides_the_file(config, tmp_path, monkeypatch):
    env = {settings.BASELINE_YEARS_ENV: "2", KEY_FILE_ENV: "/etc/other.key"}
    taken = apply_config(config, env)
    assert env[settings.BASELINE_YEARS_ENV] == "2" and env[KEY_FILE_ENV] == "/etc/other.key"
    assert settings.BASELINE_YEARS_ENV not in taken and KEY_FILE_ENV not in taken
    assert env[settings.AUTHORITIES_ENV] == "938,201"
    # What the platform then reads: the environment's value.
    monkeypatch.setenv(settings.BASELINE_YEARS_ENV, env[settings.BASELINE_YEARS_ENV])
    monkeypatch.setenv(settings.AUTHORITIES_ENV, env[settings.AUTHORITIES_ENV])
    assert settings.dbt_vars() == {"baseline_years": 2}
    assert settings.authorities() == ["938", "201"]


def test_a_data_folder_from_the_environment_takes_its_own_warehouse(config, tmp_path):
    # The file's warehouse must never be written by a run pointed at another folder.
    env = {settings.DATA_DIR_ENV: str(tmp_path / "elsewhere")}
    apply_config(config, env)
    assert settings.WAREHOUSE_ENV not in env


def test_the_default_file_is_in_the_current_folder_and_optional(config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {}
    assert apply_config(None, env)[settings.BASELINE_YEARS_ENV] == "4"
    monkeypatch.chdir(tmp_path / "..")
    assert apply_config(None, {}) == {}
    named = {"CSC_INTEL_CONFIG": str(config)}
    assert apply_config(None, named)[settings.AUTHORITIES_ENV] == "938,201"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("datadir = 'x'\n", "unknown settings \\(datadir\\)"),
        ("authorities = ['93']\n", "three-digit DfE LA codes"),
        ("baseline_years = 'three'\n", "whole number"),
        ("baseline_years = 40\n", "1 to 10"),
        ("data_dir = 3\n", "path in quotes"),
        ("authorities = [\n", "cannot be read as TOML"),
    ],
)
def test_a_setting_that_cannot_be_used_is_refused_with_its_name(tmp_path, text, message):
    path = tmp_path / "csc-intel.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_config(path)


def test_a_missing_named_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        apply_config(tmp_path / "nowhere.toml", {})


def test_baseline_years_from_the_environment_are_checked(monkeypatch):
    monkeypatch.delenv(settings.BASELINE_YEARS_ENV, raising=False)
    assert settings.dbt_vars() == {}
    monkeypatch.setenv(settings.BASELINE_YEARS_ENV, "0")
    with pytest.raises(ValueError, match=settings.BASELINE_YEARS_ENV):
        settings.dbt_vars()


def test_the_example_file_names_every_setting_and_each_parses(tmp_path):
    example = settings.PROJECT_ROOT / "csc-intel.example.toml"
    settings_lines = [
        line.removeprefix("# ")
        for line in example.read_text(encoding="utf-8").splitlines()
        if re.match(r"# \w+ = ", line)
    ]
    path = tmp_path / "csc-intel.toml"
    path.write_text("\n".join(settings_lines) + "\n", encoding="utf-8")
    assert set(read_config(path)) == set(VARIABLES.values())
