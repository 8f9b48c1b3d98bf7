"""Citations of a record page or of a dated version: APA, Chicago, BibTeX, RIS and CSL-JSON.

Every citation names the permanent dated address (``?as_of=YYYY-MM-DD``: the page as it stood that day,
which stays the same whatever is edited later) and the day it was accessed. A current page is cited as
of the day of access. Citations are written in English, the language of the styles' conventions; the
title is the record's name in the page's language.
"""

import datetime
import json
import re
from dataclasses import dataclass

PUBLISHER = "rcpdb"
CONTAINER = "rcpdb: knowledge base of the Regional Consultative Processes on migration"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

# (model label, the kind named in citations and download addresses)
KINDS = {
    "processes.process": ("process", "Process profile"),
    "processes.state": ("state", "State profile"),
    "processes.organization": ("organization", "Organisation profile"),
    "workshops.workshop": ("meeting", "Meeting record"),
}
FORMATS = {
    # format: (label, file extension, media type)
    "apa": ("APA", "txt", "text/plain"),
    "chicago": ("Chicago", "txt", "text/plain"),
    "bibtex": ("BibTeX", "bib", "application/x-bibtex"),
    "ris": ("RIS", "ris", "application/x-research-info-systems"),
    "csl-json": ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json"),
}


@dataclass(frozen=True)
class Citation:
    """What a citation needs: the record's title and kind, its key, the page address without query
    (absolute), the day of the version cited and the day of access."""

    title: str
    kind: str
    label: str
    key: str
    address: str
    version: datetime.date
    accessed: datetime.date

    @property
    def url(self):
        """The permanent dated address."""
        return f"{self.address}?as_of={self.version.isoformat()}"

    @property
    def identifier(self):
        key = re.sub(r"[^A-Za-z0-9]+", "-", self.key).strip("-").lower()
        return f"rcpdb-{self.kind}-{key}-{self.version:%Y%m%d}"

    def as_format(self, name):
        return FORMATTERS[name](self)

    def formats(self):
        """[(format, label, text)] in the order shown on the page."""
        return [(name, label, self.as_format(name)) for name, (label, _ext, _type) in FORMATS.items()]


def long_date(day):
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def apa(citation):
    c = citation
    return (
        f"{PUBLISHER}. ({c.version.year}, {MONTHS[c.version.month - 1]} {c.version.day}). "
        f"{c.title} [{c.label}]. {CONTAINER}. Retrieved {long_date(c.accessed)}, from {c.url}"
    )


def chicago(citation):
    c = citation
    return (
        f'{PUBLISHER}. "{c.title}." {c.label}, as it stood on {long_date(c.version)}. {CONTAINER}. '
        f"Accessed {long_date(c.accessed)}. {c.url}."
    )


def _bibtex_escape(text):
    return re.sub(r"([{}%&$#_\\])", r"\\\1", text)


def bibtex(citation):
    c = citation
    fields = [
        ("author", "{rcpdb}"),
        ("title", _bibtex_escape(c.title)),
        ("howpublished", f"\\url{{{c.url}}}"),
        ("url", c.url),
        ("year", str(c.version.year)),
        ("month", BIBTEX_MONTHS[c.version.month - 1]),
        ("note", f"{c.label} as it stood on {c.version.isoformat()}; accessed {c.accessed.isoformat()}"),
        ("urldate", c.accessed.isoformat()),
        ("organization", PUBLISHER),
    ]
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
    )
    return f"@misc{{{c.identifier},\n{body}\n}}\n"


def ris(citation):
    c = citation
    lines = [
        ("TY", "ELEC"),
        ("ID", c.identifier),
        ("AU", PUBLISHER),
        ("TI", c.title),
        ("T2", CONTAINER),
        ("PB", PUBLISHER),
        ("PY", str(c.version.year)),
        ("DA", c.version.strftime("%Y/%m/%d")),
        ("Y2", c.accessed.strftime("%Y/%m/%d")),
        ("UR", c.url),
        ("N1", f"{c.label} as it stood on {c.version.isoformat()}"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl_json(citation):
    c = citation
    item = {
        "id": c.identifier,
        "type": "webpage",
        "title": c.title,
        "author": [{"literal": PUBLISHER}],
        "publisher": PUBLISHER,
        "container-title": CONTAINER,
        "genre": c.label,
        "issued": {"date-parts": [[c.version.year, c.version.month, c.version.day]]},
        "accessed": {"date-parts": [[c.accessed.year, c.accessed.month, c.accessed.day]]},
        "URL": c.url,
    }
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


FORMATTERS = {"apa": apa, "chicago": chicago, "bibtex": bibtex, "ris": ris, "csl-json": csl_json}


def kind_of(record):
    """(kind, label) of a record, or None for a model that is not cited."""
    return KINDS.get(record._meta.label_lower)


def title_of(record):
    if record._meta.label_lower == "processes.process":
        if record.acronym and record.acronym not in record.short_name:
            return f"{record.short_name} ({record.acronym})"
        return record.short_name
    if record._meta.label_lower == "processes.state":
        return str(record.name)
    return str(record)


def key_of(record):
    return str(getattr(record, "slug", None) or getattr(record, "code", None) or record.pk)


def citation_for(record, *, address, version, accessed):
    """The ``Citation`` of ``record`` (a process, state, organisation or meeting) at ``address``."""
    kind, label = kind_of(record)
    return Citation(
        title=title_of(record),
        kind=kind,
        label=label,
        key=key_of(record),
        address=address,
        version=version,
        accessed=accessed,
    )
