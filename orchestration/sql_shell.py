"""`nkwatch sql`: a read-only SQL shell on the analysts' copy of the marts.

Statements end with `;` and may span lines; results print as DuckDB tables. The shell opens
the published file read-only and reopens it when a newer publication has replaced it, so a
session left open all day sees each build, and never blocks the pipeline.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

import duckdb

PROMPT, CONTINUATION = "nkwatch> ", "   ...> "


class _Published:
    """A read-only connection that follows the file as publications replace it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._inode = -1
        self._con: duckdb.DuckDBPyConnection | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        inode = os.stat(self._path).st_ino
        if self._con is None or inode != self._inode:
            self.close()
            self._con, self._inode = duckdb.connect(str(self._path), read_only=True), inode
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def run_statement(published: _Published, statement: str, out: TextIO) -> bool:
    """Run one statement and print its result or its error; return whether it succeeded."""
    try:
        relation = published.connection().sql(statement)
    except duckdb.Error as exc:
        print(f"Error: {exc}", file=out)
        return False
    if relation is not None:
        print(relation, file=out)  # the same table rendering as .show()
    return True


def shell(path: Path, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Read statements from ``stdin`` until end of input or `.quit`; return 1 if any failed."""
    if not path.exists():
        print(f"nkwatch: {path} does not exist yet; it is written after the first successful run.", file=sys.stderr)
        return 2
    interactive = stdin.isatty()
    if interactive:
        print(f"Read-only SQL on {path}. End statements with ';'. .tables lists tables, .quit leaves.", file=out)
    published = _Published(path)
    buffer: list[str] = []
    ok = True
    try:
        while True:
            if interactive:
                print(CONTINUATION if buffer else PROMPT, end="", file=out, flush=True)
            line = stdin.readline()
            if not line or (not buffer and line.strip() in {".quit", ".exit"}):
                break
            if not buffer and line.strip() == ".tables":
                line = "SHOW TABLES;"
            buffer.append(line)
            if line.rstrip().endswith(";"):
                ok = run_statement(published, "".join(buffer), out) and ok
                buffer.clear()
        if "".join(buffer).strip():
            ok = run_statement(published, "".join(buffer), out) and ok
    finally:
        published.close()
    return 0 if ok else 1
