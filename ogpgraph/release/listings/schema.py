"""The tables of the listing index (SQLite), and whether this SQLite has FTS5."""

from __future__ import annotations

import sqlite3

# bump when the tables or what they hold change: older files are then rebuilt in memory
# (5: an action plan's label is the name a source gives it, graph/labels.chosen_label)
SCHEMA_VERSION = 5
SNIPPET_CHARS = 240
# the listing orders besides "id" (= row order), each a column of positions
SORT_ORDERS = ("id_desc", "title_asc", "title_desc", "member_asc", "member_desc",
               "cycle_asc", "cycle_desc")
FACET_ORDERS = SORT_ORDERS[1:]  # positions kept per facet value (id_desc is derived)
# bm25 weights of the search columns: title, institution names, description
SEARCH_WEIGHTS = (100.0, 10.0, 1.0)
SEARCH_COLUMNS = ("title", "institution", "description")
# links that do not make a resource a "user" of a concept (SPARQL: skos structure)
SKOS_STRUCTURE = ("inScheme", "hasTopConcept", "broader", "narrower", "topConceptOf", "related")

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE commitments(
    id INTEGER PRIMARY KEY,        -- position in (identifier, IRI) order
    iri TEXT NOT NULL UNIQUE,
    identifier TEXT NOT NULL,      -- MIN(STR(dcterms:identifier)) or ''
    member TEXT,                   -- one member IRI (the smallest), for display
    cycle TEXT,                    -- MIN(STR(cycleYear)) of its action plans
    starred INTEGER NOT NULL,
    max_rank INTEGER,              -- highest completion rank over its assessments
    snippet TEXT,                  -- start of a description (English preferred)
    -- positions in each listing order (see SORT_ORDERS), so any page is an index range
    id_desc INTEGER NOT NULL, title_asc INTEGER NOT NULL, title_desc INTEGER NOT NULL,
    member_asc INTEGER NOT NULL, member_desc INTEGER NOT NULL,
    cycle_asc INTEGER NOT NULL, cycle_desc INTEGER NOT NULL
);
CREATE INDEX commitments_id_desc ON commitments(id_desc);
CREATE INDEX commitments_title_asc ON commitments(title_asc);
CREATE INDEX commitments_title_desc ON commitments(title_desc);
CREATE INDEX commitments_member_asc ON commitments(member_asc);
CREATE INDEX commitments_member_desc ON commitments(member_desc);
CREATE INDEX commitments_cycle_asc ON commitments(cycle_asc);
CREATE INDEX commitments_cycle_desc ON commitments(cycle_desc);
CREATE INDEX commitments_starred ON commitments(starred);
CREATE INDEX commitments_rank ON commitments(max_rank);
-- multi-valued filters of commitments: facet 'member' | 'cycle' | 'policy-area'; values are
-- numbered once so that the (large) link table holds two integers a row
CREATE TABLE facet_values(id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL,
                          UNIQUE(facet, value));
-- position: 1..n within the value in commitment (id) order, so any page is a key range;
-- the other orders' positions within the value likewise (id_desc is n + 1 - position)
CREATE TABLE facets(value_id INTEGER NOT NULL, position INTEGER NOT NULL,
                    commitment INTEGER NOT NULL,
                    title_asc INTEGER NOT NULL, title_desc INTEGER NOT NULL,
                    member_asc INTEGER NOT NULL, member_desc INTEGER NOT NULL,
                    cycle_asc INTEGER NOT NULL, cycle_desc INTEGER NOT NULL,
                    PRIMARY KEY(value_id, position)) WITHOUT ROWID;
CREATE INDEX facets_probe ON facets(commitment, value_id);
CREATE INDEX facets_title_asc ON facets(value_id, title_asc);
CREATE INDEX facets_title_desc ON facets(value_id, title_desc);
CREATE INDEX facets_member_asc ON facets(value_id, member_asc);
CREATE INDEX facets_member_desc ON facets(value_id, member_desc);
CREATE INDEX facets_cycle_asc ON facets(value_id, cycle_asc);
CREATE INDEX facets_cycle_desc ON facets(value_id, cycle_desc);
CREATE TABLE members(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, slug TEXT NOT NULL,
                     sort_key TEXT NOT NULL, local INTEGER NOT NULL,
                     commitments INTEGER NOT NULL);
CREATE INDEX members_order ON members(sort_key, iri);
CREATE TABLE action_plans(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, member TEXT,
                          member_key TEXT NOT NULL, cycle TEXT, commitments INTEGER NOT NULL);
CREATE INDEX action_plans_order ON action_plans(member_key, cycle DESC, iri);
CREATE TABLE institutions(id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, member TEXT,
                          sort_key TEXT NOT NULL, led INTEGER NOT NULL,
                          supported INTEGER NOT NULL,
                          type TEXT NOT NULL);  -- its most specific class (sector)
CREATE INDEX institutions_order ON institutions(sort_key, iri);
-- every class of each institution (a Legislature is also a GovernmentBody), for the type facet
CREATE TABLE institution_types(class TEXT NOT NULL, institution TEXT NOT NULL,
                               PRIMARY KEY(class, institution)) WITHOUT ROWID;
-- old IRI -> the IRI kept for it (a spelling merged into another institution): answers 301
CREATE TABLE redirects(old TEXT PRIMARY KEY, new TEXT NOT NULL) WITHOUT ROWID;
-- every (member, resource) ogp:member link, for the member filters of plans/institutions
CREATE TABLE memberships(member TEXT NOT NULL, resource TEXT NOT NULL,
                         PRIMARY KEY(member, resource)) WITHOUT ROWID;
CREATE TABLE schemes(iri TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE concepts(iri TEXT NOT NULL, scheme TEXT NOT NULL, notation TEXT, rank INTEGER,
                      uses INTEGER NOT NULL, PRIMARY KEY(scheme, iri)) WITHOUT ROWID;
CREATE INDEX concepts_iri ON concepts(iri);
CREATE TABLE cycles(year TEXT PRIMARY KEY) WITHOUT ROWID;
-- the best label per reader language; es/fr rows only where they differ from en
CREATE TABLE labels(iri TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL,
                    tag TEXT NOT NULL, PRIMARY KEY(iri, lang)) WITHOUT ROWID;
"""

# contentless: the text is only matched and ranked, never read back (halves the file)
FTS_SCHEMA = ("CREATE VIRTUAL TABLE search USING fts5(title, institution, description, "
              "content='', tokenize='unicode61 remove_diacritics 2')")
PLAIN_SEARCH_SCHEMA = ("CREATE TABLE search(rowid INTEGER PRIMARY KEY, title TEXT, "
                       "institution TEXT, description TEXT)")


def has_fts5() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True
