"""The decisions' commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import CommandGroup

COMMANDS = (
    CommandGroup(
        "decisions",
        "coalition.decisions.commands:decisions_app",
        "Proposals, positions and outcomes (as the secretariat sees them).",
    ),
)
