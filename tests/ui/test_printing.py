"""Printing and exporting from the monitor's screen: preview, print, save as PDF, export.

No printer exists on a test machine: the print dialog is answered with a PDF-file QPrinter,
which goes through exactly the same painting as a real printer.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from infusion_app.logic.event_types import EventType
from infusion_app.store.models import Event
from infusion_app.ui.record_preview import RecordPreview, print_dialog
from tests.records.conftest import pdf_pages
from tests.services.bedside_steps import run_to_fast_phase
from tests.ui.conftest import settle

# The offscreen platform says it cannot pass a new top-level window's size hints on; the
# preview is such a window. Any other Qt warning still fails the test.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def audited(ctx) -> list[dict]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.payload).where(Event.type == EventType.RECORD_PRINTED.value)
        ).scalars()
        return [json.loads(r) for r in rows]


def monitor_with_preview(qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    window = open_window(ui_staff.monitor)
    settle(qtbot, window)
    page = window.monitor
    assert page.print_button.isEnabled()
    page.print_button.click()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible())
    return window, page, page.preview


def test_preview_then_save_as_pdf(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock, tmp_path, monkeypatch
):
    window, _, preview = monitor_with_preview(
        qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock
    )
    pages = pdf_pages(preview.document.data)
    assert preview.pdf.pageCount() == len(pages) >= 2  # the Qt PDF view shows the same file
    target = tmp_path / "record.pdf"
    monkeypatch.setattr(RecordPreview, "ask_path", classmethod(lambda cls, *a: target))
    assert audited(ui_ctx) == []  # a preview is not an output
    preview.save_button.click()
    settle(qtbot, window)
    assert target.read_bytes() == preview.document.data
    assert f"Page 1 of {len(pages)}" in pdf_pages(target.read_bytes())[0]
    (entry,) = audited(ui_ctx)
    assert (entry["destination"], entry["head_hash"]) == (
        "file record.pdf",
        preview.document.head_hash,
    )
    assert preview.status.text() == f"Saved to {target}."


def test_the_preview_takes_the_keyboard_and_gives_it_back_when_closed(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock
):
    """Shown without a window manager (a kiosk session, Xvfb), the preview never had the
    keyboard: its Alt+S went to the window behind it and pressed the monitor's Search (the
    list behind reloaded on another record than the one previewed), and once it was closed
    no window had the keyboard at all until someone clicked."""
    from PySide6.QtWidgets import QApplication

    window, _, preview = monitor_with_preview(
        qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock
    )
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview, timeout=5000)
    assert preview.focusWidget() is preview.print_button
    preview.reject()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def test_the_preview_says_what_it_shows_in_the_interface_language_and_local_time(qtbot):
    """The caption named the document in the audit's English words in the Chinese interface
    ("infusion:L01929/1 的infusion record") and a trial summary's data cut in UTC; found by
    a helper trying the Chinese screens."""
    from zoneinfo import ZoneInfo

    from reportlab.pdfgen.canvas import Canvas

    from infusion_app.services.records import Document
    from infusion_app.ui.translations import Translations, reading_zone, use_zone

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "page one")
    canvas.showPage()
    canvas.save()
    document = Document(
        buffer.getvalue(),
        "trial summary",
        "trial msc-l-crc v1.5.0 data cut 2026-12-01T13:09+00:00",
        "trial-summary.pdf",
        "ab" * 32,
    )
    zone = reading_zone()
    use_zone(ZoneInfo("Asia/Shanghai"))
    Translations().use("zh_CN")
    try:
        preview = RecordPreview(document, lambda *_: None)
        qtbot.addWidget(preview)
        caption = preview.about.text()
    finally:
        Translations().use("en")
        use_zone(zone)
    assert caption == (
        "trial msc-l-crc v1.5.0 data cut 2026-12-01 21:09 的试验总结：共 1 页，链头哈希 "
        "abababababababab"
    )


def test_print_goes_through_the_print_dialog_and_is_audited(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock, tmp_path, monkeypatch
):
    window, _, preview = monitor_with_preview(
        qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock
    )
    paper = tmp_path / "printed.pdf"

    def chosen_printer(cls, parent):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(paper))
        return printer

    monkeypatch.setattr(RecordPreview, "ask_printer", classmethod(chosen_printer))
    preview.print_button.click()
    settle(qtbot, window)
    assert len(pdf_pages(paper.read_bytes())) == preview.pdf.pageCount()  # every page printed
    (entry,) = audited(ui_ctx)
    assert entry["destination"] == f"printer {paper}"
    assert entry["what"] == "infusion record" and entry["subject"] == "infusion:P001/1"


def test_a_cancelled_print_dialog_prints_and_records_nothing(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock, monkeypatch
):
    window, _, preview = monitor_with_preview(
        qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock
    )
    monkeypatch.setattr(RecordPreview, "ask_printer", classmethod(lambda cls, parent: None))
    preview.print_button.click()
    settle(qtbot, window)
    assert audited(ui_ctx) == []


def test_export_events_csv_and_the_log(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock, tmp_path, monkeypatch
):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    window = open_window(ui_staff.monitor)
    settle(qtbot, window)
    page = window.monitor
    answers: list[Path] = [tmp_path / "events.csv", tmp_path / "log.csv"]
    monkeypatch.setattr(RecordPreview, "ask_path", classmethod(lambda cls, *a: answers.pop(0)))
    page.export_actions["csv"].trigger()
    settle(qtbot, window)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "events.csv").read_text("utf-8"))))
    assert len(rows) == page.log.rowCount()
    page.export_actions["log-csv"].trigger()
    settle(qtbot, window)
    log = list(csv.DictReader(io.StringIO((tmp_path / "log.csv").read_text("utf-8"))))
    assert [r["Patient"] for r in log] == ["P001 (WL)"]
    assert [e["what"] for e in audited(ui_ctx)] == ["events CSV", "infusion log"]


def test_an_admin_sees_the_records_but_may_not_print(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion
):
    window = open_window(ui_staff.admin)
    settle(qtbot, window)
    page = window.monitor
    assert page.table.rowCount() == 1
    assert not page.print_button.isEnabled() and not page.export_button.isEnabled()
    assert page.print_button.toolTip() == "Your role may not print or export records."


def test_a_log_over_reversed_dates_is_a_one_line_answer(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion, monkeypatch
):
    window = open_window(ui_staff.monitor)
    settle(qtbot, window)
    page = window.monitor
    asked: list[str] = []
    monkeypatch.setattr(RecordPreview, "ask_path", classmethod(lambda cls, *a: asked.append(a)))
    page.date_to.setDate(page.date_from.date().addDays(-1))
    page.export_actions["log-pdf"].trigger()
    settle(qtbot, window)
    assert (
        page.verify.text().startswith("To: ") and "is before the first date" in page.verify.text()
    )
    assert asked == [] and audited(ui_ctx) == []


def test_the_print_dialog_offers_no_print_to_file(qtbot):
    """Qt's own "print to file" would write a file the audit knows nothing of: saving goes
    through *Save as PDF…* only."""
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = print_dialog(QPrinter(QPrinter.PrinterMode.HighResolution), parent)
    assert not dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile)


def test_save_as_onto_a_symlink_is_refused_in_one_line_and_records_nothing(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock, tmp_path, monkeypatch
):
    window, _, preview = monitor_with_preview(
        qtbot, open_window, ui_ctx, ui_staff, ward_infusion, clock
    )
    precious = tmp_path / "precious.txt"
    precious.write_text("not yours", encoding="utf-8")
    link = tmp_path / "record.pdf"
    link.symlink_to(precious)
    monkeypatch.setattr(RecordPreview, "ask_path", classmethod(lambda cls, *a: link))
    preview.save_button.click()
    settle(qtbot, window)
    assert "symbolic link" in preview.status.text()
    assert preview.status.text().startswith("Output: ") and "\n" not in preview.status.text()
    assert precious.read_text(encoding="utf-8") == "not yours" and link.is_symlink()
    assert audited(ui_ctx) == []


def test_search_and_log_over_the_widest_dates_the_window_takes(
    qtbot, open_window, ui_ctx, ui_staff, ward_infusion, tmp_path, monkeypatch
):
    """The date fields' own limits (up to 9999-12-31): the day after the last one is past what
    a time holds, which must not end in an error on the window."""
    window = open_window(ui_staff.monitor)
    settle(qtbot, window)
    page = window.monitor
    page.date_from.setDate(page.date_from.minimumDate())
    page.date_to.setDate(page.date_to.maximumDate())
    page.search.click()
    settle(qtbot, window)
    assert page.table.rowCount() == 1
    target = tmp_path / "log.csv"
    monkeypatch.setattr(RecordPreview, "ask_path", classmethod(lambda cls, *a: target))
    page.export_actions["log-csv"].trigger()
    settle(qtbot, window)
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8"))))
    assert [r["Patient"] for r in rows] == ["P001 (WL)"]
