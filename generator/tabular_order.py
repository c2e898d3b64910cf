"""Where the ICD-10-CM tabular list places codes that character order would misplace.

Code without its dot -> the sibling it follows in the CDC's XML (FY2026): letters in a category
(C4A after C43, D3A after D36, QA0 after Q99), subcategories with a letter (C84.A after C84.7),
and chapter 22 (U) after Z. Read by generator/systems.py (ordering and ranges) and, through
core/codes-data.js, by the browser. Written from `icd10cm.tabular_places`; tests/test_codes.py
fails with the new table when a release changes it.
"""

TABULAR_PLACES = {
    "U": "Z", "C84A": "C847", "C84Z": "C84A", "C91A": "C916", "C91Z": "C91A", "C92A": "C926",
    "C92Z": "C92A", "C93Z": "C933", "C96A": "C966", "C96Z": "C96A", "D46A": "D462",
    "D46B": "D46A", "D46C": "D46B", "D46Z": "D464", "D47Z": "D474", "F68A": "F681",
    "G40A": "G403", "G40B": "G40A", "G40C": "G40B", "G43A": "G437", "G43B": "G43A",
    "G43C": "G43B", "G43D": "G43C", "G43E": "G439", "H93A": "H931", "I82A": "I827",
    "I82B": "I82A", "I82C": "I82B", "L98A": "L984", "M350A": "M3508", "M350B": "M350A",
    "M350C": "M350B", "M79A": "M797", "N80A": "N806", "N80B": "N80A", "N80C": "N80B",
    "N80D": "N80C", "N803A": "N8038", "N803B": "N803A", "N803C": "N803B", "O09A": "O091",
    "O35A": "O351", "O35B": "O35A", "O35C": "O35B", "O35D": "O35C", "O35E": "O35D",
    "O35F": "O35E", "O35G": "O35F", "O35H": "O35G", "P041A": "P0417", "S060XA": "S060X1",
    "S061XA": "S061X8", "S062XA": "S062X8", "S0630A": "S06308", "S0631A": "S06318",
    "S0632A": "S06328", "S0633A": "S06338", "S0634A": "S06348", "S0635A": "S06358",
    "S0636A": "S06368", "S0637A": "S06378", "S0638A": "S06388", "S064XA": "S064X8",
    "S065XA": "S065X8", "S066XA": "S066X8", "S068A": "S0682", "S0681A": "S06818",
    "S0682A": "S06828", "S068AA": "S068A8", "S0689A": "S06898", "S069XA": "S069X8",
    "T50A": "T508", "T50B": "T50A", "T50Z": "T50B", "T79A": "T797", "T80A": "T804",
    "W44A": "W440", "W44B": "W44A", "W44C": "W44B", "W44D": "W44C", "W44E": "W44D",
    "W44F": "W44E", "W44G": "W44F", "W44H": "W44G", "Y93A": "Y937", "Y93B": "Y93A",
    "Y93C": "Y93B", "Y93D": "Y93C", "Y93E": "Y93D", "Y93F": "Y93E", "Y93G": "Y93F",
    "Y93H": "Y93G", "Y93I": "Y93H", "Y93J": "Y93I", "Y93K": "Y93J", "Y93L": "Y93K",
    "Y936A": "Y9368", "Z91A": "Z911", "Z91B": "Z918", "C4A": "C43", "C7A": "C75", "C7B": "C7A",
    "D3A": "D36", "I1A": "I16", "I5A": "I52", "J4A": "J44", "M1A": "M08", "O9A": "O99",
    "QA0": "Q99", "Z3A": "Z36",
}

# Blocks named after a category that is not the last one they list: a range ending at that
# category covers the block through its real last category (J40-J4A holds J45 and J47).
# Written from `icd10cm.range_ends`.
RANGE_LAST = {"J4A": "J47"}
