"""Admin imports that survive real use and hostile files (issue 21).

- **Limits before parsing.** An upload is refused, with a message saying why, when it is larger than
  ``IMPORT_MAX_BYTES``; a workbook when its zip directory declares more than
  ``IMPORT_MAX_UNCOMPRESSED_BYTES`` unpacked or a part compressed more than
  ``IMPORT_MAX_COMPRESSION_RATIO`` times (zip bombs), or when its worksheet declares a range (the
  ``<dimension>``) beyond the row and column limits. Reading then counts rows and columns as it goes
  and stops at ``IMPORT_MAX_ROWS`` / ``IMPORT_MAX_COLUMNS``; a workbook is read in read-only mode with
  its declared dimension ignored, so no row is padded to a width it does not have. Formula cells are
  refused, naming the cell (their cached value may be missing or stale).
- **Previews** are kept in files (``PreviewStorage``) in a private folder that every worker shares and
  that page traffic cannot touch, for ``IMPORT_PREVIEW_SECONDS``; a refused file is never stored.
- **One import per model at a time** (``acquire_import_lock``): a PostgreSQL advisory lock held until
  the import's transaction ends; on SQLite, the database's own write lock taken at the start.
- **Readable errors** (``ReadableError``): rows name what is wrong in plain words, never a traceback
  or a raw database message.
"""

import contextlib
import csv
import io
import logging
import re
import time
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, StorageHandler
from django.db import DatabaseError, IntegrityError, OperationalError, connections
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Error
from import_export.tmp_storages import MediaStorage

logger = logging.getLogger("rcpdb.imports")

# Workbook parts that openpyxl reads whole into memory (all but the worksheets and the shared
# strings, which it streams) may each unpack to at most this much.
MAX_WHOLE_PART_BYTES = 5 * 1024 * 1024
STREAMED_PART = re.compile(r"^xl/(worksheets/sheet\d+\.xml|sharedStrings\.xml)$")
MAX_ZIP_MEMBERS = 1000
# A part smaller than this may be compressed any amount (tiny parts compress well and weigh nothing).
RATIO_CHECK_FROM_BYTES = 64 * 1024


class ImportRefused(Exception):
    """The file cannot be imported; ``message`` says why, for the person who uploaded it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class PreviewExpired(ImportRefused):
    def __init__(self):
        super().__init__(_("The preview has expired: upload the file again."))


class ImportBusy(ImportRefused):
    def __init__(self, model):
        super().__init__(
            _("Another import of %(models)s is running: try again in a moment.")
            % {"models": model._meta.verbose_name_plural}
        )


class ImportValueError(ValueError):
    """A value in a row is wrong; the message is written for the person importing."""


def limit(name):
    return getattr(settings, name)


# Reading files --------------------------------------------------------------------------------------


def read_upload(uploaded_file):
    """The uploaded file's bytes, or ImportRefused if it is larger than IMPORT_MAX_BYTES (unread)."""
    max_bytes = limit("IMPORT_MAX_BYTES")
    if uploaded_file.size is None or uploaded_file.size > max_bytes:
        raise ImportRefused(
            _("The file is %(size)s; an import may be at most %(limit)s.")
            % {"size": filesizeformat(uploaded_file.size or 0), "limit": filesizeformat(max_bytes)}
        )
    uploaded_file.seek(0)
    return uploaded_file.read()


def _too_many_rows():
    return ImportRefused(
        _("The file has more than %(limit)s rows: split it into files of at most %(limit)s rows.")
        % {"limit": limit("IMPORT_MAX_ROWS")}
    )


def _too_many_columns(count):
    return ImportRefused(
        _("The file has %(count)s columns; an import may have at most %(limit)s.")
        % {"count": count, "limit": limit("IMPORT_MAX_COLUMNS")}
    )


def _build_dataset(headers, rows):
    import tablib

    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    return dataset


def read_csv(data):
    """A tablib Dataset from CSV bytes (UTF-8, with or without a BOM), within the row and column limits.

    Like tablib: the first line names the columns, blank lines are skipped, short lines are padded.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused(
                _("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again.")
            ) from None
    max_rows, max_columns = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_COLUMNS")
    reader = csv.reader(io.StringIO(data))
    headers, rows = None, []
    try:
        for line in reader:
            if headers is None:
                if len(line) > max_columns:
                    raise _too_many_columns(len(line))
                headers = line
                continue
            if not line:
                continue
            if len(line) > len(headers):
                if any(value.strip() for value in line[len(headers) :]):
                    raise ImportRefused(
                        _("Line %(line)s has more values than the first line names columns.")
                        % {"line": reader.line_num}
                    )
                line = line[: len(headers)]
            if len(rows) >= max_rows:
                raise _too_many_rows()
            rows.append(line + [""] * (len(headers) - len(line)))
    except csv.Error:
        raise ImportRefused(_("Line %(line)s is not valid CSV.") % {"line": reader.line_num}) from None
    return _build_dataset(headers or [], rows)


def check_zip(data):
    """Refuse a workbook from its zip directory alone, before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportRefused(_("The file is not an XLSX workbook, or it is damaged.")) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportRefused(_("The file is not an XLSX workbook, or it is damaged."))
        total_limit = limit("IMPORT_MAX_UNCOMPRESSED_BYTES")
        ratio_limit = limit("IMPORT_MAX_COMPRESSION_RATIO")
        too_big = ImportRefused(
            _("The workbook unpacks to more than %(limit)s: it cannot be imported.")
            % {"limit": filesizeformat(total_limit)}
        )
        if sum(member.file_size for member in members) > total_limit:
            raise too_big
        for member in members:
            streamed = STREAMED_PART.match(member.filename)
            if not streamed and member.file_size > MAX_WHOLE_PART_BYTES:
                # openpyxl reads such a part whole: a smaller bound for it.
                raise ImportRefused(
                    _("The workbook unpacks to more than %(limit)s: it cannot be imported.")
                    % {"limit": filesizeformat(MAX_WHOLE_PART_BYTES)}
                )
            if member.file_size >= RATIO_CHECK_FROM_BYTES and (
                member.file_size > ratio_limit * max(member.compress_size, 1)
            ):
                raise ImportRefused(
                    _(
                        "Part %(part)s of the workbook is compressed too much to be a spreadsheet: "
                        "it cannot be imported."
                    )
                    % {"part": member.filename}
                )


def read_xlsx(data):
    """A tablib Dataset from the workbook's active sheet, within every limit (see the module docstring)."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    check_zip(data)
    max_rows, max_columns = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_COLUMNS")
    damaged = ImportRefused(_("The file is not an XLSX workbook, or it is damaged."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any unreadable workbook is "damaged" for the uploader
        raise damaged from None
    try:
        sheet = book.active
        if sheet is None or not hasattr(sheet, "reset_dimensions"):
            raise damaged
        declared_rows, declared_columns = sheet.max_row, sheet.max_column
        if (declared_rows or 0) > max_rows + 1 or (declared_columns or 0) > max_columns:
            raise ImportRefused(
                _(
                    "The worksheet says it spans %(range)s (%(rows)s rows, %(columns)s columns); an "
                    "import may have at most %(max_rows)s rows and %(max_columns)s columns."
                )
                % {
                    "range": f"A1:{get_column_letter(declared_columns)}{declared_rows}",
                    "rows": declared_rows,
                    "columns": declared_columns,
                    "max_rows": max_rows,
                    "max_columns": max_columns,
                }
            )
        # Never pad rows to the declared size: read only the cells the file holds.
        sheet.reset_dimensions()
        headers, rows = None, []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for cells in sheet.iter_rows():
                values = []
                for cell in cells:
                    value = getattr(cell, "value", None)
                    if getattr(cell, "data_type", None) == "f":
                        raise ImportRefused(
                            _(
                                "Cell %(cell)s holds a formula (%(formula)s): imports take values only. "
                                "Replace the formula by its value and upload the file again."
                            )
                            % {"cell": cell.coordinate, "formula": str(value)[:100]}
                        )
                    values.append(value)
                if headers is None:
                    while values and values[-1] is None:
                        values.pop()
                    if not values:
                        continue
                    if len(values) > max_columns:
                        raise _too_many_columns(len(values))
                    headers = values
                    continue
                if all(value is None or value == "" for value in values):
                    continue
                for cell in cells[len(headers) :]:
                    if getattr(cell, "value", None) not in (None, ""):
                        raise ImportRefused(
                            _("Cell %(cell)s has a value but its column has no name in the first row.")
                            % {"cell": cell.coordinate}
                        )
                if len(rows) >= max_rows:
                    raise _too_many_rows()
                values = values[: len(headers)]
                rows.append(values + [None] * (len(headers) - len(values)))
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 - a worksheet openpyxl cannot read is "damaged"
        logger.info("unreadable workbook", exc_info=True)
        raise damaged from None
    finally:
        book.close()
    return _build_dataset(headers or [], rows)


class BoundedCSV(CSV):
    """CSV import read by ``read_csv`` (limits checked while reading)."""

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(in_stream)


class BoundedXLSX(XLSX):
    """XLSX import read by ``read_xlsx`` (zip checked first, dimension ignored, formulas refused)."""

    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)


# Previews ---------------------------------------------------------------------------------------------


class PreviewStorage(MediaStorage):
    """The uploaded file between preview and confirmation, as a file in a private folder.

    The folder is ``STORAGES["import_export"]`` when that is set (any storage every app server reaches),
    else ``IMPORT_PREVIEW_DIR`` on this machine: shared by every worker, never served, owner-only.
    A preview older than ``IMPORT_PREVIEW_SECONDS``, missing or with a malformed name reads as
    ``PreviewExpired``; expired previews are deleted whenever a new one is saved. Files hold the raw
    upload (no pickles).
    """

    NAME = re.compile(r"^[0-9a-f]{32}$")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.MEDIA_FOLDER = "import-previews"

    def _configure_storage(self):
        if "import_export" in settings.STORAGES:
            self._storage = StorageHandler()["import_export"]
        else:
            self._storage = FileSystemStorage(
                location=settings.IMPORT_PREVIEW_DIR,
                file_permissions_mode=0o600,
                directory_permissions_mode=0o700,
            )

    def _expired(self, path):
        age = timezone.now() - self._storage.get_modified_time(path)
        return age.total_seconds() > settings.IMPORT_PREVIEW_SECONDS

    def delete_expired(self):
        try:
            _dirs, names = self._storage.listdir(self.MEDIA_FOLDER)
        except (FileNotFoundError, NotADirectoryError):
            return
        for name in names:
            path = f"{self.MEDIA_FOLDER}/{name}"
            try:
                if self._expired(path):
                    self._storage.delete(path)
            except OSError:  # removed meanwhile by another worker
                continue

    def save(self, data):
        self.delete_expired()
        super().save(data)

    def read(self):
        if not self.NAME.match(self.name or ""):
            raise PreviewExpired
        path = self.get_full_path()
        try:
            if self._expired(path):
                self.remove()
                raise PreviewExpired
            return super().read()
        except (FileNotFoundError, OSError):
            raise PreviewExpired from None

    def remove(self):
        if self.NAME.match(self.name or ""):
            with contextlib.suppress(FileNotFoundError):
                super().remove()


# One import per model at a time --------------------------------------------------------------------

# pg_advisory locks take two int4 keys: this one says "an rcpdb import", the other names the model.
ADVISORY_LOCK_NAMESPACE = 0x52435044


def acquire_import_lock(model, using="default"):
    """Inside a transaction: wait up to IMPORT_LOCK_WAIT_SECONDS to be the only import of ``model``.

    PostgreSQL: a transaction-level advisory lock on the model's label, released when the transaction
    ends. SQLite: the database's write lock, taken by the transaction's first statement (so the whole
    database, not only the model, has one import at a time); its busy timeout is the wait. Raises
    ImportBusy when the wait is over.
    """
    connection = connections[using]
    wait = float(settings.IMPORT_LOCK_WAIT_SECONDS)
    if connection.vendor == "postgresql":
        deadline = time.monotonic() + wait
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
                    [ADVISORY_LOCK_NAMESPACE, model._meta.label_lower],
                )
                if cursor.fetchone()[0]:
                    return
                if time.monotonic() >= deadline:
                    raise ImportBusy(model)
                time.sleep(0.1)
    elif connection.vendor == "sqlite":
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            previous = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            try:
                # Changes nothing, but opens the write transaction now, waiting for any other writer.
                cursor.execute(f"UPDATE {table} SET {column} = {column} WHERE 0")  # noqa: S608
            except OperationalError as error:
                if "locked" in str(error) or "busy" in str(error):
                    raise ImportBusy(model) from None
                raise
            finally:
                cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")


# Readable errors -----------------------------------------------------------------------------------


def readable(error):
    """A plain-language sentence for an exception raised while importing a row."""
    if isinstance(error, (ImportValueError, ImportRefused)):
        return str(error)
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(
                f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                for field, messages in error.message_dict.items()
            )
        return " ".join(error.messages)
    if isinstance(error, IntegrityError):
        text = str(error).lower()
        if "unique" in text or "duplicate" in text:
            return _("This row repeats a record that already exists, or appears twice in the file.")
        if "null" in text:
            return _("A required value is missing in this row.")
        if "foreign key" in text:
            return _("This row names a record that does not exist.")
        if "check" in text:
            return _("A value in this row is outside the allowed range.")
        return _("The database refused this row.")
    if isinstance(error, OperationalError) and ("locked" in str(error) or "lock" in str(error).lower()):
        return _("The database was busy: try again in a moment.")
    if isinstance(error, DatabaseError):
        return _("The database refused this row.")
    return _("This row could not be imported: a value could not be read.")


class ReadableError(Error):
    """An import error that shows only ``readable(error)``: no traceback, no raw database text."""

    def __init__(self, error, row=None, number=None):
        if not isinstance(error, (ImportValueError, ImportRefused, ValidationError)):
            logger.info("import row error", exc_info=error)
        super().__init__(ImportValueError(readable(error)), row, number)

    @property
    def traceback(self):
        return ""


def describe_bad_value(field, value):
    """Why ``value`` cannot go into ``field``, in words (the widget said something Python-like)."""
    shown = {"value": str(value)[:100]}
    widget = field.widget
    if isinstance(widget, widgets.IntegerWidget):
        return _("“%(value)s” is not a whole number.") % shown
    if isinstance(widget, (widgets.DecimalWidget, widgets.FloatWidget)):
        return _("“%(value)s” is not a number.") % shown
    if isinstance(widget, (widgets.DateWidget, widgets.DateTimeWidget)):
        return _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % shown
    return _("“%(value)s” is not a valid value.") % shown


# Formula escaping -------------------------------------------------------------------------------------

# A text cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Prefix a would-be formula (or text already starting with an apostrophe) with an apostrophe.

    OWASP's advice, so spreadsheets show it as text; ``unescape_formula`` undoes it on import, so an
    unchanged export imports as it was. (django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
    only strips a leading "=".)
    """
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def unescape_formula(value):
    """Undo ``escape_formula``: drop one leading apostrophe before a formula character or another one."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith((*FORMULA_STARTS, "'")):
        return value[1:]
    return value
