"""The import runs' commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import Command, CommandGroup

COMMANDS = (
    CommandGroup(
        "imports",
        "coalition.imports.commands:imports_app",
        "The record of every import: its file, state, counts and rejected rows.",
    ),
    Command(
        "worker",
        "coalition.imports.commands:worker",
        "Do the imports started from the browser and the API, in the background.",
    ),
)
