"""CLI commands beyond ``run`` and ``assess``: one module per command.

Each module defines one typer-annotated function named ``<name>_command`` that is a thin shell
over a documented Python API. :mod:`heatpath.cli` registers every module listed in
:data:`COMMANDS` that exists.
"""

#: command name -> module (in this package) defining ``<name>_command``
COMMANDS: dict[str, str] = {
    "compare": "compare",
    "appraise": "appraise",
    "operate": "operate",
    "report": "report",
    "plan": "plan",
    "sweep": "sweep",
}
