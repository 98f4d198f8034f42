"""The rules of mail without a server (issue 12): which messages are due when, what a message
looks like (MIME parts, headers, Dutch text from overridable templates), which settings keep
mail from going out, and how the ledger's record keeps a message from going out twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from domain.errors import ConfigError
from domain.periods import Quarter
from flows.mail_settings import mail_setting_problems
from flows.settings import MailSettings
from ledger.database import open_ledger
from ledger.mail import (
    INTERRUPTED,
    MailCover,
    MailKind,
    claim_message,
    fail_stale_sending,
    failed_messages,
    finish_message,
)
from ledger.schema import MailRecord
from reporting.mail import PDF, XLSX, Attachment, Draft, compose, render_draft
from reporting.mail_plan import FeedbackReady, MailFacts, due_mail
from reporting.render import template_environment
from tests.builders import make_contract

Q3 = Quarter(2025, 3)
RUNNING = make_contract("TW-1", email="info@een.example")
SILENT = make_contract("TW-2", email="info@twee.example")
NO_ADDRESS = make_contract("TW-3")
ENDED = make_contract("TW-4", email="x@vier.example", end_date=date(2025, 6, 30))


def facts(**changes: object) -> MailFacts:
    base = MailFacts(
        quarter=Q3,
        today=date(2025, 10, 15),
        reports=True,
        remind_after_days=15,
        recipients={"enschede": ["a@enschede.example"], "Regio": ["r@twente.example"]},
        municipalities=["Enschede", "Hengelo"],
        contracts=[RUNNING, SILENT, NO_ADDRESS, ENDED],
        submitted=frozenset({"TW-1"}),
        feedback=[
            FeedbackReady(5, "TW-1", 2),
            FeedbackReady(6, "TW-1", 2),
            FeedbackReady(9, "TW-1", 3),
            FeedbackReady(7, "TW-3", 2),
        ],
        recorded=frozenset(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def keys(plan_facts: MailFacts) -> list[str]:
    return [cover.key for cover in due_mail(plan_facts).covers]


def test_what_is_due_after_the_quarter() -> None:
    plan = due_mail(facts())
    assert [cover.key for cover in plan.covers] == [
        "report:2025Q3:gemeente:enschede",
        "report:2025Q3:regio",
        "feedback:file:5",
        "feedback:file:9",
        "reminder:2025Q3:TW-2",
    ]
    assert plan.covers[0].municipality == "Enschede", "the register's spelling"
    assert plan.covers[2].file_ids == (5, 6), "one message per contract and run"
    assert plan.notes == [
        "no E-mail in the register, feedback not mailed: TW-3",
        "no E-mail in the register, no reminder for 2025Q3: TW-3",
    ]


def test_recorded_messages_are_never_planned_again() -> None:
    recorded = frozenset({"report:2025Q3:regio", "feedback:file:5", "reminder:2025Q3:TW-2"})
    assert keys(facts(recorded=recorded)) == ["report:2025Q3:gemeente:enschede", "feedback:file:9"]


def test_reports_wait_for_the_end_of_the_quarter_and_the_report_run() -> None:
    during = due_mail(facts(today=date(2025, 9, 30)))
    assert not [c for c in during.covers if c.kind in (MailKind.MUNICIPALITY, MailKind.REGION)]
    assert "2025Q3 runs until 30-09-2025; its reports are mailed once it has ended" in during.notes
    nightly = due_mail(facts(reports=False))
    assert [c.kind for c in nightly.covers] == [
        MailKind.FEEDBACK, MailKind.FEEDBACK, MailKind.REMINDER,
    ]  # fmt: skip


def test_reminders_on_their_day_for_running_contracts_without_a_submission() -> None:
    assert "reminder:2025Q3:TW-2" not in keys(facts(today=date(2025, 10, 14)))
    assert "reminder:2025Q3:TW-2" in keys(facts(today=date(2025, 10, 15)))
    assert "reminder:2025Q3:TW-2" not in keys(facts(remind_after_days=0, today=date(2026, 1, 1)))
    assert "reminder:2025Q3:TW-2" not in keys(facts(submitted=frozenset({"TW-1", "TW-2"})))
    assert not any("TW-4" in key for key in keys(facts())), "ended before the quarter"


def test_a_municipality_the_register_does_not_know_is_a_note() -> None:
    plan = due_mail(facts(recipients={"Enschde": ["a@enschede.example"]}))
    assert not [c for c in plan.covers if c.kind is MailKind.MUNICIPALITY]
    assert plan.notes[0] == (
        "[mail.municipalities] 'Enschde' is not a municipality of the register (Enschede, "
        "Hengelo); no reports go to it"
    )


def test_a_message_has_a_plain_dutch_body_and_typed_attachments() -> None:
    draft = Draft("SROI-rapportage 3e kwartaal 2025, gemeente ’s-Hertogenbosch", "Geachte € 1\n")
    message = compose(
        draft,
        "SROI-team <sroi@twente.example>",
        ["a@b.example", "c@d.example"],
        [
            Attachment("’s-Hertogenbosch.pdf", b"%PDF-1.7 x", PDF),
            Attachment("lijst - terugkoppeling.xlsx", b"PK\x03\x04", XLSX),
        ],
        datetime(2025, 10, 20, 7, 0).astimezone(),
    )
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert parsed.get_content_type() == "multipart/mixed"
    assert parsed["To"] == "a@b.example, c@d.example"
    assert parsed["Subject"] == draft.subject
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"].endswith("@twente.example>")
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content() == "Geachte € 1\n"
    assert body.get_content_charset() == "utf-8"
    parts = [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True))
             for p in parsed.iter_attachments()]  # fmt: skip
    assert parts == [
        ("’s-Hertogenbosch.pdf", PDF, b"%PDF-1.7 x"),
        ("lijst - terugkoppeling.xlsx", XLSX, b"PK\x03\x04"),
    ]


def test_mail_templates_are_overridable_and_need_their_subject_line(tmp_path: Path) -> None:
    contract = make_contract("TW-9", title="Onderhoud")
    context = {"contract": contract, "quarter_nl": Q3.label_nl, "quarter_end": Q3.last_day,
               "template_name": "SROI-formulier TW-9.xlsx", "sender_name": "Het SROI-team",
               "quarter": str(Q3), "as_of": date(2025, 10, 20), "attachments": []}  # fmt: skip
    builtin = render_draft(template_environment(), MailKind.REMINDER, context)
    assert builtin.subject == "Herinnering: SROI-verantwoording 3e kwartaal 2025, contract TW-9"
    assert builtin.body.startswith("Geachte heer/mevrouw,\n\nVoor contract TW-9 (Onderhoud)")
    assert "SROI-formulier TW-9.xlsx" in builtin.body

    own = tmp_path / "report_templates"
    own.mkdir()
    (own / "mail_reminder.txt").write_text(
        "Onderwerp: Nog niets ontvangen voor {{ contract.contract_id }}\n\nBeste {{ sender_name }}"
    )
    overridden = render_draft(template_environment(own), MailKind.REMINDER, context)
    assert overridden == Draft("Nog niets ontvangen voor TW-9", "Beste Het SROI-team\n")

    (own / "mail_reminder.txt").write_text("Beste opdrachtnemer,\n")
    with pytest.raises(ConfigError, match=r"mail template mail_reminder.txt: the first line"):
        render_draft(template_environment(own), MailKind.REMINDER, context)


def test_settings_that_keep_mail_from_going_out() -> None:
    good = MailSettings(host="smtp.example.nl", username="sroi", sender="Team <t@example.nl>",
                        municipalities={"Enschede": ("m@enschede.example",)})  # fmt: skip
    assert mail_setting_problems(good, {"SROI_SMTP_PASSWORD": "x"}) == []
    problems = mail_setting_problems(
        good.model_copy(update={"sender": None, "starttls": False,
                                "municipalities": {"Enschede": ("manager at enschede",)}}),
        {},
    )  # fmt: skip
    assert [problem.en for problem in problems] == [
        '[mail] sender is missing (e.g. sender = "SROI-team <sroi@example.nl>")',
        "[mail] username without starttls would send the password unencrypted; set starttls = true",
        "[mail] username is set but the environment variable SROI_SMTP_PASSWORD (the SMTP "
        "password) is empty",
        "[mail.municipalities] Enschede: 'manager at enschede' is not an e-mail address",
    ]
    assert problems[2].nl == "wachtwoord ontbreekt: omgevingsvariabele SROI_SMTP_PASSWORD is leeg"
    no_address = good.model_copy(update={"sender": "Team"})
    assert [p.en for p in mail_setting_problems(no_address, {"SROI_SMTP_PASSWORD": "x"})] == [
        "[mail] sender 'Team' has no e-mail address"
    ]


def test_a_message_is_claimed_once_and_a_failed_one_again(tmp_path: Path) -> None:
    ledger = open_ledger(f"sqlite:///{tmp_path / 'sroi.db'}")
    cover = MailCover(MailKind.REMINDER, "2025Q3", contract_id="TW-2")
    at = datetime(2025, 10, 20, 7, 0)
    with ledger.transaction() as session:
        first = claim_message(session, cover, ["x@twee.example"], "Herinnering", at)
    assert first is not None
    with ledger.transaction() as session:
        assert claim_message(session, cover, ["x@twee.example"], "Herinnering", at) is None
        finish_message(session, first, "SMTP-server niet bereikbaar", at)
    with ledger.transaction() as session:
        assert [record.id for record in failed_messages(session)] == [first]
        assert claim_message(session, cover, ["y@twee.example"], "Herinnering", at) == first
    with ledger.reading() as session:
        record = session.get(MailRecord, first)
        assert record is not None
        assert (record.state, record.attempts, record.recipients) == (
            "sending", 2, ["y@twee.example"],
        )  # fmt: skip
    with ledger.transaction() as session:
        assert fail_stale_sending(session, at + timedelta(minutes=10)) == 0
        assert fail_stale_sending(session, at + timedelta(minutes=31)) == 1
    with ledger.transaction() as session:
        (stale,) = failed_messages(session)
        assert stale.last_error == INTERRUPTED
        finish_message(session, first, None, at)
    with ledger.transaction() as session:
        assert claim_message(session, cover, ["y@twee.example"], "Herinnering", at) is None
        assert failed_messages(session) == []
    ledger.close()
