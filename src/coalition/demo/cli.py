"""The demo's command, declared by name and help; ``commands.py`` runs it."""

from coalition.core.commandline import Command

COMMANDS = (
    Command(
        "demo",
        "coalition.demo.commands:demo",
        "Load the illustrative March 2025 scenario into the configured database, then serve it.",
    ),
)
