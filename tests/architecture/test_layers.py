"""The house keeps its shape: the layers hold, every module of the frame is in a layer, and services
and selectors take keyword arguments only."""

import importlib
import inspect
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())
SERVICES_AND_SELECTORS = [
    "networks.services", "networks.selectors", "guidance.services", "guidance.selectors",
    "guidance.catalogue.services", "guidance.catalogue.selectors", "portal.accounts.services",
    "portal.accounts.selectors",
]


def test_import_contracts_are_kept():
    """The same check as ``lint-imports`` in CI: layers, the registry's interface, no cycles."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_module_of_the_frame_is_in_a_layer():
    layers = CONFIG["tool"]["importlinter"]["contracts"][0]["layers"]
    listed = {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}
    import portal

    modules = {f"portal.{info.name}" for info in pkgutil.iter_modules(portal.__path__)}
    assert modules <= listed, f"not in a layer of pyproject.toml: {sorted(modules - listed)}"


@pytest.mark.parametrize("module_name", SERVICES_AND_SELECTORS)
def test_services_and_selectors_are_keyword_only_and_typed(module_name):
    module = importlib.import_module(module_name)
    offenders = []
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or function.__module__ != module_name:
            continue
        signature = inspect.signature(function)
        positional = [p.name for p in signature.parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
        if positional:
            offenders.append(f"{name}({', '.join(positional)})")
        elif signature.return_annotation is inspect.Signature.empty:
            offenders.append(f"{name}: no return annotation")
    assert not offenders, f"{module_name}: {offenders}"
