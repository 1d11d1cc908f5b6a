"""``ogpgraph harvest``: fetch OGP's commitments export and commitment pages into a folder
that ``ogpgraph build`` reads."""
