"""One JSON error shape for every failure: {"error": {"status", "code", "message", "details"}}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException


class AppError(Exception):
    """A failure a person can act on; routes let it propagate."""

    def __init__(self, status: int, code: str, message: str, details: object = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details


def not_found(what: str) -> AppError:
    return AppError(404, "not_found", f"{what} not found (or outside your scope)")


def forbidden(message: str) -> AppError:
    return AppError(403, "forbidden", message)


def conflict(message: str, code: str = "conflict") -> AppError:
    return AppError(409, code, message)


def body(status: int, code: str, message: str, details: object = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "details": details}}


def install(app: FastAPI) -> None:
    """Register handlers so that every error leaves the API in the same shape."""

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError):
        return JSONResponse(body(exc.status, exc.code, exc.message, exc.details), exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = {401: "unauthorised", 404: "not_found", 405: "method_not_allowed"}
        return JSONResponse(
            body(exc.status_code, code.get(exc.status_code, "http_error"), str(exc.detail)),
            exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        details = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in exc.errors()
        ]
        return JSONResponse(body(422, "invalid_request", "the request is invalid", details), 422)
