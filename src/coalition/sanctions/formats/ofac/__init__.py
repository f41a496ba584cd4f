"""The US OFAC SDN list in its legacy files: the CSV set and SDN.XML, read into FtM. Pure.

OFAC publishes the Specially Designated Nationals list in "legacy" files beside its
advanced XML. :func:`read_csv` reads the comma-separated set: ``sdn.csv`` (one row per
listing, no header row), either alone or in a zip archive with ``add.csv`` (addresses),
``alt.csv`` (alternate names) and ``sdn_comments.csv`` (remarks running past the
1,000 characters of ``sdn.csv``). :func:`read_xml` reads ``SDN.XML`` (root ``sdnList``,
one ``sdnEntry`` per listing), streaming, under any namespace. Both give, per listing,
the target (Person, LegalEntity, Vessel or Airplane, id ``ofac-<ent_num>``) and then one
``Sanction`` (id ``ofac-<ent_num>-sanction``).

The facts OFAC writes as ``;``-separated remarks in the CSV ("DOB 07 Oct 1952; Passport
123456 (Russia)") and as ``idList`` items in the XML share one vocabulary of labels,
mapped once in :data:`.labels.LABELS`; a fact whose property the target's schema lacks is kept in
``notes`` under its label, and the CSV's whole remarks are kept in ``notes`` too. A file
that is not what its reader expects (another layout, an empty file, a damaged or
oversized zip) gives one entry marked ``broken``, so that it never passes for an empty
list. See docs/sanctions/ofac.md for the layouts and the mapping.

The package holds one idea a module: :mod:`.labels` (OFAC's labels and the FtM property
each fills), :mod:`.listing` (one listing's target and Sanction, built from either file),
:mod:`.sdn_rows` (the rows of a legacy CSV file, whatever shape it is in), :mod:`.sdn_csv`
(sdn.csv, its side files and their zip) and :mod:`.sdn_xml` (SDN.XML).
"""

from coalition.sanctions.formats.ofac.sdn_csv import SDN_COLUMNS, read_csv, recognise_csv
from coalition.sanctions.formats.ofac.sdn_xml import published_xml, read_xml, recognise_xml

__all__ = [
    "SDN_COLUMNS",
    "published_xml",
    "read_csv",
    "read_xml",
    "recognise_csv",
    "recognise_xml",
]
