"""The crawl manifest: the file that hands fetched pages from the fetch stage to bulk parsing.

:mod:`zqparse.crawl` writes it (``zqparse crawl``, ``zqparse fetch``);
:mod:`zqparse.bulk` reads it (``zqparse parse DIR/manifest.jsonl``). Both take its name and
the shape of its entries from here, so neither imports the other. One JSON object per
line, one per report page (:class:`ManifestEntry`)::

    {"url": str, "title": str|null, "path": str|null, "status": int|null,
     "encoding": str|null, "error": str|null,
     "attachments": [{"url": str, "path": str|null, "status": int|null}]}

``path`` is relative to the manifest's folder; ``encoding`` is the charset of the HTTP
Content-Type; ``error`` says why a page has no file.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, List, Optional, TypedDict, Union

__all__ = ["MANIFEST_NAME", "ManifestEntry", "AttachmentEntry", "new_entry", "write_manifest"]

#: the manifest's file name in a crawl's output folder
MANIFEST_NAME = "manifest.jsonl"


class AttachmentEntry(TypedDict):
    """An attachment a report page links to, in its manifest entry."""

    url: str
    path: Optional[str]
    status: Optional[int]


class ManifestEntry(TypedDict):
    """One line of the manifest: a report page, where it was saved, or why it was not."""

    url: str
    title: Optional[str]
    path: Optional[str]
    status: Optional[int]
    encoding: Optional[str]
    error: Optional[str]
    attachments: List[AttachmentEntry]


def new_entry(url: str, title: Optional[str] = None) -> ManifestEntry:
    """The entry of a page not fetched yet."""
    return {"url": url, "title": title, "path": None, "status": None, "encoding": None, "error": None,
            "attachments": []}


def write_manifest(out_dir: Union[str, "os.PathLike[str]"], entries: Iterable[ManifestEntry]) -> Path:
    """Write ``out_dir/``:data:`MANIFEST_NAME`, one JSON object per entry, replacing it whole; its path.

    Written to a temporary file and renamed; the temporary file is removed if writing fails."""
    out = Path(out_dir)
    manifest = out / MANIFEST_NAME
    temporary = out / f".{MANIFEST_NAME}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.writelines(json.dumps(entry, ensure_ascii=False) + "\n" for entry in entries)
        os.replace(temporary, manifest)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return manifest
