"""Remembering which bank files passed the check, so that a bank used again is not checked
again: the positioned YAML loader and the checks cost more than everything else a brief does.

A marker ``CACHE/banks/<sha256 of the file>-<code>.json`` says that exactly these bytes passed
every check under exactly this csintake code (its fingerprint is in the name as well as in the
marker, so two installs sharing one cache folder keep a marker each instead of overwriting
each other's), and holds a hash of the data they load to. A bank with
a marker is loaded with the quick loader and built into the models without validating
it again (:mod:`csintake.bank.trusted`); the marker is believed
only if the data's hash matches, so a stale, damaged or forged marker can only cost the full
check, never let an unchecked bank through. Markers hold hashes and nothing else: nothing in
the cache is ever executed or unpickled.

The cache folder is ``CSINTAKE_CACHE`` if set, else the platform's user cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from csintake.bank.model import Bank

MARKER_FORMAT = "csintake/bank-checked@1"


def cache_dir() -> Path:
    env = os.environ.get("CSINTAKE_CACHE")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("csintake", appauthor=False)


def _marker(sha256: str) -> Path:
    return cache_dir() / "banks" / f"{sha256}-{_code()[:16]}.json"


def _data_hash(value: Any) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def _code() -> str:
    from csintake.files.fingerprint import code_fingerprint

    return code_fingerprint()


def checked_before(raw: bytes, sha256: str) -> Bank | None:
    """The bank in ``raw`` if these bytes passed the check before; None: check them."""
    try:
        marker = json.loads(_marker(sha256).read_bytes())
        text = raw.decode("utf-8-sig")
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("format") != MARKER_FORMAT:
        return None
    if marker.get("code") != _code():
        return None
    from csintake.files.yamlfile import load_plain

    quick, value = load_plain(text)
    if not quick or marker.get("data") != _data_hash(value):
        return None
    from csintake.bank.model import Bank
    from csintake.bank.trusted import construct

    # These bytes validated before under this very code, and load to the data that did:
    # validating them again would give the same models, at the cost of building validators.
    return construct(Bank, value)


def remember(raw: bytes, sha256: str) -> None:
    """Note that ``raw`` passed every check. Best effort: a cache that cannot be written is
    only slower."""
    from csintake.errors import StoreError
    from csintake.files.atomic import write_atomic
    from csintake.files.yamlfile import load_plain

    try:
        quick, value = load_plain(raw.decode("utf-8-sig"))
    except ValueError:
        return
    if not quick:
        return  # aliases and the like: such a bank is always checked in full
    document = {"format": MARKER_FORMAT, "code": _code(), "data": _data_hash(value)}
    path = _marker(sha256)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(document))
    except (OSError, StoreError):
        return
