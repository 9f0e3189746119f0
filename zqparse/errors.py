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
    "InvalidURLError",
    "OutsideAllowedHostsError",
    "PrivateAddressError",
    "RobotsDisallowedError",
    "ConnectError",
    "FetchTimeoutError",
    "DeadlineExceededError",
    "BadResponseError",
    "IncompleteBodyError",
    "ResponseTooLargeError",
    "TooManyRedirectsError",
    "NotAPageError",
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
    """A page could not be fetched. Every failure of :mod:`zqparse.fetcher` and :mod:`zqparse.crawl`
    is one of the subclasses below (docs/fetch.md lists when each is raised); a plain
    ``FetchError`` is raised only for a URL asked of the cache that is not in it."""


# The fetch errors, together: what was refused before any request, then what went wrong on the wire.

class InvalidURLError(FetchError):
    """A URL that cannot be fetched: not http(s), no host, a port out of range, a broken IPv6
    literal, a host name that is not a valid (internationalised) domain name, a bad proxy URL."""


class OutsideAllowedHostsError(FetchError):
    """A URL (a redirect's target, a robots.txt redirect) outside the allowed origins."""


class PrivateAddressError(FetchError):
    """The host is, or resolves to, a loopback, private, link-local, multicast, unspecified or
    reserved address, and the caller did not allow it."""


class RobotsDisallowedError(FetchError):
    """robots.txt of the origin does not allow the URL, answered 5xx, or could not be read."""


class ConnectError(FetchError):
    """No answer: the host cannot be resolved, refused or reset the connection, the TLS handshake
    or the proxy failed, or the server closed the connection before answering (after the retries)."""


class FetchTimeoutError(FetchError):
    """Connecting or reading timed out (the socket timeouts) on every attempt."""


class DeadlineExceededError(FetchTimeoutError):
    """No complete answer within the wall-clock deadline of a request (``deadline``), or all
    attempts of one URL took longer than ``total_deadline``. Never retried."""


class BadResponseError(FetchError):
    """A malformed answer: status line or headers (too long, too many, not HTTP), an invalid
    ``Content-Length``, a body that is not the gzip/deflate data it claims to be."""


class IncompleteBodyError(FetchError):
    """The body ended before its ``Content-Length`` (or its chunked encoding) said it would.
    Never cached."""


class ResponseTooLargeError(FetchError):
    """The response body is larger than ``max_bytes``."""


class TooManyRedirectsError(FetchError):
    """A redirect chain (HTTP or meta refresh) was longer than the cap, or looped."""


class NotAPageError(FetchError):
    """A crawl's list page gave no page to read links from: an HTTP error status, a WAF stub,
    a binary or empty body."""


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
