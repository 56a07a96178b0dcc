"""The lock files hold every dependency pyproject.toml names, hashed, and this environment runs
exactly what they pin: drift between pyproject, the locks and the installed packages fails here."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
DEV_LOCK = ROOT / "requirements" / "dev-lock.txt"
PIP_LOCK = ROOT / "requirements" / "pip.txt"
# What `python -m venv` brings along; the lock pins what the project needs on top of them.
VENV_TOOLS = {"pip", "setuptools", "wheel"}

PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?:\s*;\s*(?P<marker>[^\\]+))?"
)


def read_lock(path):
    """{name: (version, marker or None, hashes)} from a uv/pip-tools lock file."""
    pins = {}
    current = None
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            marker = match["marker"].strip() if match["marker"] else None
            current = canonicalize_name(match["name"])
            pins[current] = (match["version"], marker, [])
        elif current and (hashed := re.search(r"--hash=(sha256:[0-9a-f]{64})", line)):
            pins[current][2].append(hashed[1])
    return pins


def pyproject_requirements(extra=None):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


def applies(marker):
    return marker is None or Marker(marker).evaluate()


@pytest.mark.parametrize(
    "lock, extras", [(LOCK, []), (DEV_LOCK, []), (DEV_LOCK, ["dev"])], ids=["run", "dev", "dev+"]
)
def test_the_lock_pins_every_dependency_pyproject_names_within_its_range(lock, extras):
    pins = read_lock(lock)
    requirements = pyproject_requirements() + [
        requirement for extra in extras for requirement in pyproject_requirements(extra)
    ]
    problems = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement} is not in {lock.name}")
        elif not requirement.specifier.contains(pins[name][0], prereleases=True):
            problems.append(f"{lock.name} pins {name}=={pins[name][0]}, outside {requirement}")
    assert not problems, "Run `make lock`:\n" + "\n".join(problems)


def test_psycopg_binary_extra_is_locked_too():
    """An extra's packages (psycopg[binary]) are dependencies like any other."""
    assert "psycopg-binary" in read_lock(LOCK)


@pytest.mark.parametrize("lock", [LOCK, DEV_LOCK], ids=["run", "dev"])
def test_every_pin_is_exact_and_hashed(lock):
    pins = read_lock(lock)
    assert len(pins) > 10
    unhashed = [name for name, (_, _, hashes) in pins.items() if not hashes]
    assert not unhashed
    # No line names a package without pinning it: pip --require-hashes would refuse it anyway.
    loose = [
        line
        for line in lock.read_text().splitlines()
        if line and not line[0].isspace() and not line.startswith("#") and "==" not in line
    ]
    assert not loose


def test_dev_lock_pins_the_runtime_packages_at_the_same_versions():
    """The tests run the versions production installs (make lock constrains dev by runtime)."""
    runtime, dev = read_lock(LOCK), read_lock(DEV_LOCK)
    differ = {
        name: (version, dev.get(name, ("missing",))[0])
        for name, (version, _, _) in runtime.items()
        if dev.get(name, (None,))[0] != version
    }
    assert not differ


def test_simple_history_is_gone():
    """cases/migrations/0001 is frozen without it; nothing else may bring it back."""
    for lock in (LOCK, DEV_LOCK):
        assert "django-simple-history" not in read_lock(lock)


def test_installed_versions_are_exactly_the_locked_ones():
    """What `make install` put in this environment is what the dev lock pins: no other version,
    nothing missing, nothing extra (an old venv keeps dropped packages: rm -r .venv; make install).
    """
    pins = read_lock(DEV_LOCK)
    wanted = {name: version for name, (version, marker, _) in pins.items() if applies(marker)}
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    wrong = {
        name: (version, installed.get(name, "not installed"))
        for name, version in wanted.items()
        if installed.get(name) != version
    }
    extra = sorted(set(installed) - set(wanted) - VENV_TOOLS)
    assert not wrong, f"locked vs installed: {wrong}"
    assert not extra, f"installed but not locked: {extra}"


def test_the_installer_is_the_locked_pip():
    """The system's pip 23.2 refuses the lock's extras under --require-hashes (CI failed so):
    make install and the image put the pinned pip in first."""
    (version, _, hashes) = read_lock(PIP_LOCK)["pip"]
    assert hashes
    assert metadata.version("pip") == version


def test_install_paths_use_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r requirements/pip.txt" in makefile
    assert "pip install --quiet --require-hashes -r $(DEV_LOCK)" in makefile
    assert re.search(r"^lock:", makefile, re.M)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir --require-hashes -r requirements/lock.txt" in dockerfile
    assert "pip install --no-cache-dir --require-hashes -r requirements/pip.txt" in dockerfile
    assert "pip install --no-cache-dir ." not in dockerfile
    assert "make lint" in (ROOT / ".ci" / "run").read_text()  # lint depends on install
