"""Typed service errors; each adapter (HTTP, socket) maps them once to its own form."""
from __future__ import annotations


class ServiceError(Exception):
    code = "bad_request"
    status = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra

    def to_dict(self) -> dict:
        error: dict = {"code": self.code, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        error.update(self.extra)
        return error


class BadRequest(ServiceError):
    code, status = "bad_request", 400


class Unauthorized(ServiceError):
    code, status = "unauthorized", 401


class Forbidden(ServiceError):
    code, status = "forbidden", 403


class NotFound(ServiceError):
    code, status = "not_found", 404


class Conflict(ServiceError):
    code, status = "conflict", 409


class Invalid(ServiceError):
    code, status = "validation", 422


class RateLimited(ServiceError):
    code, status = "rate_limited", 429


class Busy(ServiceError):
    """The database stayed locked by another writer for too long; the client should retry."""

    code, status = "busy", 503

    def __init__(self, message: str, retry_after: int = 1):
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after
