"""The listing index: browse, count and search tables precomputed at build time, in SQLite.

Modules: ``schema`` (the tables), ``dataset`` (what the build reads from the union
graph), ``writer`` (one function per table), ``reader`` (:class:`ListingIndex`, what the
web layer asks), ``words`` (search input), ``identifiers`` (a table of its own: schema,
writer and reader).

At 100,000 commitments a policy-area listing costs ~0.4 s of SPARQL and the members' GROUP BY
~0.7 s, on every request. The build therefore runs a few whole-dataset SPARQL queries once
(:func:`build_listing_index`) and writes ``listings.sqlite`` beside the store; the web layer
opens it read-only and answers every listing, count and search from indexed tables.

Semantics are those of the SPARQL the browse pages used to run (the tests compare both):

* commitments: ``?c a ogp:Commitment``; sort keys are ``MIN(STR(identifier))``,
  ``MIN(LCASE(title))`` over all titles, ``MIN(LCASE(label))`` over the members' labels and
  ``MIN(STR(cycleYear))`` over the action plans, missing ones sorting as ``""``; ties by
  identifier then IRI. Rows are inserted in (identifier, IRI) order, so ``id`` = that order.
* starred: ``ogp:starred true`` on the commitment or on any of its assessments;
  completion: the highest ``ogp:rank`` of any assessment's ``ogp:completion``.
* counts: distinct commitments per member, action plan and policy area; distinct
  subjects per institution (led / supported) and per concept (any non-SKOS link).
* search: FTS5 over titles (+ short titles), institution names and descriptions, folded for
  case and accents; every word of the query must occur as a word;
  ranked by bm25 with column weights title 100 > institution 10 > description 1.
* labels: the label :func:`ogpgraph.graph.labels.chosen_label` picks for each listed
  resource in en/es/fr, so listing pages need no per-request label queries.
* identifiers (``identifiers.py``): every IRI minted under ``{base}id/`` by kind and key,
  forwards and backwards, for the bounded "did you mean" of a 404.
"""
