"""deploy/systemd/: the publish service is sandboxed as deploy/README.md's trust model says, and the
paths agree everywhere (units, nginx root, the command the README documents). The unit files are the
one source: every expected value below is read from them. systemd's own checks: tests/e2e/test_systemd_units.py."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def unit(name: str) -> dict[str, list[str]]:
    """'Section.Key' -> values in order (systemd allows a key more than once), comments skipped."""
    found: dict[str, list[str]] = {}
    section = ""
    for line in (UNITS / name).read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        found.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return found


PULL = unit("party-site-pull.service")
PUBLISH = unit("party-site-publish.service")
TIMER = unit("party-site-publish.timer")


def one(settings: dict, key: str) -> str:
    values = settings[key]
    assert len(values) == 1, (key, values)
    return values[0]


def dest() -> Path:
    command = shlex.split(one(PUBLISH, "Service.ExecStart"))
    assert command[0] == "/usr/bin/make" and "publish" in command, command
    (value,) = [arg.split("=", 1)[1] for arg in command if arg.startswith("DEST=")]
    return Path(value)


def test_the_build_runs_unprivileged_in_a_read_only_system_without_network():
    hardening = {
        "ProtectSystem": "strict", "ProtectHome": "yes", "PrivateTmp": "yes", "PrivateDevices": "yes",
        "NoNewPrivileges": "yes", "PrivateNetwork": "yes", "RestrictSUIDSGID": "yes", "CapabilityBoundingSet": "",
        "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes", "ProtectControlGroups": "yes",
        "RestrictNamespaces": "yes", "IPAddressDeny": "any", "User": "party-site", "Type": "oneshot",
    }
    for key, value in hardening.items():
        assert one(PUBLISH, f"Service.{key}") == value, key
    assert "@system-service" in PUBLISH["Service.SystemCallFilter"]
    assert not any(key.startswith("Service.AmbientCapabilities") for key in PUBLISH)
    assert "Service.ReadOnlyPaths" not in PUBLISH and "Service.BindPaths" not in PUBLISH


def test_it_can_write_only_next_to_dest_and_its_cache():
    site = dest()
    checkout = Path(one(PUBLISH, "Service.WorkingDirectory"))
    assert PUBLISH["Service.ReadWritePaths"] == [str(site.parent)]  # publish builds beside DEST, then renames
    assert not checkout.is_relative_to(site.parent) and not site.parent.is_relative_to(checkout)
    cache = one(PUBLISH, "Service.CacheDirectory")
    environment = dict(item.split("=", 1) for item in " ".join(PUBLISH["Service.Environment"]).split())
    assert environment["XDG_CACHE_HOME"] == f"/var/cache/{cache}"  # where the build keeps its caches


def test_pull_runs_only_git_and_writes_only_the_checkout():
    checkout = one(PUBLISH, "Service.WorkingDirectory")
    assert one(PULL, "Service.WorkingDirectory") == checkout
    assert PULL["Service.ReadWritePaths"] == [checkout]
    command = shlex.split(one(PULL, "Service.ExecStart"))
    assert command[0] == "/usr/bin/git" and "core.hooksPath=/dev/null" in command
    assert command[command.index("pull") :][:2] == ["pull", "--ff-only"]
    assert one(PULL, "Service.User") == one(PUBLISH, "Service.User")
    for key in ("ProtectSystem", "ProtectHome", "PrivateTmp", "NoNewPrivileges"):
        assert one(PULL, f"Service.{key}") == one(PUBLISH, f"Service.{key}"), key


def test_publish_follows_a_successful_pull_and_the_timer_starts_it():
    assert one(PUBLISH, "Unit.Requires") == "party-site-pull.service"
    assert one(PUBLISH, "Unit.After") == "party-site-pull.service"
    assert one(TIMER, "Timer.Unit") == "party-site-publish.service"
    assert one(TIMER, "Install.WantedBy") == "timers.target"


def test_nginx_serves_what_publish_writes():
    conf = (ROOT / "deploy/nginx.conf").read_text("utf-8")
    (root,) = re.findall(r"^\s*root\s+([^;]+);", conf, re.MULTILINE)
    assert Path(root) == dest()


def test_the_readme_documents_the_command_the_services_run():
    """deploy/README.md shows the two services' commands as one line to run by hand; it is derived here
    from the unit files, so a changed unit without a changed README (or the reverse) fails."""
    def shown(key_values: dict) -> str:
        command = shlex.split(one(key_values, "Service.ExecStart"))
        return shlex.join([Path(command[0]).name, *command[1:]])

    expected = f"cd {one(PUBLISH, 'Service.WorkingDirectory')} && {shown(PULL)} && {shown(PUBLISH)}"
    readme = (ROOT / "deploy/README.md").read_text("utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    assert expected in [line.strip() for block in blocks for line in block.splitlines()], expected
    # and the install steps copy the unit files that exist
    for path in UNITS.iterdir():
        assert path.name.startswith("party-site-") and path.suffix in {".service", ".timer"}, path
    assert "cp /srv/party-site/repo/deploy/systemd/party-site-* /etc/systemd/system/" in readme
