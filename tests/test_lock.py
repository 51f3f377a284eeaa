"""requirements.lock pins, with hashes, every package pyproject.toml asks for (`make lock` made it).

A dependency added to pyproject.toml without `make lock` would be missing from a fresh
clone's install (the Makefile installs the lock, then the project with --no-deps).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    """The normalised project name of a requirement string (PEP 503)."""
    name = regex.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    assert name, requirement
    return regex.sub(r"[-_.]+", "-", name.group(0)).lower()


def _locked() -> dict[str, list[str]]:
    """Locked project names -> the pinned requirement blocks (a name may be pinned per Python version)."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    blocks = regex.split(r"\n(?=[A-Za-z0-9])", text)
    out: dict[str, list[str]] = {}
    for block in blocks:
        if regex.match(r"[A-Za-z0-9]", block):
            out.setdefault(_name(block), []).append(block)
    return out


def test_every_dependency_and_test_extra_is_locked_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    locked = _locked()
    assert wanted - set(locked) == set(), "run `make lock`: pyproject.toml asks for packages the lock lacks"
    for name, blocks in locked.items():
        for block in blocks:
            assert regex.match(r"[A-Za-z0-9._-]+(\[[^\]]*\])?==\S+", block), f"{name} is not pinned: {block[:80]}"
            assert "--hash=sha256:" in block, f"{name} has no hash"
