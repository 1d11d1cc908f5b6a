"""Messages the templates translate (``_(heading)``) but that are written elsewhere: headings
and link titles the routers pass, the dumps' descriptions (release layout), HTTP's reason
phrases (error pages), the kinds of change and of resource (the change history), SHACL
severities. Listed here, marked with ``N_``, so that ``make messages`` extracts them;
``tests/web/test_i18n.py`` checks that every value the code can pass is listed and
translated.
"""

from __future__ import annotations

from ogpgraph.web.i18n import N_

ROUTER_MESSAGES = (
    N_("Members"), N_("Action plans"), N_("Institutions"), N_("Policy areas"),
    N_("Changes"), N_("Controlled vocabularies"), N_("Commitments"), N_("Used by"),
    N_("VoID description (Turtle)"), N_("Atom feed of these changes"),
)

DUMP_DESCRIPTIONS = (
    N_("The whole dataset (union of all graphs) as Turtle"),
    N_("The whole dataset as gzipped N-Triples"),
    N_("N-Quads with the provenance named graphs (one per source), gzipped"),
    N_("TriG with the provenance named graphs"),
    N_("The whole dataset as JSON-LD"),
    N_("The ogpgraph OWL ontology"),
    N_("The SKOS vocabularies"),
    N_("The SHACL shapes"),
)

# the statuses the web layer answers with (errors.HttpProblem.title is the reason phrase)
HTTP_PHRASES = (
    N_("Bad Request"), N_("Not Found"), N_("Method Not Allowed"), N_("Not Acceptable"),
    N_("Request Entity Too Large"), N_("Request-URI Too Long"), N_("Unsupported Media Type"),
    N_("Unprocessable Entity"), N_("Too Many Requests"), N_("Internal Server Error"),
    N_("Service Unavailable"), N_("Gateway Timeout"), N_("Error"),
)

# history_views.KIND_WORDS and the change kinds of the /changes filter
CHANGE_WORDS = (N_("added"), N_("removed"), N_("changed"), N_("modified"))

# the kind segment of our IRIs (graph/uris.py), as the change history names resources
RESOURCE_KINDS = (
    N_("commitment"), N_("milestone"), N_("assessment"), N_("member"), N_("action plan"),
    N_("irm report"), N_("institution"), N_("source"), N_("disagreement"),
    N_("policy area"), N_("completion"), N_("potential impact"), N_("ambition"),
    N_("did it open government"), N_("early results"), N_("potential for results"),
    N_("specificity"), N_("ogp value"), N_("status"), N_("report kind"), N_("region"),
    N_("change in completion"),
)

SEVERITIES = (N_("Violation"), N_("Warning"), N_("Info"))
