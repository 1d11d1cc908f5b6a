"""The store interface the web layer talks to (``base.py``), the embedded Oxigraph store,
and where public queries are checked and run (``query_check``, ``executor``)."""
