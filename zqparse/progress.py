"""Progress display of a bulk run on stderr: a bar with count, rate and ETA, or nothing.

    >>> from zqparse.progress import make_progress
    >>> progress = make_progress(3, enabled=False)
    >>> progress.update(); progress.close()

tqdm draws the bar when installed (``pip install 'zqparse[progress]'``); otherwise
:class:`PlainProgress` writes a plain line. Every display has the same three methods
(:class:`Progress`): ``update`` after each input, ``write`` for a message that must not
be drawn over, ``close`` at the end.
"""
from __future__ import annotations

import sys
import time
from typing import Optional, Protocol, TextIO

__all__ = ["Progress", "PlainProgress", "NoProgress", "TqdmProgress", "make_progress"]

#: seconds between two redraws of the plain line: on a terminal, and into a file or pipe
REDRAW_TTY, REDRAW_LOG = 0.2, 5.0


class Progress(Protocol):
    """What a bulk run asks of a progress display."""

    def update(self, n: int = 1) -> None:
        """``n`` more inputs are done."""

    def write(self, message: str) -> None:
        """Print a message line without breaking the display."""

    def close(self) -> None:
        """End the display (the cursor on a fresh line)."""


class PlainProgress:
    """A progress line without tqdm: count, rate and ETA, redrawn at most a few times a second."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.started = self.shown = time.perf_counter()
        self.tty = stream.isatty()
        self.every = REDRAW_TTY if self.tty else REDRAW_LOG

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if now - self.shown >= self.every or self.done == self.total:
            self.shown = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        percent = 100.0 * self.done / self.total if self.total else 100.0
        text = (f"{self.done}/{self.total} {percent:3.0f}% {rate:.1f} pages/s "
                f"elapsed {_clock(elapsed)} ETA {_clock(left)}")
        self.stream.write(("\r" + text + "\x1b[K") if self.tty else text + "\n")
        self.stream.flush()

    def write(self, message: str) -> None:
        self.stream.write(("\r\x1b[K" if self.tty else "") + message + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class NoProgress:
    """No display: messages still go to the stream."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def update(self, n: int = 1) -> None:
        pass

    def write(self, message: str) -> None:
        self.stream.write(message + "\n")
        self.stream.flush()

    def close(self) -> None:
        pass


class TqdmProgress:
    """tqdm's bar (raises ImportError when tqdm is not installed)."""

    def __init__(self, total: int, stream: TextIO) -> None:
        from tqdm import tqdm

        self.stream = stream
        self.bar = tqdm(total=total, file=stream, unit="page", dynamic_ncols=True, smoothing=0.1)

    def update(self, n: int = 1) -> None:
        self.bar.update(n)

    def write(self, message: str) -> None:
        self.bar.write(message, file=self.stream)

    def close(self) -> None:
        self.bar.close()


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def make_progress(total: int, *, enabled: bool, stream: Optional[TextIO] = None) -> Progress:
    """A progress display on ``stream`` (default stderr): tqdm when installed, else a plain line;
    nothing when disabled."""
    out = stream if stream is not None else sys.stderr
    if not enabled:
        return NoProgress(out)
    try:
        return TqdmProgress(total, out)
    except ImportError:
        return PlainProgress(total, out)
