"""The ceasefire's commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import Command, CommandGroup

COMMANDS = (
    Command(
        "reports",
        "coalition.ceasefire.commands:import_reports",
        "Import ceasefire reports: validated, de-duplicated, atomic per batch.",
        under="import",
    ),
    Command(
        "incidents",
        "coalition.ceasefire.commands:export_incidents",
        "Write the incidents the reader may see.",
        under="export",
    ),
    CommandGroup(
        "ceasefire", "coalition.ceasefire.commands:ceasefire_app", "Ceasefire monitoring."
    ),
)
