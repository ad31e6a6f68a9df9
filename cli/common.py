"""What every command shares: progress on stderr, and project errors as exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from eskg.errors import EskgError

F = TypeVar("F", bound=Callable[..., Any])


def progress(message: str) -> None:
    """A line of progress on stderr, so stdout stays the command's output."""
    click.echo(f"· {message}", err=True)


def handled(func: F) -> F:
    """Turn project errors into a message on stderr and the right exit code."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EskgError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(exc.exit_code)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]
