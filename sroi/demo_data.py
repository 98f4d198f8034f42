"""A realistic demo home: a contract register and a coordinator's inbox for 2026 Q1-Q3.

`sroi demo` calls `write_demo_home`, then runs the pipeline on it as of `DEMO_AS_OF` and writes
the reports of `DEMO_QUARTER`. The home is described as data in sroi/demo/home.yaml (contracts,
submissions per contract folder, invoices and the deliberate mistakes, all fictitious) and written
by sroi/demo/generator.py, the same bytes on every call.
"""

from __future__ import annotations

from sroi.demo.generator import DEMO_AS_OF, DEMO_QUARTER, write_demo_home

__all__ = ["DEMO_AS_OF", "DEMO_QUARTER", "write_demo_home"]
