"""Tasks retry only after an input/output failure; a defect fails at once (through Prefect)."""

from __future__ import annotations

import pytest
from prefect import flow, task

from flows.retrying import IO_RETRIES

ATTEMPTS: dict[str, int] = {"io": 0, "defect": 0}


@task(**IO_RETRIES | {"retry_delay_seconds": 0})
def read_from_a_share() -> str:
    ATTEMPTS["io"] += 1
    if ATTEMPTS["io"] < 3:
        raise OSError("the network share did not answer")
    return "gelezen"


@task(**IO_RETRIES | {"retry_delay_seconds": 0})
def buggy_step() -> str:
    ATTEMPTS["defect"] += 1
    raise ZeroDivisionError("a defect in our code")


@flow
def io_then_defect() -> str:
    result = read_from_a_share()
    buggy_step()
    return result


def test_only_io_errors_are_retried(prefect_api: str) -> None:
    with pytest.raises(ZeroDivisionError):
        io_then_defect()
    assert ATTEMPTS == {"io": 3, "defect": 1}
