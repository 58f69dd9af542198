"""Credential resolution: environment, private file outside any repository, prompt; never shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from collectors.credentials import (
    CredentialError,
    Credentials,
    env_names,
    load_credentials_file,
    resolve_credentials,
)


def _write(path: Path, text: str, mode: int) -> Path:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def test_env_names_upper_case_and_replace_dash_and_dot() -> None:
    assert env_names("core-net.v2")[0] == "NETCENSUS_CORE_NET_V2_USERNAME"
    assert env_names("default")[2] == "NETCENSUS_DEFAULT_SECRET"


def test_environment_resolves_profiles_with_optional_secret() -> None:
    env = {"NETCENSUS_DEFAULT_USERNAME": "ops", "NETCENSUS_DEFAULT_PASSWORD": "pw1",
           "NETCENSUS_CORE_USERNAME": "core", "NETCENSUS_CORE_PASSWORD": "pw2", "NETCENSUS_CORE_SECRET": "en"}
    creds = resolve_credentials(["default", "core"], env=env)
    assert creds["default"] == Credentials("ops", "pw1", None)
    assert creds["core"] == Credentials("core", "pw2", "en")


def test_missing_profile_names_the_variables_to_set() -> None:
    with pytest.raises(CredentialError) as err:
        resolve_credentials(["branch-a"], env={})
    assert "NETCENSUS_BRANCH_A_USERNAME" in str(err.value)
    assert "NETCENSUS_BRANCH_A_PASSWORD" in str(err.value)


def test_repr_never_shows_the_password_or_secret() -> None:
    creds = Credentials("ops", "hunter2", "enable-me")
    assert "hunter2" not in repr(creds) and "enable-me" not in repr(creds)
    assert "hunter2" not in str(creds) and "ops" in repr(creds)


def test_private_file_outside_a_repository_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path / "creds.yaml", "core:\n  username: u\n  password: p\n  secret: s\n", 0o600)
    assert load_credentials_file(path) == {"core": Credentials("u", "p", "s")}
    creds = resolve_credentials(["core"], env={}, credentials_file=path)
    assert creds["core"].secret == "s"


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "creds.yaml", "default:\n  username: file\n  password: p\n", 0o600)
    env = {"NETCENSUS_DEFAULT_USERNAME": "env", "NETCENSUS_DEFAULT_PASSWORD": "q"}
    assert resolve_credentials(["default"], env=env, credentials_file=path)["default"].username == "env"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_file_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = _write(tmp_path / "creds.yaml", "default:\n  username: u\n  password: p\n", mode)
    with pytest.raises(CredentialError, match="chmod 600"):
        load_credentials_file(path)


def test_file_inside_a_git_work_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "inv").mkdir()
    path = _write(tmp_path / "inv" / "creds.yaml", "default:\n  username: u\n  password: p\n", 0o600)
    with pytest.raises(CredentialError, match="git work tree"):
        load_credentials_file(path)


def test_malformed_file_names_the_profile_and_never_a_value(tmp_path: Path) -> None:
    path = _write(tmp_path / "creds.yaml", "core:\n  username: u\n  pasword: Sekr1t\n", 0o600)
    with pytest.raises(CredentialError) as err:
        load_credentials_file(path)
    assert "core" in str(err.value) and "Sekr1t" not in str(err.value)


def test_prompt_is_asked_only_for_what_is_left(tmp_path: Path) -> None:
    asked: list[str] = []

    def prompt(profile: str) -> Credentials:
        asked.append(profile)
        return Credentials("typed", "pw")

    env = {"NETCENSUS_DEFAULT_USERNAME": "ops", "NETCENSUS_DEFAULT_PASSWORD": "pw"}
    creds = resolve_credentials(["default", "dc"], env=env, prompt=prompt)
    assert asked == ["dc"]
    assert creds["dc"].username == "typed"
