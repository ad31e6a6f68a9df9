"""The one error hierarchy of eskg.

Every error carries a message meant for the user (what went wrong, where, and what
to do) and a status: an HTTP status for the API and an exit code for the CLI. The
CLI follows pySHACL's convention: 0 fine, 1 the data does not conform, 2 could not run.
"""

from __future__ import annotations


class EskgError(Exception):
    """Base error: ``message`` is shown to the user as it is."""

    http_status: int = 500
    exit_code: int = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFoundError(EskgError):
    """A named thing (entity, query file, dump) does not exist."""

    http_status = 404


class InvalidInputError(EskgError):
    """A request or file could not be read (bad YAML, bad syntax, bad arguments)."""

    http_status = 400
    exit_code = 2


class DataNotConformingError(EskgError):
    """The data was read but breaks the ontology or the SHACL shapes."""

    http_status = 422
    exit_code = 1


class StoreUnavailableError(EskgError):
    """The configured store cannot be reached (Neo4j down, store locked)."""

    http_status = 503


class QueryLimitError(EskgError):
    """A query exceeded a limit (depth, aliases, page size, timeout, result cap)."""

    http_status = 400


class ReadTimeoutError(QueryLimitError):
    """A store read ran past ``ESKG_QUERY_TIMEOUT`` and the store ended it (Neo4j
    ends the transaction)."""


class RequestTimeoutError(QueryLimitError):
    """A request ran past ``ESKG_REQUEST_TIMEOUT`` (all of its reads and its encoding
    together); what it had started was stopped."""

    http_status = 503


class ResponseTooLargeError(QueryLimitError):
    """An answer would pass ``ESKG_MAX_RESPONSE_BYTES``; it was refused while being built."""


class ConfigurationError(EskgError):
    """The settings are inconsistent or a required tool is missing."""

    http_status = 500


class NotAcceptableError(EskgError):
    """No format the client accepts can be written."""

    http_status = 406


# SPARQL 1.1 Protocol (api/sparql.py)


class UpdateNotAllowedError(InvalidInputError):
    """A SPARQL Update was sent to the read-only endpoint."""

    http_status = 403


class UnsupportedMediaTypeError(EskgError):
    """A POST body in a content type the protocol does not define."""

    http_status = 415


class QueryTimeoutError(QueryLimitError):
    """The query did not answer within ``sparql_timeout``."""

    http_status = 503


class QueryFailedError(EskgError):
    """The engine failed while evaluating (not a syntax error)."""

    http_status = 500
