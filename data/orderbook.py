"""Curate the public order book: reviewed orders, their sources and quotes, source classes.

Inputs (all read-only):

* ``<shared>/facts/orders_public_record.csv`` — 206 researched orders, one verbatim quote each.
* ``<shared>/facts/notable_orders.csv`` — the 58 older rows (most are the same buys).
* ``data/curation/order_review/*.csv`` — the project's row-by-row review of both files: for every
  record a verdict (keep / corrected / flagged / dropped), the final value of every field, what
  carries each figure (the quote, the page, a second source, another page, an estimate) and a note.
  A record without a review row stops the curation: every order is checked, none slips through.
* ``data/curation/source_domains.csv`` — every cited domain classed once: official, trade_press,
  wire_major, other, excluded (adversary state media and their mirrors, personal blogs, staging
  servers, content farms).

Rules applied here (each once):

* A dropped row (duplicate, or nothing carried) leaves the book; its reason stays in the review.
* Every URL is classed by its domain. An order whose cited pages are all ``excluded`` is dropped:
  such sources never carry a figure alone. An order whose best page is ``other`` is kept at low
  confidence.
* ``units_open``: 0 when delivered or cancelled; quantity minus the reported delivered units when a
  count is published; else the whole quantity, flagged an estimate when the order is delivering.
* The FCFS date (``contract_date``) is the signature date, else the notification date.
* ``order_id`` is derived from the record id: ``airdefense-NNN`` → 1000+N, ``fires-NNN`` → 2000+N,
  ``aircraft-NNN`` → 3000+N, ``notable-NN`` → 9000+N, so ids are stable across curations.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd

SOURCE_CLASSES: tuple[str, ...] = ("official", "trade_press", "wire_major", "other", "excluded")
CLASS_RANK = {name: i for i, name in enumerate(SOURCE_CLASSES)}
STATUSES = ("notified", "signed", "delivering", "delivered", "cancelled")
VERDICTS = ("keep", "corrected", "flagged", "dropped")
CARRIED = ("quote", "page", "second_source", "other_page", "estimate", "none", "")
ID_BASE = {"airdefense": 1000, "fires": 2000, "aircraft": 3000, "notable": 9000}
VALUE_BASES = ("notified ceiling", "LOA/contract", "reported", "pro-rata share")

REVIEW_COLUMNS = [
    "record_id", "verdict", "duplicate_of", "quote_found", "found_url", "iso3", "buyer", "line_id", "item",
    "quantity", "quantity_basis", "quantity_carried", "value_busd", "value_basis", "value_carried",
    "notified_date", "signed_date", "dates_carried", "status", "status_carried", "delivered_units",
    "delivered_as_of", "delivered_carried", "expected_delivery", "source_url", "quote", "second_source_url",
    "best_source_url", "best_source_quote", "confidence", "notes", "review_note",
]


class CurationError(ValueError):
    """The review inputs are inconsistent; the message lists every offending record."""


def domain_of(url: str) -> str:
    """The host of a URL, lower case, without 'www.' or a port ('' for a non-URL)."""
    host = urlparse(url.strip()).netloc.lower().split("@")[-1].split(":")[0]
    return host[4:] if host.startswith("www.") else host


def classified_domain(url: str, classes: dict[str, str]) -> str | None:
    """The entry of ``classes`` that classes ``url``: its host, else its closest parent domain."""
    labels = domain_of(url).split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in classes:
            return candidate
    return None


def classify(url: str, classes: dict[str, str]) -> str | None:
    """The source class of ``url``: its host, else its parent domains, looked up in ``classes``."""
    domain = classified_domain(url, classes)
    return classes[domain] if domain else None


def order_id_of(record_id: str) -> int:
    """Stable integer id of a record id (see the module docstring)."""
    match = re.fullmatch(r"([a-z]+)-(\d+)", record_id)
    if not match or match.group(1) not in ID_BASE:
        raise CurationError(f"Unexpected record id {record_id!r}")
    return ID_BASE[match.group(1)] + int(match.group(2))


def read_reviews(review_dir: Path) -> pd.DataFrame:
    """Every review file (``*.csv``) in ``review_dir``, as strings, empty = None."""
    files = sorted(review_dir.glob("*.csv"))
    if not files:
        raise CurationError(f"No order review files in {review_dir}")
    frames = []
    for path in files:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [c for c in REVIEW_COLUMNS if c not in frame.columns]
        if missing:
            raise CurationError(f"{path.name}: missing columns {missing}")
        frame = frame[REVIEW_COLUMNS].copy()
        frame["review_file"] = path.name
        frames.append(frame)
    reviews = pd.concat(frames, ignore_index=True)
    reviews = reviews.apply(lambda col: col.str.strip()).astype(object).replace({"": None})
    reviews = reviews.where(reviews.notna(), None)
    dup = reviews["record_id"][reviews["record_id"].duplicated()]
    if len(dup):
        raise CurationError(f"Records reviewed twice: {sorted(set(dup))}")
    return reviews


def _date(value: str | None) -> tuple[str | None, str | None]:
    """('YYYY-MM-DD', precision) from 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; (None, None) if empty."""
    if value is None:
        return None, None
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        pd.Timestamp(value)  # raises on an impossible date
        return value, "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return value + "-01", "month"
    if re.fullmatch(r"\d{4}", value):
        return value + "-01-01", "year"
    raise CurationError(f"Unreadable date {value!r}")


def _value_basis(text: str | None) -> str | None:
    """One of VALUE_BASES from the reviewer's free text."""
    if text is None:
        return None
    low = text.lower()
    if "pro-rata" in low or "pro rata" in low or "share of" in low:
        return "pro-rata share"
    if "ceiling" in low or "notif" in low or "dsca" in low or "approv" in low:
        return "notified ceiling"
    if "loa" in low or "contract" in low or "signed" in low:
        return "LOA/contract"
    return "reported"


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "hundred": 100, "a dozen": 12, "two dozen": 24,
    # Quotes in other languages (Italian, German, Dutch, French, Spanish), one to twelve.
    "uno": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9,
    "dieci": 10, "undici": 11, "dodici": 12,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "elf": 11, "zwölf": 12, "twee": 2, "drie": 3, "zes": 6, "zeven": 7, "negen": 9, "tien": 10, "twaalf": 12,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "douze": 12,
    "dos": 2, "tres": 3, "cuatro": 4, "seis": 6, "siete": 7, "ocho": 8, "diez": 10, "doce": 12,
}
ROCKETS_PER_POD = 6
"""A GMLRS pod holds six rockets (the reviewers convert pods to rockets only where a quote counts pods)."""


def quote_numbers(text: str) -> list[int]:
    """Whole numbers a quote states: digits (with , . or thin-space thousands separators) and the
    number words above. Years (1990-2040 written as four plain digits) are left out."""
    low = text.lower()
    numbers: list[int] = []
    for match in re.finditer(r"(?<![\d.,])\d{1,3}(?:[,\u202f\u00a0 ]\d{3})+(?![\d])|(?<![\d.,])\d+(?![\d]|[.,]\d)", low):
        token = match.group(0)
        value = int(re.sub(r"[^\d]", "", token))
        if re.fullmatch(r"(19[9]\d|20[0-4]\d)", token):
            continue
        numbers.append(value)
    for word, value in _NUMBER_WORDS.items():
        if re.search(rf"\b{word}\b", low):
            numbers.append(value)
    return numbers


def quote_carries(quantity: float | None, quotes: list[str], pods: bool = False) -> bool:
    """True when a quote states ``quantity``: as one number, as the sum of up to four numbers it
    lists (e.g. '63 F-35A ... and 42 F-35B' = 105), or, where it counts rocket pods (the word 'pod',
    or ``pods=True`` for a GMLRS order whose quote counts sets in another language), as pods × 6."""
    if quantity is None or (isinstance(quantity, float) and np.isnan(quantity)):
        return True
    n = int(quantity)
    for quote in quotes:
        numbers = quote_numbers(quote)
        candidates = {n}
        if (pods or "pod" in quote.lower()) and n % ROCKETS_PER_POD == 0:
            candidates.add(n // ROCKETS_PER_POD)
        if candidates & set(numbers):
            return True
        small = sorted(numbers)[:12]
        for size in (2, 3, 4):
            for combo in itertools.combinations(small, size):
                if sum(combo) in candidates:
                    return True
    return False


CORRECTABLE = (
    "quantity", "quantity_basis", "best_source_url", "best_source_quote", "confidence", "notes", "status",
    "signed_date", "notified_date", "value_busd", "value_basis", "delivered_units", "delivered_as_of",
    "quantity_carried",
)


def apply_corrections(reviews: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """The curator's own field corrections (``order_corrections.csv``: record_id, field, value,
    reason) applied on top of the reviews; each reason is appended to the record's review note.

    Raises
    ------
    CurationError
        A correction of an unknown record or of a field that is not correctable.
    """
    out = reviews.set_index("record_id", drop=False).copy()
    problems = []
    for row in corrections.itertuples(index=False):
        if row.record_id not in out.index:
            problems.append(f"correction of unknown record {row.record_id!r}")
            continue
        if row.field not in CORRECTABLE:
            problems.append(f"{row.record_id}: field {row.field!r} cannot be corrected here")
            continue
        value = _text(row.value)
        out.at[row.record_id, row.field] = value
        note = _text(out.at[row.record_id, "review_note"]) or ""
        out.at[row.record_id, "review_note"] = f"{note} Curator: {row.field} → {value or 'empty'} ({row.reason}).".strip()
        if out.at[row.record_id, "verdict"] == "keep":
            out.at[row.record_id, "verdict"] = "corrected"
    if problems:
        raise CurationError("; ".join(problems))
    return out.reset_index(drop=True)


def build_order_book(
    record: pd.DataFrame,
    notable: pd.DataFrame,
    reviews: pd.DataFrame,
    classes: dict[str, str],
    line_ids: set[str],
    partners: set[str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The curated ``arms_order`` and ``order_source`` tables, and the review log of every record.

    Raises
    ------
    CurationError
        A record without a review, a review of an unknown record, an unknown line, partner,
        status, verdict or source class, a status that contradicts the dates or delivered units,
        a kept quantity that no quote carries and that is not flagged an estimate.
    """
    expected = set(record["record_id"]) | {f"notable-{i + 1:02d}" for i in range(len(notable))}
    reviewed = set(reviews["record_id"])
    problems: list[str] = []
    if expected - reviewed:
        problems.append(f"records without a review: {sorted(expected - reviewed)}")
    if reviewed - expected:
        problems.append(f"reviews of unknown records: {sorted(reviewed - expected)}")
    if problems:
        raise CurationError("; ".join(problems))

    reviews = reviews.copy()
    bad_verdict = reviews.loc[~reviews["verdict"].isin(VERDICTS), "record_id"].tolist()
    if bad_verdict:
        raise CurationError(f"unknown verdict in {bad_verdict}")
    dup_target = reviews["verdict"].eq("dropped") & reviews["duplicate_of"].notna()
    unknown_dup = reviews.loc[dup_target & ~reviews["duplicate_of"].isin(reviewed), "record_id"].tolist()
    if unknown_dup:
        raise CurationError(f"duplicate_of names an unknown record in {unknown_dup}")

    log = reviews[["record_id", "verdict", "duplicate_of", "review_file", "review_note"]].copy()
    log["curation"] = np.where(reviews["verdict"].eq("dropped"), "dropped by review", "")

    kept = reviews[reviews["verdict"].ne("dropped")].copy()
    source_rows: list[dict] = []
    order_rows: list[dict] = []
    for _, row in kept.iterrows():
        rid = row["record_id"]
        try:
            order = _order_row(row, classes, line_ids, partners, source_rows)
        except CurationError as exc:
            problems.append(f"{rid}: {exc}")
            continue
        if order is None:  # every cited page excluded
            log.loc[log["record_id"] == rid, "curation"] = "dropped: only excluded sources"
            source_rows[:] = [s for s in source_rows if s["record_id"] != rid]
            continue
        order_rows.append(order)
    if problems:
        raise CurationError("\n".join(problems))

    orders = pd.DataFrame(order_rows)
    sources = pd.DataFrame(source_rows)
    sources = sources[sources["record_id"].isin(orders["record_id"])]
    ids = dict(zip(orders["record_id"], orders["order_id"], strict=True))
    sources["order_id"] = sources["record_id"].map(ids)
    sources = sources.drop(columns="record_id")
    _check_duplicates(orders)
    return orders, sources, log


def _order_row(
    row: pd.Series, classes: dict[str, str], line_ids: set[str], partners: set[str], source_rows: list[dict]
) -> dict | None:
    row = {key: _text(value) for key, value in row.items()}
    rid = row["record_id"]
    iso3 = row["iso3"]
    if iso3 not in partners:
        raise CurationError(f"unknown partner {iso3!r}")
    line_id = row["line_id"]
    if line_id is not None and line_id not in line_ids:
        raise CurationError(f"unknown line {line_id!r}")
    status = row["status"]
    if status not in STATUSES:
        raise CurationError(f"unknown status {status!r}")
    for field in ("quantity_carried", "value_carried", "dates_carried", "status_carried", "delivered_carried"):
        if (row[field] or "") not in CARRIED:
            raise CurationError(f"{field} = {row[field]!r} (use one of {CARRIED[:-1]})")

    quantity = _number(row["quantity"], "quantity")
    delivered = _number(row["delivered_units"], "delivered_units")
    value = _number(row["value_busd"], "value_busd")
    if quantity is not None and (quantity <= 0 or quantity != int(quantity)):
        raise CurationError(f"quantity must be a whole number > 0 (got {quantity})")
    notified, notified_precision = _date(row["notified_date"])
    signed, signed_precision = _date(row["signed_date"])
    if notified and signed and signed < notified:
        raise CurationError(f"signed {signed} before notified {notified}")
    _check_status(status, signed, quantity, delivered)
    contract_date = signed or notified  # None: no date published, kept as history, never queued
    precision = signed_precision if signed else notified_precision

    # Sources: every cited page with its class; the quote travels with the page that holds it.
    pages: list[tuple[str, str, str | None]] = []  # (role, url, quote)
    quote_url = row["found_url"] if row["quote_found"] == "other_page" and row["found_url"] else row["source_url"]
    if quote_url:
        pages.append(("cited", quote_url, row["quote"]))
    if row["source_url"] and row["source_url"] != quote_url:
        pages.append(("cited", row["source_url"], None))
    if row["second_source_url"]:
        pages.append(("second", row["second_source_url"], None))
    if row["best_source_url"]:
        pages.append(("better", row["best_source_url"], row["best_source_quote"]))
    merged: dict[str, list] = {}
    for role, url, quote in pages:  # one entry per URL; every quote found for it is kept
        if url in merged:
            if quote and quote != merged[url][2]:
                merged[url][2] = f"{merged[url][2]} … {quote}" if merged[url][2] else quote
        else:
            merged[url] = [role, url, quote]
    ranked = []
    for role, url, quote in merged.values():
        cls = classify(url, classes)
        if cls is None:
            raise CurationError(f"no source class for domain {domain_of(url)!r} ({url})")
        # Best class first; within a class the page whose quote carries the figure comes before one without.
        ranked.append((CLASS_RANK[cls], not quote, len(ranked), role, url, quote, cls))
    if not ranked:
        raise CurationError("no source URL")
    ranked.sort()
    if all(r[6] == "excluded" for r in ranked):
        return None
    quotes = [r[5] for r in ranked if r[5] and r[6] != "excluded"]
    carried = quote_carries(quantity, quotes, pods=line_id == "gmlrs")
    if quantity is not None and row["quantity_carried"] != "estimate" and not carried:
        raise CurationError(
            f"no quote from a non-excluded page states the quantity {int(quantity)}; flag it "
            "(quantity_carried = estimate, with the reasoning) or correct it"
        )
    for rank, (_, _, _, role, url, quote, cls) in enumerate(ranked, start=1):
        source_rows.append(
            {"record_id": rid, "rank": rank, "role": role, "url": url, "domain": classified_domain(url, classes),
             "source_class": cls, "quote": quote}
        )
    best_class = ranked[0][6]

    confidence = row["confidence"] or "medium"
    if confidence not in ("high", "medium", "low"):
        raise CurationError(f"unknown confidence {confidence!r}")
    if best_class == "other":
        confidence = "low"
    estimates = [
        name for name, field in (("quantity", "quantity_carried"), ("value", "value_carried"),
                                 ("dates", "dates_carried"), ("delivered units", "delivered_carried"))
        if row[field] == "estimate"
    ]

    if status in ("delivered", "cancelled"):
        units_open, open_estimate = (0 if quantity is not None else None), False
    elif quantity is None:
        units_open, open_estimate = None, False
    elif delivered is not None:
        units_open, open_estimate = int(quantity - delivered), row["delivered_carried"] == "estimate"
    else:
        units_open, open_estimate = int(quantity), status == "delivering"

    notes = row["notes"] or ""
    if contract_date is None and units_open:
        notes = (notes + (
            " No contract date published: queued as its line's oldest order (already in delivery)."
            if status == "delivering" else " No notification or signature date published: not queued."
        )).strip()
    if open_estimate and delivered is None:
        notes = (notes + " Delivered count not published: every unit is counted as still open.").strip()
    return {
        "order_id": order_id_of(rid),
        "record_id": rid,
        "iso3": iso3,
        "line_id": line_id,
        "description": row["item"],
        "quantity": None if quantity is None else int(quantity),
        "quantity_basis": row["quantity_basis"],
        "units_open": units_open,
        "units_open_is_estimate": bool(open_estimate),
        "delivered_units": None if delivered is None else int(delivered),
        "delivered_as_of": row["delivered_as_of"],
        "value_busd": value,
        "value_basis": _value_basis(row["value_basis"]) if value is not None else None,
        "notified_date": notified,
        "signed_date": signed,
        "contract_date": contract_date,
        "date_precision": precision,
        "status": status,
        "confidence": confidence,
        "estimated_fields": ", ".join(estimates) or None,
        "expected_delivery": row["expected_delivery"],
        "source_id": "orders_record_2026",
        "source_urls": ";".join(r[4] for r in ranked),
        "best_source_url": ranked[0][4],
        "best_source_class": best_class,
        "review_verdict": row["verdict"],
        "notes": notes or None,
        "review_note": row["review_note"],
    }


def _text(value: object) -> str | None:
    """A cell as stripped text; None for empty or missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _number(text: str | None, name: str) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError as exc:
        raise CurationError(f"{name} is not a number: {text!r}") from exc
    if not np.isfinite(value) or value < 0:
        raise CurationError(f"{name} must be finite and ≥ 0 (got {text!r})")
    return value


def _check_status(status: str, signed: str | None, quantity: float | None, delivered: float | None) -> None:
    """A status consistent with the dates and the delivered units (see STATUSES)."""
    if status == "notified":
        if signed is not None:
            raise CurationError("status 'notified' but a signature date is given")
        if delivered:
            raise CurationError("status 'notified' but units were delivered")
    if status == "signed" and delivered:
        raise CurationError("status 'signed' but units were delivered (use 'delivering')")
    if status == "delivering" and delivered is not None and quantity is not None and not 0 < delivered < quantity:
        raise CurationError(f"status 'delivering' needs 0 < delivered ({delivered}) < quantity ({quantity})")
    if status == "delivered" and delivered is not None and quantity is not None and delivered != quantity:
        raise CurationError(f"status 'delivered' but delivered {delivered} ≠ quantity {quantity}")
    if delivered is not None and quantity is not None and delivered > quantity:
        raise CurationError("delivered units exceed the quantity")


def _check_duplicates(orders: pd.DataFrame) -> None:
    """Two kept orders of one partner on one line with the same dates and quantity are one buy."""
    key = orders[["iso3", "line_id", "quantity", "contract_date"]].map(str).agg("|".join, axis=1)
    dup = orders.loc[key.duplicated(keep=False) & orders["line_id"].notna(), "record_id"]
    if len(dup):
        raise CurationError(f"possible duplicate orders (same partner, line, quantity, date): {sorted(dup)}")
