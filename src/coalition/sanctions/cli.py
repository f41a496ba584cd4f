"""The sanctions commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import Command, CommandGroup

COMMANDS = (
    Command(
        "sanctions",
        "coalition.sanctions.commands:import_sanctions",
        "Import a snapshot of a sanctions list from a file in its published layout.",
        under="import",
    ),
    CommandGroup(
        "sanctions", "coalition.sanctions.commands:sanctions_app", "Sanctions lists and entities."
    ),
)
