"""Staging and switching in Virtuoso: the bulk loader over its SQL port (``isql-vt``),
then one SQL transaction that writes only what changed. See ``remote_load.py`` for the
steps; ``bench/results/virtuoso-load.md`` for the figures.

- Stage: the staged N-Quads are copied into ``load_dir`` (a folder of the server's
  ``DirsAllowed``, on the server's machine), registered with ``ld_dir`` and loaded by
  ``rdf_loader_run()``; ``checkpoint`` makes them durable. The bulk loader does not fail on
  a bad file: it writes ``DB.DBA.LOAD_LIST.ll_error``, which is read back. Graphs the
  served release lacks are loaded under their live names (``staging_for(direct=True)``):
  no reader consults them until the description names them; the others under staging
  names.
- Switch (``switch_sql``): one procedure call is one logged transaction (``log_enable
  (1)``; an exit handler rolls it back on any error, which Virtuoso does not do by itself:
  its autocommit would commit the half done). It deletes the graphs of the previous
  release that the new one lacks, then, for each graph both have (the description among
  them), deletes the live rows its staged graph lacks and inserts the staged rows the
  live graph lacks (``NOT EXISTS``: a primary-key lookup per row, no write for a row
  both have), and finally counts each such graph against its staged graph in one pass
  over ``DB.DBA.RDF_QUAD``: any difference rolls back.
  Readers at Virtuoso's default isolation (read committed) see the rows as they were
  until the commit: the previous release or the new one, whole. Then ``checkpoint``.
- After the commit the staged graphs, which no reader consults, are deleted without the
  log, a row at a time (``clear_sql``, ``log_enable (2)``); if that fails or a crash
  brings rows back, the next load drops them.

Why (measured at 10,000 commitments, ``bench/virtuoso_load_bench.py``): the switch that
copied every staged row under its live name (``INSERT SOFT … SELECT`` + ``DELETE``) ran at
~3,000 rows/s in one logged transaction (227 s at 10,000, 37.5 min at 100,000), 90 % of
the load. Renaming rows (``UPDATE … SET G``) was 40× slower still. ``log_enable (2)`` or
``(3)`` (no log, or a commit per row) would be fast but not atomic: readers would see the
graphs half replaced, and a crash would leave them so. Loading into graphs no reader
consults and switching the description costs nothing to copy; the graphs both releases
have (the source IRIs stay when a source changes) keep their rows but the difference
(3,100 rows written at 10,000 when every source's description changed). Finding that
difference in one scan, grouped by P, S, O (4 s rather than 88 s at 10,000), was tried and
dropped: Virtuoso's grouping apparently takes some values it stores apart for one (the count check
caught it: a graph short of rows), where the lookup compares them as stored. Virtuoso's
own delta loader (``ld_dir (…, 'with_delete')``) is in the commercial edition only.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

from ogpgraph.store.engines import Endpoint
from ogpgraph.store.remote_load import STAGED_FILE, LoadFailed, Staging
from ogpgraph.store.remote_protocol import STAGING, Release

ISQL = "isql-vt"
ISQL_TIMEOUT_S = 3600.0
_ERROR_MARK = "LOADERROR"
_ROW_MARK = "OGPGRAPHROW"


def sql_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _vector_in_connection(name: str, items: list[str], chunk: int = 100) -> list[str]:
    """Statements that build the vector ``items`` in a connection variable, a chunk at a
    time: a procedure with a statement per graph is refused past a few hundred graphs
    (a release has one graph per page source: 2,000 at 100,000 commitments)."""
    lines = [f"connection_set ({sql_string(name)}, vector ());"]
    for at in range(0, len(items), chunk):
        values = ", ".join(sql_string(item) for item in items[at:at + chunk])
        lines.append(f"connection_set ({sql_string(name)}, vector_concat (connection_get "
                     f"({sql_string(name)}), vector ({values})));")
    return lines


# The switch's procedure body. An error does not undo a Virtuoso transaction by itself
# (autocommit would commit the half done): the handler rolls back, then fails the call.
_SWITCH_BODY = """declare exit handler for sqlstate '*' {{ rollback work; resignal; }};
  declare gone, pairs any;
  declare i, deleted, inserted integer;
  declare mark varchar;
  declare live, staged any;
  gone := connection_get ('ogpgraph_gone');
  pairs := connection_get ('ogpgraph_pairs');
  deleted := 0;
  inserted := 0;
  log_enable (1, 1);
  for (i := 0; i < length (gone); i := i + 1)
    {{
      delete from DB.DBA.RDF_QUAD where G = iri_to_id (aref (gone, i), 0);
      deleted := deleted + row_count ();
    }}
  for (i := 0; i < length (pairs); i := i + 2)
    {{
      live := iri_to_id (aref (pairs, i));
      staged := iri_to_id (aref (pairs, i + 1), 0);
      insert into {graphs} (M_G, M_LIVE, M_NEW) values (live, live, 0);
      insert into {graphs} (M_G, M_LIVE, M_NEW) values (staged, live, 1);
      -- a row of the live graph that the staged graph lacks goes, and the reverse comes:
      -- a lookup in the primary key (P S O G) per row
      delete from DB.DBA.RDF_QUAD where G = live and not exists (select 1 from
        DB.DBA.RDF_QUAD q where q.G = staged and q.S = DB.DBA.RDF_QUAD.S and
        q.P = DB.DBA.RDF_QUAD.P and q.O = DB.DBA.RDF_QUAD.O);
      deleted := deleted + row_count ();
      insert soft DB.DBA.RDF_QUAD (G, S, P, O) select live, q.S, q.P, q.O from
        DB.DBA.RDF_QUAD q where q.G = staged and not exists (select 1 from
        DB.DBA.RDF_QUAD r where r.G = live and r.S = q.S and r.P = q.P and r.O = q.O);
      inserted := inserted + row_count ();
    }}
  for (select M_LIVE from (select M.M_LIVE, sum (2 * M.M_NEW - 1) as more
       from DB.DBA.RDF_QUAD Q, {graphs} M where Q.G = M.M_G group by M.M_LIVE) counted
       where more <> 0) do
    signal ('42000', sprintf ('ogpgraph: graph %s differs from its staged graph after '
                              || 'the switch', id_to_iri (M_LIVE)));
  commit work;
  result_names (mark, deleted, inserted);
  result ({mark}, deleted, inserted);"""


def switch_sql(staging: Staging, previous: Release | None, procedure: str) -> str:
    """One procedure call, one logged transaction (see the module docstring): the graphs
    of the previous release that the new one lacks deleted; the difference between each
    graph both have (the description among them) and its staged rows written; then every
    such graph's count compared with its staged graph's, in one pass over ``RDF_QUAD``
    (a table of the load's own, ``_MAP``: staged and live graph -> live graph, dropped
    after it). Prints the rows deleted and inserted."""
    gone = staging.gone(previous)
    pairs = [iri for live, staged in staging.moved for iri in (live, staged)]
    setup = _vector_in_connection("ogpgraph_gone", gone) + _vector_in_connection(
        "ogpgraph_pairs", pairs)
    graphs = f"{procedure}_MAP"
    body = _SWITCH_BODY.format(graphs=graphs, mark=sql_string(_ROW_MARK))
    table = (f"create table {graphs} (M_G IRI_ID primary key, M_LIVE IRI_ID, "
             f"M_NEW integer);\n")
    return (table + f"create procedure {procedure} () {{\n  {body}\n}};\n"
            + "\n".join(setup) + f"\n{procedure} ();\ndrop procedure {procedure};\n"
            f"drop table {graphs};\ncheckpoint;\n")


def clear_sql(graphs: list[str], procedure: str) -> str:
    """Delete the rows of ``graphs`` without the transaction log, a row at a time
    (``log_enable (2)``): for graphs no reader consults (the staging graphs once switched),
    whose rows a crash may bring back: the next load drops them. Then ``checkpoint``."""
    setup = _vector_in_connection("ogpgraph_clear", graphs)
    body = """declare graphs any;
  declare i integer;
  graphs := connection_get ('ogpgraph_clear');
  log_enable (2, 1);
  for (i := 0; i < length (graphs); i := i + 1)
    {
      delete from DB.DBA.RDF_QUAD where G = iri_to_id (aref (graphs, i), 0);
    }
  log_enable (1, 1);"""
    return (f"create procedure {procedure} () {{\n  {body}\n}};\n" + "\n".join(setup) +
            f"\n{procedure} ();\ndrop procedure {procedure};\ncheckpoint;\n")


class VirtuosoLoader:
    def __init__(self, endpoint: Endpoint) -> None:
        if endpoint.isql_port is None or endpoint.load_dir is None:
            raise LoadFailed("loading into Virtuoso needs its SQL port and a folder of its "
                             "DirsAllowed: virtuoso+http://USER:PASSWORD@HOST:PORT/sparql"
                             "?isql=1111&load_dir=/path")
        if shutil.which(ISQL) is None:
            raise LoadFailed(f"{ISQL} (Debian's virtuoso-opensource-7) is not installed")
        self.endpoint = endpoint
        self.load_dir = Path(endpoint.load_dir)
        self.switched: tuple[int, ...] | None = None  # rows the last switch deleted, inserted
        self.switch_seconds: dict[str, float] = {}  # the last switch's steps (for bench/)

    def isql(self, sql: str) -> str:
        """Run SQL statements; LoadFailed on any error (isql-vt exits 0 regardless)."""
        with tempfile.NamedTemporaryFile("w", suffix=".sql", encoding="utf-8") as script:
            script.write(sql)
            script.flush()
            command = [ISQL, f"{self.endpoint.host}:{self.endpoint.isql_port}",
                       self.endpoint.user or "dba", self.endpoint.password or "dba",
                       script.name]
            try:
                done = subprocess.run(command, capture_output=True, text=True,
                                      timeout=ISQL_TIMEOUT_S)
            except subprocess.TimeoutExpired as exc:
                raise LoadFailed(f"isql-vt did not finish within {ISQL_TIMEOUT_S:g} s") from exc
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise LoadFailed(f"Virtuoso refused: {output[-1500:]}")
        return output

    def stage(self, staged_file: Path, staging: Staging) -> None:
        folder = self.load_dir / f"ogpgraph-{staging.token}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        try:
            shutil.copyfile(staged_file, folder / STAGED_FILE)
            pattern = sql_string(f"{folder}/%")
            output = self.isql(
                f"delete from DB.DBA.LOAD_LIST where ll_file like {pattern};\n"
                f"ld_dir ({sql_string(str(folder))}, {sql_string(STAGED_FILE)}, "
                f"{sql_string('urn:ogpgraph:no-graph')});\n"
                "rdf_loader_run ();\ncheckpoint;\n"
                f"select {sql_string(_ERROR_MARK)}, ll_file, ll_error from DB.DBA.LOAD_LIST "
                f"where ll_file like {pattern} and (ll_error is not null or ll_state <> 2);\n")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if f"\n{_ERROR_MARK}" in output:
            raise LoadFailed(f"Virtuoso's bulk loader failed: {output[-1500:]}")

    def switch(self, staging: Staging, previous: Release | None) -> None:
        """The switch's transaction, then the switched staging graphs cleared outside it
        (no reader consults them; a failure there is left to the next load)."""
        started = time.perf_counter()
        found = self.rows(switch_sql(staging, previous,
                                     f"DB.DBA.OGPGRAPH_SWITCH_{staging.token}"))
        self.switched = tuple(int(n) for n in found[0]) if found else None
        switched = time.perf_counter()
        try:
            self.drop([staged for _, staged in staging.moved])
        except LoadFailed as exc:
            warnings.warn(f"the release is switched; its staging graphs stay until the "
                          f"next load: {exc}", stacklevel=2)
        self.switch_seconds = {"transaction": switched - started,
                               "clear": time.perf_counter() - switched}

    def drop(self, graphs: list[str]) -> None:
        """Delete graphs that no reader consults (staging graphs, graphs loaded under
        their live names for a release not switched to), unlogged (``clear_sql``)."""
        if graphs:
            self.isql(clear_sql(graphs, f"DB.DBA.OGPGRAPH_CLEAR_{len(graphs)}"))

    def rows(self, sql: str) -> list[list[str]]:
        """The rows of ``select 'MARK', …`` statements in ``sql``, as whitespace-separated
        fields after the mark (isql-vt prints a table; IRIs and numbers have no spaces)."""
        return [line.split()[1:] for line in self.isql(sql).splitlines()
                if line.split()[:1] == [_ROW_MARK]]

    def counts(self, graphs: list[str]) -> dict[str, int] | None:
        """Over SQL, where no SPARQL time limit (MaxQueryExecutionTime) applies, in one pass
        over the quads: a count per graph (``where G = …``) took about a second each at
        10,000 commitments, and a release has a graph per page source."""
        found = dict(self.rows(f"select {sql_string(_ROW_MARK)}, id_to_iri (G), count (*) "
                               "from DB.DBA.RDF_QUAD group by G;\n"))
        return {iri: int(found.get(iri, 0)) for iri in graphs}

    def staging_graphs(self) -> list[str] | None:
        found = self.rows(
            f"select {sql_string(_ROW_MARK)}, id_to_iri (G) from (select distinct G from "
            "DB.DBA.RDF_QUAD) graphs where id_to_iri (G) like "
            f"{sql_string(STAGING + '%')};\n")
        return [fields[0] for fields in found]

    def close(self) -> None:
        pass
