"""A made document on screen before it goes out: the PDF itself (Qt PDF), with Print… and
Save as PDF….

What the monitor sees is the very file that is printed or saved. Putting it out is audited by
the service (who, what, where, which head hash); the dialog only asks where it should go.
Printing renders each page at 300 dpi onto the printer, since Qt prints images, not PDF files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QPoint,
    QSize,
)
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infusion_app.services.records import Document
from infusion_app.ui.file_chooser import choose_file_to_save
from infusion_app.ui.look import give_focus_back, say, times_read, touch_sized

PRINT_DPI = 300

# What a document is (records.Document.what: the audit entry's words), as the preview says it
DOCUMENT_KINDS = (
    QT_TRANSLATE_NOOP("Document", "infusion record"),
    QT_TRANSLATE_NOOP("Document", "infusion log"),
    QT_TRANSLATE_NOOP("Document", "patient course record"),
    QT_TRANSLATE_NOOP("Document", "safety review record"),
    QT_TRANSLATE_NOOP("Document", "trial summary"),
)


def document_kind(what: str) -> str:
    """A document's kind in the interface's language (the audit keeps its English words)."""
    return QCoreApplication.translate("Document", what)


def print_dialog(printer: QPrinter, parent: QWidget) -> QPrintDialog:
    """The print dialog, without Qt's own "print to file": a file is saved only through *Save
    as PDF…*, which checks the target and writes it only once audited."""
    dialog = QPrintDialog(printer, parent)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
    return dialog


class RecordPreview(QDialog):
    """``put_out(document, destination)`` records the output: "printer NAME" or a path."""

    def __init__(
        self,
        document: Document,
        put_out: Callable[[Document, Path | None, str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.put_out = put_out
        self.setWindowTitle(self.tr("Preview: {0}").format(document.file_name))
        self.resize(900, 700)
        self._bytes = QByteArray(document.data)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf = QPdfDocument(self)
        self.pdf.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("recordView")
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        pages = self.pdf.pageCount()
        self.about = QLabel(
            self.tr("{0} of {1}: {2} pages, head hash {3}").format(
                document_kind(document.what),
                times_read(document.subject),  # a trial summary's data cut, in local time
                pages,
                (document.head_hash or "-")[:16],
            )
        )
        self.status = QLabel()
        self.status.setObjectName("previewStatus")
        self.print_button = QPushButton(self.tr("&Print…"))
        self.save_button = QPushButton(self.tr("&Save as PDF…"))
        close = QPushButton(self.tr("&Close"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        close.clicked.connect(self.reject)
        touch_sized(self.print_button, self.save_button, close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.print_button.setFocus()

    def present(self) -> None:
        """Show it with the keyboard. Without a window manager (a kiosk session, Xvfb) a new
        window is not activated: the preview's Alt+S went to the window behind it, pressing
        the monitor's Search. (A new window is shown on top: nothing to raise.)"""
        self.show()
        self.activateWindow()

    def done(self, result: int) -> None:
        """Closed: the keyboard goes back to the window it was opened from."""
        super().done(result)
        give_focus_back(self.parentWidget())

    @classmethod
    def ask_printer(cls, parent: QWidget) -> QPrinter | None:
        """The printer the person chose, or None. Tests replace this (no printer here)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = print_dialog(printer, parent)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    @classmethod
    def ask_path(cls, parent: QWidget, suggested: str, filter: str) -> Path | None:
        """Where to save, or None. Tests replace this."""
        return choose_file_to_save(parent, parent.tr("Save as"), suggested, filter)

    def print_document(self) -> None:
        printer = self.ask_printer(self)
        if printer is None:
            return
        printer.setResolution(PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            say(self.status, self.tr("The printer could not be started."), error=True)
            return
        try:
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            for page in range(self.pdf.pageCount()):
                if page:
                    printer.newPage()
                points = self.pdf.pagePointSize(page)
                scale = min(area.width() / points.width(), area.height() / points.height())
                size = QSize(int(points.width() * scale), int(points.height() * scale))
                painter.drawImage(QPoint(0, 0), self.pdf.render(page, size))
        finally:
            painter.end()
        name = printer.printerName() or printer.outputFileName() or "printer"
        self.put_out(self.document, None, f"printer {name}")
        say(self.status, self.tr("Sent to {0}.").format(name), ok=True)

    def save_document(self) -> None:
        path = self.ask_path(self, self.document.file_name, self.tr("PDF files (*.pdf)"))
        if path is not None:
            self.put_out(self.document, path, "")

    def saved(self, text: str, *, error: bool = False) -> None:
        say(self.status, text, ok=not error, error=error)
