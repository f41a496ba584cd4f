"""The situation's commands, declared by name and help; ``commands.py`` runs them."""

from coalition.core.commandline import Command, CommandGroup

COMMANDS = (
    Command(
        "territory",
        "coalition.situation.commands:import_territory",
        "Import territory snapshots from GeoJSON: one day, dated features, or a gzip history.",
        under="import",
    ),
    Command(
        "claimreview",
        "coalition.situation.commands:import_claimreview",
        "Import fact-checkers' ClaimReview JSON-LD as claims and their reviews (PUBLIC).",
        under="import",
    ),
    CommandGroup(
        "territory",
        "coalition.situation.commands:territory_app",
        "Control of territory: areas, changes, sources.",
    ),
    CommandGroup("claims", "coalition.situation.commands:claims_app", "Claims and their reviews."),
)
