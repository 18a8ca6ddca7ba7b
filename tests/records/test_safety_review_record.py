"""The safety-review decision record (PDF) and the per-level counts (CSV), read back.

The record is built through the services on the shipped protocols with their dose-finding
rules (SQLite only: these are tests of the paper; the review itself runs on both stores in
tests/services/test_trial_decisions.py). The 3+3 trial ``ucmsc-cart-cytopenia``: P001-P003
enrolled in group A on FakeClock's 21 Nov 2026 08:00 UTC and given their one infusion
(course_steps.give takes 3 h 25 min each: P003's observation ends 18:15 UTC). A day later,
22 Nov 18:15 UTC (23 Nov 02:15 at the site, Asia/Shanghai, UTC+08:00), P001 and P003 each
have a grade 3 AE flagged as a DLT; P001's is confirmed, P003's rejected. 28 days later,
20 Dec 18:15 UTC (21 Dec 02:15 local), the windows have closed: 1 DLT in 3 evaluable, so the
rule says expand A to 6, and the investigator signs it. After the review P004 is enrolled at
A (the expansion), so the counts now differ from those signed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.engine import URL, make_url

from infusion_app.logic.dose_finding import trial_state
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import DltReviewed, LevelCounts, Signature, TrialDecisionReviewed
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.protocol_files import load_protocol
from infusion_app.records.csv_cells import FORMULA_STARTS, safe_cell
from infusion_app.records.events_csv import events_csv
from infusion_app.records.fonts import needs_cjk
from infusion_app.records.safety_review import (
    SafetyReviewSource,
    render_safety_review,
    signed_decisions,
)
from infusion_app.records.trial_counts import trial_counts_csv
from infusion_app.services import patient_aes, records, trial_records
from infusion_app.services.context import AppContext, NotAuthorised
from infusion_app.services.dlt_review import review_dlt
from infusion_app.services.trial import review_decision
from infusion_app.store.models import Event
from infusion_app.store.opening import open_database
from tests.cli_world import run_cli
from tests.conftest import FAST_HASHER, PASSWORD, Staff, make_staff
from tests.fakes import FakeClock
from tests.records.conftest import one_line, pdf_pages
from tests.services.course_steps import enrolled, give

CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"
GRADE_3 = {
    "term": "Platelet count decreased",
    "grade": 3,
    "attribution": "possible",
    "serious": False,
}
CONFIRM_REASON = "no other cause; related to the infusion"
REJECT_REASON = "platelets were already grade 3 before the infusion"


@pytest.fixture
def database_url(tmp_path: Path) -> URL:
    return make_url(f"sqlite:///{tmp_path / 'trial.sqlite3'}")


@pytest.fixture
def ctx(database_url, clock: FakeClock, dose_finding_rules: Path):
    db = open_database(database_url, clock())
    context = AppContext(
        db=db, station="ward-3", clock=clock, hasher=FAST_HASHER, protocols=dose_finding_rules
    )
    yield context
    db.dispose()


@dataclass(frozen=True)
class Built:
    confirmed_ae: int  # P001's AE in its own stream
    rejected_ae: int  # P003's
    review_seq: int  # the signed expand in trial:ucmsc-cart-cytopenia


def cart_cohort(ctx: AppContext, staff: Staff, clock: FakeClock) -> None:
    for trial_id in ("P001", "P002", "P003"):
        enrolled(ctx, staff, trial_id, CART, "A")
    for trial_id in ("P001", "P002", "P003"):
        give(ctx, staff, clock, trial_id, 1)


def adjudicated(ctx: AppContext, staff: Staff, trial_id: str, confirmed: bool, why: str) -> int:
    ae = patient_aes.record_patient_ae(ctx, staff.nurse, trial_id, GRADE_3)
    assert ae.dlt
    review_dlt(
        ctx,
        staff.investigator,
        trial_id,
        stream=f"patient:{trial_id}",
        adverse_event_seq=ae.seq,
        confirmed=confirmed,
        reason=why,
        password=PASSWORD,
    )
    return ae.seq


def build_expansion(ctx: AppContext, staff: Staff, clock: FakeClock) -> Built:
    cart_cohort(ctx, staff, clock)
    clock.advance(days=1)
    confirmed = adjudicated(ctx, staff, "P001", True, CONFIRM_REASON)
    rejected = adjudicated(ctx, staff, "P003", False, REJECT_REASON)
    clock.advance(days=28)
    seq = review_decision(
        ctx,
        staff.investigator,
        CART,
        expected_decision="expand",
        password=PASSWORD,
        comment="safety review meeting 1",
    )
    enrolled(ctx, staff, "P004", CART, "A")  # the expansion's first patient, after the review
    return Built(confirmed, rejected, seq)


@pytest.fixture
def staff(ctx) -> Staff:
    return make_staff(ctx)


@pytest.fixture
def expansion(ctx, staff, clock) -> Built:
    built = build_expansion(ctx, staff, clock)
    clock.advance(hours=1)  # printed 20 Dec 19:15 UTC = 21 Dec 03:15 at the site
    return built


def text_of(document: records.Document) -> str:
    return one_line("\n".join(pdf_pages(document.data)))


def test_the_signed_expansion_on_paper(ctx, staff, expansion: Built) -> None:
    document = trial_records.safety_review_record(ctx, staff.monitor, CART)
    assert (document.what, document.subject) == (
        "safety review record",
        f"trial ucmsc-cart-cytopenia v1.5.0 review #{expansion.review_seq}",
    )
    assert document.file_name == f"safety-review-{CART}-{expansion.review_seq}.pdf"
    text = text_of(document)
    assert "Safety review decision record: ucmsc-cart-cytopenia v1.5.0" in text
    assert "draft" not in text.lower()
    # times in the protocol's zone, named
    assert "All times are local, Asia/Shanghai (UTC+08:00)." in text
    assert "Printed 2026-12-21 03:15 UTC+08:00 by Mona Monitor" in text
    # the rule as the protocol file writes it: value, source, note
    assert "Method 3+3 (source: 004_6824a42f0845d3d3.txt; groups in protocol order A -> B" in text
    assert "Cohort size 3 (source: 004_6824a42f0845d3d3.txt; 3 patients initially" in text
    assert "DLTs counted per_level (source: site default;" in text
    assert "The protocol's words" not in text  # in English the rule is the file's, once
    assert "Levels in order A → B → C" in text
    # the decision as signed, and why, worded from the signed counts
    assert "Decision expand" in text and "At level A" in text and "Next level A" in text
    assert "Maximum tolerated level not known yet" in text
    assert "1 DLT in 3 evaluable at A: expand A to 6" in text
    assert "Comment safety review meeting 1" in text
    assert "Patients the review saw P001, P002, P003" in text
    # the counts as signed (A: 3 enrolled, 3 treated, 3 evaluable, 0 pending, 1 DLT, 0 not
    # evaluable), then the counts now, with P004 enrolled but not yet treated or evaluable
    signed = text[text.index("Counts per level as signed") :]
    assert "A 3 3 3 0 1 0 B 0 0 0 0 0 0 C 0 0 0 0 0 0" in signed
    now = signed[signed.index("Counts per level now (2026-12-21 03:15)") :]
    assert "The record has changed since this review was signed." in now
    assert "A 4 3 3 1 1 0" in now
    # 3+3 has no BOIN table
    assert "BOIN decision table" not in text
    # each flagged DLT with its AE and adjudication (at 23 Nov 02:15 local)
    dlts = text[text.index("Flagged DLTs and their adjudication") :]
    assert (
        "P001 (A) Platelet count decreased, grade 3, possible 2026-11-23 02:15 "
        f"patient:P001#{expansion.confirmed_ae} confirmed Ivan Investigator, 2026-11-23 02:15 "
        f"{CONFIRM_REASON}"
    ) in dlts
    assert (
        f"P003 (A) Platelet count decreased, grade 3, possible 2026-11-23 02:15 "
        f"patient:P003#{expansion.rejected_ae} rejected Ivan Investigator, 2026-11-23 02:15"
    ) in dlts
    assert REJECT_REASON in one_line(dlts.replace("- ", "-"))
    # the review's signature: printed name, meaning, local and UTC time (20 Dec 18:15 UTC)
    signatures = text[text.index("Signatures") :]
    assert (
        "Ivan Investigator reviewed 2026-12-21 02:15:00 UTC+08:00 2026-12-20 18:15:00 UTC "
        f"#{expansion.review_seq}"
    ) in signatures
    assert f"Review #{expansion.review_seq}, signed 2026-12-21 02:15 UTC+08:00" in text
    assert f"#{expansion.review_seq} (printed) 2026-12-21 02:15 Ivan Investigator expand A A" in (
        text
    )


def test_the_record_in_chinese(ctx, staff, expansion: Built) -> None:
    document = trial_records.safety_review_record(ctx, staff.monitor, CART, language="zh_CN")
    text = text_of(document)
    for label in (
        "安全性审查决定记录",
        "剂量探索规则",
        "已签署的决定",
        "签署时各剂量水平计数",
        "标记的 DLT 及其判定",
        "签名人姓名",
    ):
        assert label in text, label
    assert "决定 扩展" in text
    assert "A 的 3 例可评价患者中 1 例 DLT：A 扩展至 6 例" in text
    # the protocol's own texts from the catalogue beside the files (protocols/translations):
    # the site, the title, a group's label, a source's "site default"
    assert "研究中心 : 中国医学科学院血液病医院（血液学研究所），中国天津" in text
    assert "人脐带间充质干细胞注射液治疗 CAR-T 细胞治疗后长期血细胞减少" in text
    assert "剂量水平 A A 组：2 × 10^6 个细胞/kg，输注 1 次" in text
    # a rule whose English is the protocol's wording: the Chinese, then the file's English
    assert (
        "DLT 定义 DLT 观察期内与治疗相关的 CTCAE 3 级或以上不良事件 (来源: 本中心默认; "
        "登记摘要给出了 DLT 观察期和 3+3 规则，但未规定 DLT 的分级) 方案原文: "
        "Treatment-related adverse event of CTCAE grade 3 or higher within the DLT window "
        "(source: site default; the registry summary gives the DLT window and the 3+3 rule but "
        "not the DLT grade)"
    ) in text
    assert "剂量递增（方案规定） 3+3；发生 2 例或以上 DLT 时终止剂量递增" in text
    assert "方案原文: 3+3; escalation stops if 2 or more DLTs occur" in text
    # a value the rules name (not a rule's wording) reads in Chinese alone
    assert "DLT 观察期起点 该组末次计划输注 (来源: 本中心默认;" in text
    assert "last_planned_infusion" not in text
    assert "已确认" in text and "已否决" in text and "已审阅" in text
    # No boxes: every run the Latin font cannot hold is set in the CJK font
    runs: list[tuple[str, str]] = []
    for page in PdfReader(BytesIO(document.data)).pages:
        page.extract_text(
            visitor_text=lambda t, cm, tm, font, size: runs.append(
                (t, str(font.get("/BaseFont", "")) if font else "")
            )
        )
    chinese = [(t, font) for t, font in runs if needs_cjk(t)]
    assert chinese and all("STSong-Light" in font for _, font in chinese)


def test_an_earlier_review_and_an_unknown_one(ctx, staff, clock, expansion: Built) -> None:
    earlier = trial_records.safety_review_record(
        ctx, staff.investigator, CART, review_seq=expansion.review_seq, paper="letter"
    )
    page = PdfReader(BytesIO(earlier.data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    with pytest.raises(
        Exception, match=r"review: .* has no signed review #999 \(signed reviews: #"
    ):
        trial_records.safety_review_record(ctx, staff.monitor, CART, review_seq=999)
    with pytest.raises(NotAuthorised):
        trial_records.safety_review_record(ctx, staff.admin, CART)


@pytest.mark.parametrize("role", ["admin", "nurse", "pharmacist"])
def test_only_the_trials_readers_print_its_records(ctx, staff, expansion: Built, role) -> None:
    """Investigators and monitors (who have the Trial tab) print every patient's DLTs at
    once; the others are refused with the rule, before anything is read."""
    who = getattr(staff, role)
    with pytest.raises(NotAuthorised, match="may not print the trial's dose-finding records"):
        trial_records.safety_review_record(ctx, who, CART)
    with pytest.raises(NotAuthorised, match="may not print the trial's dose-finding records"):
        trial_records.trial_counts_csv(ctx, who, CART)
    assert trial_records.trial_counts_csv(ctx, staff.monitor, CART).data


def test_with_nothing_signed_the_tracker_prints_as_a_draft(ctx, staff, clock) -> None:
    cart_cohort(ctx, staff, clock)
    document = trial_records.safety_review_record(ctx, staff.monitor, CART)
    assert document.file_name == f"safety-review-{CART}-draft.pdf"
    assert (document.head_hash, document.head_seq) == (None, None)
    text = text_of(document)
    assert "Safety review decision record (draft, not signed): ucmsc-cart-cytopenia" in text
    assert "DRAFT: no signed review" in text
    assert "Draft: no decision is signed" in text
    assert "The rule's decision now none due yet" in text
    # the 28-day windows are open: nobody is evaluable yet
    # the next window to close, in the site's zone: 28 days after P001's infusion began
    # (21 Nov 08:35 UTC = 16:35 local)
    assert "Waiting for 0 of 3 evaluable; next DLT window ends 2026-12-19 16:35" in text
    assert "A 3 3 0 3 0 0" in text[text.index("Counts per level now") :]
    assert "Signatures" not in text


def test_a_boin_review_marks_the_decided_cell(ctx, staff, clock) -> None:
    """msc-l-crc, BOIN at 35%: three patients at level 1 with no DLT once their 120-day
    windows close. By hand: φ1 = 0.21, φ2 = 0.49; λe = ln(0.79/0.65) / ln(0.35·0.79 /
    (0.21·0.65)) = 0.19506 / 0.70589 = 0.2763; λd = ln(0.65/0.51) / ln(0.49·0.65 /
    (0.35·0.51)) = 0.24256 / 0.57903 = 0.4189. Row n = 3: escalate if y <= floor(3·0.2763)
    = 0, de-escalate if y >= floor(3·0.4189) + 1 = 2, eliminate if P(Bin(4, 0.35) <= y) >
    0.95: y = 2 gives 0.8735, y = 3 gives 1 - 0.35^4 = 0.9850, so 3. 0 DLTs in 3: escalate."""
    for trial_id in ("P001", "P002", "P003"):
        enrolled(ctx, staff, trial_id, CRC, "1")
    for trial_id in ("P001", "P002", "P003"):
        give(ctx, staff, clock, trial_id, 1)
    clock.advance(days=121)
    review_decision(ctx, staff.investigator, CRC, expected_decision="escalate", password=PASSWORD)
    text = text_of(trial_records.safety_review_record(ctx, staff.monitor, CRC))
    assert "Method boin (source: site default;" in text
    assert "Target DLT rate 35% (source: 000_fe7c867b3cc19030.txt;" in text
    assert "Elimination cutoff 0.95 (source: site default;" in text
    assert "Maximum per level 9 (source: site default;" in text
    assert "BOIN decision table (target 35%, lambda_e 0.2763, lambda_d 0.4189)" in text
    assert "3 0 2 3 → level 1: 0 DLT in 3: escalate" in text
    assert "0 DLTs in 3 evaluable at 1: escalate to 2" in text
    assert "No adverse event was flagged as a DLT." in text
    # one marked row only
    assert text.count("→ level") == 1


def test_a_signed_selection_shows_both_readings_and_the_choice(dose_finding_rules: Path) -> None:
    """The end of BOIN's dose finding, laid out from a made-up signed selection (building 18
    evaluable patients through the services would take minutes): BOIN's select.mtd gave 2, the
    protocol's "largest dose equal or closest" gave 3, the investigator chose 2 with a reason."""
    protocol = load_protocol(CRC, dose_finding_rules)
    at = datetime(2027, 6, 1, 2, 0, tzinfo=UTC)  # 10:00 at the site
    counts = [
        LevelCounts(level=level, enrolled=n, treated=n, evaluable=n, pending=0, dlts=y,
                    not_evaluable=0)
        for level, n, y in (("1", 6, 0), ("2", 6, 2), ("3", 6, 3))
    ]  # fmt: skip
    selection = TrialDecisionReviewed(
        protocol="msc-l-crc v1.5.0",
        method="boin",
        decision="select",
        level="3",
        next_level="2",
        mtd=None,
        eliminated=[],
        counts=counts,
        patients=[f"P{i:03d}" for i in range(1, 19)],
        selected="2",
        selected_largest_on_tie="3",
        choice_reason="=the lower dose: two grade 3 cytopenias at 3",
    )
    signature = Signature(
        meaning=SignatureMeaning.REVIEWED,
        printed_name="Ivan Investigator",
        signed_seq=1,
        signed_hash="ab" * 32,
        username="investigator",
    )
    events = tuple(
        RecordedEvent(seq, data.TYPE, data, at, at, "investigator")
        for seq, data in ((1, selection), (2, signature))
    )
    source = SafetyReviewSource(
        events=events,
        protocol=protocol,
        state=trial_state(protocol, (), (), at),
        dlts=(),
        table=None,
        chosen=signed_decisions(events)[0],
        head_hash="cd" * 32,
        printed_names={"investigator": "Ivan Investigator"},
    )
    data = render_safety_review(source, printed_at=at, printed_by="Mona Monitor")
    text = one_line("\n".join(pdf_pages(data)))
    assert "Decision select" in text
    assert "BOIN select.mtd 2" in text
    assert "Largest dose equal or closest to the target 3" in text
    assert "Chosen optimal dose 2" in text
    assert "Reason for the choice =the lower dose: two grade 3 cytopenias at 3" in text
    assert "BOIN's select.mtd gives 2, the protocol's wording" in text
    # signed counts: 1: 6/0, 2: 6/2, 3: 6/3
    assert "1 6 6 6 0 0 0 2 6 6 6 0 2 0 3 6 6 6 0 3 0" in text
    assert (
        "Ivan Investigator reviewed 2027-06-01 10:00:00 UTC+08:00 2027-06-01 02:00:00 UTC" in text
    )


# --- the CSV -----------------------------------------------------------------------------


def test_the_counts_csv(ctx, staff, expansion: Built) -> None:
    document = trial_records.trial_counts_csv(ctx, staff.monitor, CART)
    assert (document.what, document.file_name) == (
        "trial counts CSV",
        f"trial-counts-{CART}.csv",
    )
    rows = list(csv.DictReader(io.StringIO(document.data.decode("utf-8"))))
    as_of = "2026-12-20T19:15:00+00:00"
    signed = f"#{expansion.review_seq} expand -> A"
    # By hand: A has P001-P004 enrolled, three treated and evaluable (P001 with its confirmed
    # DLT; P003's was rejected), P004 pending; the expansion's cohort is filling, so no
    # decision is due and the current level stays A. B and C are empty.
    expected = [
        ["A", "4", "3", "3", "1", "1", "0", "yes", "", "", "", "", "", signed, as_of],
        ["B", "0", "0", "0", "0", "0", "0", "no", "", "", "", "", "", "", as_of],
        ["C", "0", "0", "0", "0", "0", "0", "no", "", "", "", "", "", "", as_of],
    ]
    assert [list(r.values())[2:] for r in rows] == expected
    assert {(r["protocol"], r["method"]) for r in rows} == {("ucmsc-cart-cytopenia v1.5.0", "3+3")}


def test_the_counts_csv_decision_columns_when_one_is_due(ctx, staff, clock) -> None:
    cart_cohort(ctx, staff, clock)
    clock.advance(days=1)
    adjudicated(ctx, staff, "P001", True, CONFIRM_REASON)
    adjudicated(ctx, staff, "P002", True, CONFIRM_REASON)
    # 2 DLTs in group A: stop at once (P003's window is still open), no level tolerated
    data = trial_records.trial_counts_csv(ctx, staff.monitor, CART).data.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data)))
    first = rows[0]
    assert (first["evaluable"], first["pending"], first["dlts"]) == ("2", "1", "2")
    assert (first["decision"], first["next_level"], first["mtd"]) == ("stop", "", "")
    assert [r["decision"] for r in rows[1:]] == ["", ""]


def test_a_formula_in_a_cell_is_written_as_text(protocol_variant) -> None:
    for start in FORMULA_STARTS:
        assert safe_cell(f"{start}1+2") == f"'{start}1+2"
    assert safe_cell("P001") == "P001" and safe_cell(3) == "3"
    # a level ID read from a protocol file: "-A" is allowed by the file's rules
    path = protocol_variant(CART, ('id = "A"', 'id = "-A"'), dose_finding=True)
    protocol = load_protocol(CART, path.parent)
    state = trial_state(protocol, (), (), datetime(2026, 11, 21, tzinfo=UTC))
    (first, *_) = list(csv.reader(io.StringIO(trial_counts_csv(state))))[1:]
    assert first[2] == "'-A"
    # the events CSV too: a user name or reason beginning with "=" or "@"
    event = RecordedEvent(
        seq=7,
        type=EventType.DLT_REVIEWED,
        data=DltReviewed(
            stream="patient:P001", adverse_event_seq=5, confirmed=False, reason="=1+2"
        ),
        occurred_at=datetime(2026, 11, 21, tzinfo=UTC),
        recorded_at=datetime(2026, 11, 21, tzinfo=UTC),
        user="@someone",
        reason='=HYPERLINK("http://example.invalid")',
    )
    (row,) = list(csv.DictReader(io.StringIO(events_csv([event]))))
    assert row["user"] == "'@someone"
    assert row["reason"] == '\'=HYPERLINK("http://example.invalid")'
    assert json.loads(row["payload"])["reason"] == "=1+2"  # inside JSON: not a cell of its own


# --- saving: the audit, and the command line ------------------------------------------------


def printed(ctx: AppContext) -> list[dict]:
    with ctx.db.read() as session:
        payloads = session.execute(
            select(Event.payload).where(Event.type == EventType.RECORD_PRINTED.value)
        ).scalars()
        return [json.loads(p) for p in payloads]


def test_saving_the_record_is_audited(ctx, staff, expansion: Built, tmp_path: Path) -> None:
    document = trial_records.safety_review_record(ctx, staff.monitor, CART)
    written = records.save_document(ctx, staff.monitor, document, tmp_path / "review.pdf")
    assert written.read_bytes() == document.data
    (entry,) = printed(ctx)
    assert entry["what"] == "safety review record"
    assert entry["subject"] == f"trial ucmsc-cart-cytopenia v1.5.0 review #{expansion.review_seq}"
    assert entry["sha256"] == document.sha256
    # the head is the trial stream's: the review (and its signature) are its entries 1 and 2
    assert entry["head_seq"] == 2 and entry["head_hash"] == document.head_hash


@pytest.fixture
def cli_record(tmp_path: Path, dose_finding_rules: Path) -> tuple[str, int]:
    """The same record, built 60 days before the wall clock the CLI reads."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=60))
    db = open_database(url, clock())
    ctx = AppContext(
        db=db, station="ward-3", clock=clock, hasher=FAST_HASHER, protocols=dose_finding_rules
    )
    built = build_expansion(ctx, make_staff(ctx), clock)
    db.dispose()
    return url, built.review_seq


def test_record_trial_and_trial_counts_from_the_command_line(
    cli_record: tuple[str, int], tmp_path: Path
) -> None:
    url, seq = cli_record
    pdf = tmp_path / "review.pdf"
    made = run_cli(
        url,
        [*("record", "trial", "--protocol", CART, "--review", str(seq)), "--language", "zh_CN",
         *("--out", str(pdf), "--user", "monitor")],
    )  # fmt: skip
    assert (made.code, made.err) == (0, "")
    assert made.out.strip() == (
        f"safety review record of trial ucmsc-cart-cytopenia v1.5.0 review #{seq} written to {pdf}"
    )
    assert "安全性审查决定记录" in one_line("\n".join(pdf_pages(pdf.read_bytes())))
    counts = tmp_path / "counts.csv"
    made = run_cli(
        url,
        ["record", "trial-counts", "--protocol", CART, "--out", str(counts), "--user", "monitor"],
    )
    assert (made.code, made.err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(counts.read_text(encoding="utf-8"))))
    assert [(r["level"], r["enrolled"], r["dlts"]) for r in rows] == [
        ("A", "4", "1"),
        ("B", "0", "0"),
        ("C", "0", "0"),
    ]
    ctx = AppContext(db=open_database(url, FakeClock()()), station="t")
    try:
        assert [e["what"] for e in printed(ctx)] == ["safety review record", "trial counts CSV"]
    finally:
        ctx.db.dispose()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["record", "trial", "--protocol", "no-such-trial"], "no-such-trial"),
        (["record", "trial", "--protocol", CART, "--review", "999"], "has no signed review #999"),
        (["record", "trial"], "protocol: give --protocol ID after 'record trial'"),
        (["record", "trial", "P001", "--protocol", CART], "'record trial' takes --protocol ID"),
        (["record", "trial-counts", "--protocol", CART, "--review", "1"], "review: the counts"),
        (["record", "P001/1", "--protocol", CART], "--protocol and --review go with"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    cli_record: tuple[str, int], tmp_path: Path, argv: list[str], says: str
) -> None:
    url, _ = cli_record
    target = tmp_path / "out.pdf"
    result = run_cli(url, [*argv, "--out", str(target), "--user", "monitor"])
    assert result.code == 2, result.err
    assert says in result.err and result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert not target.exists()


def test_every_label_of_the_safety_review_is_chinese(ctx, staff, expansion: Built, labels_asked):
    trial_records.safety_review_record(ctx, staff.monitor, CART, language="zh_CN")
    assert len(labels_asked.asked) > 50
    assert sorted(labels_asked.untranslated) == []
