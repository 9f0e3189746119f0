"""The exceptions zqparse raises on purpose.

Every error a caller can see from the public API is a :class:`ZqparseError`;
anything else escaping ``zqparse.parse`` is a bug.
"""
from __future__ import annotations

__all__ = [
    "ZqparseError",
    "InputError",
    "EmptyInputError",
    "BinaryInputError",
    "InputTooLargeError",
    "FetchError",
    "ParseError",
    "ParseTimeoutError",
]


class ZqparseError(Exception):
    """Base class of every error zqparse raises on purpose."""


class InputError(ZqparseError, ValueError):
    """The input cannot be read as a page: not a file, not a path, unreadable."""


class EmptyInputError(InputError):
    """The input holds no text at all (zero bytes, or only whitespace)."""


class BinaryInputError(InputError):
    """The input is binary data (an image, an archive, a PDF, random bytes), not a page."""


class InputTooLargeError(InputError):
    """The input is larger than the configured maximum size."""


class FetchError(ZqparseError):
    """A page could not be fetched (network error, HTTP error, refused by robots.txt)."""


class ParseError(ZqparseError):
    """A readable page made the parser fail: a bug in zqparse, reported with its cause chained."""


class ParseTimeoutError(ParseError):
    """Parsing one input took longer than the time allowed it (bulk runs' ``--timeout``)."""


# --------------------------------------------------------------------------- documents (PDF, Word)

class DocumentError(BinaryInputError):
    """A document file (PDF, Word, …) that zqparse cannot read; the message says what to do."""


class NoTextLayerError(DocumentError):
    """A PDF without a text layer: a scanned document (images of pages), to be OCR'd first."""


class EncryptedDocumentError(DocumentError):
    """A document that needs a password to be opened."""


class CorruptDocumentError(DocumentError):
    """A document that is truncated or damaged and cannot be read."""


class UnsupportedFormatError(DocumentError):
    """A document format zqparse does not read (.doc, .wps, .xls, .ofd, .zip, .rar, …)."""


__all__ += ["DocumentError", "NoTextLayerError", "EncryptedDocumentError", "CorruptDocumentError",
            "UnsupportedFormatError"]
