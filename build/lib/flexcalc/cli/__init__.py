"""The ``flexcalc`` command. Each module in this package adds its commands to ``app``.

Modules are found and imported automatically, so a new command group is a new file here.
"""

from __future__ import annotations

import importlib
import pkgutil

from flexcalc.cli.common import app

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "common":
        importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    app()


__all__ = ["app", "main"]
