"""The words sanctions lists are described in: list codes and known lists. Pure.

A list is named by a code in the style OpenSanctions names its datasets
(``us_ofac_sdn``, ``eu_fsf``): lower-case letters, digits and underscores. A few lists
the coalition's members publish or apply are known by code, so that an import names them
properly; any other code is accepted and named by its code until someone says more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LIST_CODE_TEXT = r"^[a-z][a-z0-9_]{1,39}$"
LIST_CODE = re.compile(LIST_CODE_TEXT)


@dataclass(frozen=True)
class KnownList:
    """A published list: what it is called, who publishes it, where."""

    code: str
    name: str
    authority: str
    url: str


KNOWN_LISTS: dict[str, KnownList] = {
    known.code: known
    for known in (
        KnownList(
            "us_ofac_sdn",
            "Specially Designated Nationals and Blocked Persons List (SDN)",
            "US Treasury, Office of Foreign Assets Control",
            "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
        ),
        KnownList(
            "eu_fsf",
            "Consolidated list of persons, groups and entities subject to EU financial sanctions",
            "European Commission, DG FISMA",
            "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions",
        ),
        KnownList(
            "gb_fcdo_sanctions",
            "UK Sanctions List",
            "UK Foreign, Commonwealth and Development Office",
            "https://www.gov.uk/government/publications/the-uk-sanctions-list",
        ),
        KnownList(
            "un_sc_sanctions",
            "United Nations Security Council Consolidated List",
            "United Nations Security Council",
            "https://www.un.org/securitycouncil/content/un-sc-consolidated-list",
        ),
        KnownList(
            "ch_seco_sanctions",
            "Swiss sanctions and embargoes",
            "State Secretariat for Economic Affairs (SECO)",
            "https://www.seco.admin.ch/seco/en/home/Aussenwirtschaftspolitik_Wirtschaftliche_Zusammenarbeit/Wirtschaftsbeziehungen/exportkontrollen-und-sanktionen/sanktionen-embargos.html",
        ),
        KnownList(
            "ca_dfatd_sema_sanctions",
            "Consolidated Canadian Autonomous Sanctions List",
            "Global Affairs Canada",
            "https://www.international.gc.ca/world-monde/international_relations-relations_internationales/sanctions/consolidated-consolide.aspx?lang=eng",
        ),
        KnownList(
            "au_dfat_sanctions",
            "Australian Sanctions Consolidated List",
            "Department of Foreign Affairs and Trade (DFAT)",
            "https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list",
        ),
    )
}


def check_list_code(code: str) -> str:
    """``code`` if it is a list code; else ValueError saying what one looks like."""
    if not LIST_CODE.match(code):
        raise ValueError(
            f"{code!r} is no list code: 2 to 40 lower-case letters, digits and _ "
            "starting with a letter (e.g. us_ofac_sdn)"
        )
    return code


# Every concrete schema FollowTheMoney 4.11 defines, by name: what an entity's ``schema``
# may be. Written out, so that naming them (the API's filter) does not load FtM's model as
# the application starts; a test holds the list to the model itself.
SCHEMA_NAMES: tuple[str, ...] = (
    "Address",
    "Airplane",
    "Article",
    "Asset",
    "Associate",
    "Audio",
    "BankAccount",
    "Call",
    "CallForTenders",
    "Company",
    "Contract",
    "ContractAward",
    "Control",
    "CourtCase",
    "CourtCaseParty",
    "CryptoWallet",
    "Debt",
    "Directorship",
    "Document",
    "Documentation",
    "EconomicActivity",
    "Email",
    "Employment",
    "Event",
    "Family",
    "Folder",
    "HyperText",
    "Identification",
    "Image",
    "LegalEntity",
    "License",
    "Membership",
    "Mention",
    "Message",
    "Note",
    "Occupancy",
    "Organization",
    "Ownership",
    "Package",
    "Page",
    "Pages",
    "Passport",
    "Payment",
    "Person",
    "PlainText",
    "Position",
    "Project",
    "ProjectParticipant",
    "PublicBody",
    "RealEstate",
    "Representation",
    "Risk",
    "Sanction",
    "Security",
    "Similar",
    "Succession",
    "Table",
    "TaxRoll",
    "Territory",
    "Trip",
    "UnknownLink",
    "UserAccount",
    "Vehicle",
    "Vessel",
    "Video",
    "Workbook",
)


def check_schema_name(name: str) -> str:
    """``name`` if FtM defines a concrete schema so named; else ValueError."""
    if name not in SCHEMA_NAMES:
        raise ValueError(f"{name!r} is no FollowTheMoney schema (e.g. Person, Company, Vessel)")
    return name
