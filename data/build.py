"""Command line: build (or check) the DuckDB store from the seed CSVs.

    python -m data.build            # build if missing or older than the seeds
    python -m data.build --force    # rebuild unconditionally
    python -m data.build --db PATH  # another location (default: $ARMS_PRIORITY_DB or data/arms_priority.duckdb)

Exit status 0 on success, 2 with a one-line message on a seed or schema error (no traceback).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data.store import StoreError, build_store, default_db_path, ensure_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="database file to build")
    parser.add_argument("--force", action="store_true", help="rebuild even if current")
    args = parser.parse_args(argv)
    target = args.db if args.db is not None else default_db_path()
    try:
        if args.force:
            build_store(target)
            print(f"Built the store from the seeds at {target}.")
        else:
            print(ensure_store(target).message)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
