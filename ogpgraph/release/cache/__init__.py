"""What a release keeps so the next build can reuse it (``release/cache/``): see
``store.py`` for the files and ``version.py`` for when they are stale."""
