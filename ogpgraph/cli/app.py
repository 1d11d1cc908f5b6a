"""The command line: a thin face over the build, validation, store and web functions.

Each command is a module of this package; :data:`COMMANDS` is the registry (a new command
is one module and one line).
"""

from __future__ import annotations

import typer

from ogpgraph.cli.build import build
from ogpgraph.cli.dump import dump
from ogpgraph.cli.harvest import harvest_command
from ogpgraph.cli.parse import parse
from ogpgraph.cli.publish import publish
from ogpgraph.cli.query import query
from ogpgraph.cli.serve import serve
from ogpgraph.cli.validate import validate

COMMANDS = {"build": build, "parse": parse, "validate": validate, "serve": serve,
            "dump": dump, "query": query, "harvest": harvest_command, "publish": publish}

app = typer.Typer(help="ogpgraph: the linked-data publisher for OGP commitments.",
                  no_args_is_help=True, add_completion=False)
for _name, _command in COMMANDS.items():
    app.command(_name)(_command)


if __name__ == "__main__":  # pragma: no cover
    app()
