"""The page kinds of our URI scheme: one module per kind holds its queries and view model.

:mod:`registry` lists them; the resources router (``/id``, ``/doc``) looks a request's
kind up there and never needs to know which kinds exist. Adding a kind of page is one
module here plus one line in :data:`registry.PAGE_KINDS`.
"""
