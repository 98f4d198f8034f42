"""A PDF worker process (`python -m reporting.pdfworker`): reads jobs from stdin, one JSON line
each (`{"html": ..., "pdf": path}`), writes each PDF and answers one JSON line per job on
stdout (`{"pdf": path}`, with `"error"` when it failed). It imports only what rendering needs,
so a worker costs WeasyPrint's memory and start-up, not the whole application's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reporting.render import write_pdf_file


def main() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        answer = {"pdf": job["pdf"]}
        try:
            write_pdf_file(job["html"], Path(job["pdf"]))
        except Exception as error:  # noqa: BLE001 - every failure goes back to the parent
            answer["error"] = f"{type(error).__name__}: {error}"
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
