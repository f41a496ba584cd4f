"""The labels OFAC puts before a fact, and the FtM property each fills. Pure.

OFAC writes a listing's facts as ``;``-separated remarks in the CSV ("DOB 07 Oct 1952;
Passport 123456 (Russia)") and as ``idList`` items in SDN.XML: both readers share this one
vocabulary of labels. Labels of facts about the designation rather than the target go on
the Sanction's provisions.
"""

from __future__ import annotations

# What each label OFAC puts before a value (in CSV remarks; as ``idType`` in the XML)
# says, as the FtM property it fills. A label is matched case-insensitively, with or
# without "alt." before it; the longest label that starts a remark wins.
LABELS: dict[str, str] = {
    "DOB": "birthDate",
    "POB": "birthPlace",
    "nationality": "nationality",
    "citizen": "citizenship",
    "Gender": "gender",
    "Passport": "passportNumber",
    "Diplomatic Passport": "passportNumber",
    "National ID No.": "idNumber",
    "Identification Number": "idNumber",
    "Cedula No.": "idNumber",
    "C.U.R.P.": "idNumber",
    "Personal ID Card": "idNumber",
    "Residency Number": "idNumber",
    "SSN": "socialSecurityNumber",
    "Tax ID No.": "taxNumber",
    "Tax Identification Number": "taxNumber",
    "R.F.C.": "taxNumber",
    "NIT #": "taxNumber",
    "Italian Fiscal Code": "taxNumber",
    "VAT Number": "vatCode",
    "INN": "innCode",
    "OGRN": "ogrnCode",
    "Registration Number": "registrationNumber",
    "Business Registration Number": "registrationNumber",
    "Registration ID": "registrationNumber",
    "Commercial Registry Number": "registrationNumber",
    "Company Number": "registrationNumber",
    "Business Number": "registrationNumber",
    "Enterprise Number": "registrationNumber",
    "Certificate of Incorporation Number": "registrationNumber",
    "Public Registration Number": "registrationNumber",
    "Unified Social Credit Code (USCC)": "registrationNumber",
    "Chamber of Commerce Number": "registrationNumber",
    "Trade License No.": "registrationNumber",
    "Legal Entity Number": "leiCode",
    "D-U-N-S Number": "dunsCode",
    "SWIFT/BIC": "swiftBic",
    "Email Address": "email",
    "Website": "website",
    "Phone Number": "phone",
    "Organization Established Date": "incorporationDate",
    "Nationality of Registration": "country",
    "Vessel Registration Identification": "imoNumber",
    "MMSI": "mmsi",
    "Vessel Year of Build": "buildDate",
    "Other Vessel Flag": "pastFlags",
    "Former Vessel Flag": "pastFlags",
    "Other Vessel Type": "pastTypes",
    "Other Vessel Call Sign": "callSign",
    "Aircraft Model": "model",
    "Aircraft Manufacturer's Serial Number (MSN)": "serialNumber",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "serialNumber",
    "Aircraft Tail Number": "registrationNumber",
    "Aircraft Manufacture Date": "buildDate",
    "a.k.a.": "alias",
    "f.k.a.": "previousName",
    "n.k.a.": "alias",
}
# Labels of facts about the designation rather than the target: the Sanction's provisions.
PROVISION_LABELS = (
    "Additional Sanctions Information -",
    "Secondary sanctions risk:",
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
    "Executive Order",
    "IFCA Determination -",
    "CAATSA Section 235 Information:",
    "PEESA Information:",
    "Listing Date",
    "Effective Date",
)
PROVISION_STARTS = tuple(label.casefold() for label in PROVISION_LABELS)
IDENTIFIERS = {  # properties whose remark may go on "(Country) issued <date> expires <date>"
    "passportNumber",
    "idNumber",
    "socialSecurityNumber",
    "taxNumber",
    "vatCode",
    "innCode",
    "ogrnCode",
    "registrationNumber",
    "leiCode",
    "dunsCode",
}
LABELS_LONGEST = sorted(LABELS, key=len, reverse=True)
LABELS_FOLDED = {label.casefold(): prop for label, prop in LABELS.items()}
