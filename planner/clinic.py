"""The clinic's details (`--clinic FILE`): one loader that reads, checks and reports every problem at once.

The file is a small JSON object (planner/schemas/clinic.schema.json): the clinic's name and phone, and
optionally its address, the clinician's name, a note to the patient, a review date and a logo. A logo must
really be a PNG or JPEG, at most MAX_LOGO_BYTES and MAX_LOGO_SIDE pixels a side: a large or mislabelled
file would bloat every PDF in a batch or fail half-way through it, so it is refused before any work starts.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.utils import ImageReader

from planner import resources
from planner.errors import InvalidInput, Problem
from planner.jsonio import read_json_file
from planner.validation import schema_problems

MAX_LOGO_BYTES = 1_000_000
MAX_LOGO_SIDE = 4000
PHONE = "3 to 30 characters: digits, spaces and + ( ) - . /"  # the schema's pattern, in words
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True)
class Logo:
    data: bytes
    width: int  # pixels
    height: int


@dataclass(frozen=True)
class Clinic:
    """What the printed plan says about who handed it out. Plain text: the PDF escapes it."""

    name: str
    phone: str
    address: str | None = None
    clinician: str | None = None
    note: str | None = None
    review_date: dt.date | None = None
    logo: Logo | None = None


def clinic_schema() -> dict:
    return resources.schema("clinic")


def load_clinic(path: str | os.PathLike) -> Clinic:
    """Read and check a clinic file; raise InvalidInput listing every problem, with the file and field."""
    source = str(path)
    raw = read_json_file(path)
    problems = [Problem(p.source, p.location, f"got {raw['phone']!r}; allowed: {PHONE}")
                if p.location == "phone" and isinstance(raw.get("phone"), str) else p
                for p in schema_problems(raw, clinic_schema(), source)]
    review = None
    if isinstance(raw.get("review_date"), str) and not any(p.location == "review_date" for p in problems):
        try:
            review = dt.date.fromisoformat(raw["review_date"])
        except ValueError:
            problems.append(Problem(source, "review_date", f"got {raw['review_date']!r}; not a real date "
                                    "(write YYYY-MM-DD, for example 2027-03-01)"))
    logo = None
    if isinstance(raw.get("logo"), str) and raw["logo"]:
        logo, logo_problems = read_logo(Path(path).parent / raw["logo"], source)
        problems += logo_problems
    if problems:
        raise InvalidInput(problems)
    return Clinic(name=raw["clinic_name"], phone=raw["phone"], address=raw.get("address"),
                  clinician=raw.get("clinician"), note=raw.get("note"), review_date=review, logo=logo)


def read_logo(path: Path, source: str) -> tuple[Logo | None, list[Problem]]:
    """The logo's bytes and size, or the problems with it (missing, too big, not a PNG or JPEG)."""

    def problem(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(source, "logo", f"{path}: {message}")]

    try:
        if path.is_dir():
            return problem("is a folder, not an image file")
        with path.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except FileNotFoundError:
        return problem("no such file")
    except OSError as exc:
        return problem(f"cannot be read: {exc.strerror or exc}")
    if len(data) > MAX_LOGO_BYTES:
        return problem(f"is larger than {MAX_LOGO_BYTES // 1000} kB; use a smaller PNG or JPEG")
    if not any(data.startswith(sig) for sig in SIGNATURES):
        return problem("is not a PNG or JPEG image")
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # reportlab raises many kinds for a damaged image  # noqa: BLE001
        return problem("looks like a PNG or JPEG but cannot be read; it may be damaged")
    if max(width, height) > MAX_LOGO_SIDE or min(width, height) < 1:
        return problem(f"is {width} x {height} pixels; allowed: 1 to {MAX_LOGO_SIDE} pixels a side")
    return Logo(data, width, height), []
