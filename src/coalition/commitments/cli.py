"""The commitments' commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import Command

COMMANDS = (
    Command(
        "commitments",
        "coalition.commitments.commands:import_commitments",
        "Load commitments, and the deliveries they state, from a file. Re-running the same\n"
        "file changes nothing.",
        under="import",
    ),
    Command(
        "commitments",
        "coalition.commitments.commands:export_commitments",
        "Write the commitments you may see; without --as, the public open-data feed.",
        under="export",
    ),
)
