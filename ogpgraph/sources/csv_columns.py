"""Column names of OGP's commitments export (the official 171-column schema).

Names are exact header texts. The reader in ``csv_export.py`` documents the mapping as a
table; this module only holds the names so that the reader and its tests share them.
"""

from __future__ import annotations

from typing import Literal

# --- identity, member, action plan, prose ---------------------------------------------------
ID = "Commitment Unique Identifier"
MEMBER = "Country/Locality"
CODE = "Code"
REGION = "Region"
NATIONAL_OR_LOCAL = "National Or Local"
AP_ID = "Action Plan ID"
AP_NUMBER = "Action Plan Number"
AP_YEAR = "Year Of Submission"
AP_END_YEAR = "Action Plan End Year"
NUMBER = "Commitment Number"
TITLE = "Commitment Title"
SHORT_TITLE = "Short Title"
FULL_TEXT = "Full Text"
THEME = "Theme"
START = "Start Date"
END = "End Date"
LEAD = "Lead Institution"
SUPPORT = "Supporting Institution(s)"
URL = "URL"
ACTIVE = "Active Commitment"

# Without these a row cannot become a commitment with a member and an action plan.
REQUIRED = (ID, MEMBER, TITLE, AP_YEAR)

# --- policy areas: every 0/1 flag column from the first to the last of these, inclusive ------
POLICY_AREA_FIRST = "Anti-Corruption and Integrity"
POLICY_AREA_LAST = "Money in Politics"

# --- IRM -------------------------------------------------------------------------------------
MID_YEAR = "Report Publication Year (Progress Report)"
END_YEAR = "Report Publication Year (End Of Term)"

# "OGP Value …" flag column -> ogp-value concept key
OGP_VALUE_FLAGS = {
    "OGP Value Access To Information": "access-to-information",
    "OGP Value Civic Participation": "civic-participation",
    "OGP Value Public Accountability": "public-accountability",
    "OGP Value Technology": "technology-and-innovation-for-transparency-and-accountability",
}
RELEVANT = "_Relevant"  # 1 when any OGP value applies: the twin of the four flags above

# "Did It Open Government (…)" per value -> ogp-value key
DIOG_BY_VALUE = {
    "Did It Open Government (Access To Information)": "access-to-information",
    "Did It Open Government (Civic Participation)": "civic-participation",
    "Did It Open Government: Public Accountability": "public-accountability",
}

ReportGroup = Literal["mid-term", "end-of-term"]


# Controlled-value columns: header -> (report, Assessment attribute, SKOS scheme).
SCHEME_COLUMNS: dict[str, tuple[ReportGroup, str, str]] = {
    "Specificity": ("mid-term", "specificity", "specificity"),
    "Potential Impact": ("mid-term", "potential_impact", "potential-impact"),
    "Completion (Progress Report)": ("mid-term", "completion", "completion"),
    "Potential for Results": ("mid-term", "potential_for_results", "potential-for-results"),
    "Completion (End Of Term)": ("end-of-term", "completion", "completion"),
    "Change In Completion": ("end-of-term", "change_in_completion", "change-in-completion"),
    "Early Results": ("end-of-term", "early_results", "early-results"),
    "Did It Open Government (Overall)": (
        "end-of-term", "did_it_open_government", "did-it-open-government"
    ),
}

# Yes/No or 1/0 columns: header -> (report, Assessment attribute).
BOOLEAN_COLUMNS: dict[str, tuple[ReportGroup, str]] = {
    "Verifiable": ("mid-term", "verifiable"),
    "Carried Forward": ("end-of-term", "carried_forward"),
}

# Starred flags: header -> (report, formula). The mid-term report has two (see reader).
STARRED_2015 = "Starred (2015 Only)"
STARRED_CURRENT_MID = "Starred (Current Formula) Progress Report"
STARRED_CURRENT_END = "Starred (Current Formula) End of Term"

# Numeric twins: text column -> (twin column, scheme). The twin holds the concept's
# skos:notation; see ``csv_cells.twin_problem`` for the two documented encodings that differ.
TWINS: dict[str, tuple[str, str]] = {
    "Specificity": ("_Specificity", "specificity"),
    "Potential Impact": ("_Potential Impact", "potential-impact"),
    "Completion (Progress Report)": ("_CompletionProgress", "completion"),
    "Completion (End Of Term)": ("_CompletionEndTerm", "completion"),
    "Change In Completion": ("_ChangeCompletion", "change-in-completion"),
    "Early Results": ("_Early Results", "early-results"),
    "Did It Open Government (Overall)": ("_OpenGovernment", "did-it-open-government"),
    "Did It Open Government (Access To Information)": ("_DIOGATI", "did-it-open-government"),
    "Did It Open Government (Civic Participation)": ("_DIOGCP", "did-it-open-government"),
    "Did It Open Government: Public Accountability": ("_DIOGPA", "did-it-open-government"),
    "Potential for Results": ("_Potential for Results", "potential-for-results"),
}
