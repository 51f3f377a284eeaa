"""``notice-parser serve``: the parser as an HTTP API, for trackers that cannot shell out.

    notice-parser serve [--host 127.0.0.1] [--port 8000] [--workers N] [--timeout S] [limit options]

``POST /v1/notices``
    the notice file as ``multipart/form-data`` (field ``file``), or as the raw request body
    with its name in the ``X-Filename`` header (percent-encoded UTF-8) or the ``filename``
    query parameter; the name's extension is only a hint, the content decides the format.
    Answers the record, the same JSON ``notice-parser parse`` writes. With ``report=1`` it
    answers ``{"record": …, "report": "<html>"}``, the record and its review page.
``GET /v1/health``
    ``{"status": "ok", …}`` once the workers are up.
``GET /openapi.json``
    the OpenAPI document, its schemas generated from the record's pydantic models
    (``schemas/notice.py``).

A failed parse answers ``{"code", "reason"}`` with the status ``HTTP_STATUS`` gives its code
(the codes of ``parser.errors``, the same as the CLI prints). The limits are the CLI's
(size, zip ratio, pages, per-file time limit), and parsing runs in worker processes
(``parser.service_pool``), so a slow file holds one worker, never the server. It binds
to the loopback interface unless told otherwise: the API has no authentication.

No ``from __future__ import annotations`` here: FastAPI reads the route functions'
annotations, which name classes imported inside ``create_app``.
"""

import argparse
import contextlib
import json
import os
import sys
import urllib.parse
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated, Any

from parser.errors import ALL_ERRORS, TooLarge

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

    from parser.options import ParseOptions

HTTP_STATUS: dict[str, int] = {
    # the file cannot be read as a notice: the client's file is at fault
    "missing": 400,
    "not_a_file": 400,
    "empty": 400,
    "encoding": 400,
    "mislabelled_format": 400,
    "encrypted": 400,
    "no_text_layer": 400,
    "garbled_text_layer": 400,
    "corrupt": 400,
    "unsafe_path": 400,
    "bad_request": 400,
    # the file is too big for the limits
    "too_large": 413,
    # a format the parser has no reader for
    "unsupported_format": 415,
    # read, but not a notice (no task found, when tasks are required)
    "not_a_notice": 422,
    # the server's fault
    "internal_error": 500,
    "worker_crash": 500,
    "missing_tool": 503,
    "write_failed": 507,  # the server's disk is full (a temporary file could not be written)
    # the per-file time limit
    "timeout": 504,
}
"""HTTP status per error code; every code of ``parser.errors`` has one (a test checks)."""

BAD_REQUEST = "bad_request"
"""The request itself is wrong (no file in it, a malformed parameter): no parser error code fits."""
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
REQUEST_SLACK = 1 << 20
"""Bytes a request may carry beyond the file limit (multipart framing, headers)."""


def status_for(code: str) -> int:
    return HTTP_STATUS.get(code, 500)


def error_response(code: str, reason: str):  # type: ignore[no-untyped-def]
    from fastapi.responses import JSONResponse

    return JSONResponse({"code": code, "reason": reason}, status_code=status_for(code))


def error_responses() -> dict[int | str, dict[str, Any]]:
    """The OpenAPI entry of every error status, listing the codes it stands for."""
    from parser.service_models import ErrorBody

    return {
        status: {"model": ErrorBody, "description": ", ".join(sorted(c for c, s in HTTP_STATUS.items() if s == status))}
        for status in sorted(set(HTTP_STATUS.values()))
    }

EXAMPLE_NOTICE = (
    "某市人民政府办公室关于印发重点任务分工方案的通知\n某政办发〔2020〕12号\n各县区人民政府，市政府各部门：\n"
    "现将《重点任务分工方案》印发给你们，请认真贯彻落实。\n某市人民政府办公室\n2020年3月5日\n"
    "一、重点任务\n1.推进政务服务一网通办。\n牵头单位：市政务服务中心。\n责任单位：各县区政府、市发改委。\n"
    "完成时限：2020年6月底前。\n"
)
"""A small notice, the request body's example in the OpenAPI document (API test tools send it)."""

UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary", "description": "the notice file"}},
                "required": ["file"],
            },
        },
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "text/plain": {"schema": {"type": "string"}, "example": EXAMPLE_NOTICE},
    },
}


def _header_name(value: str | None) -> str | None:
    """A file name from a header: percent-encoded UTF-8 (HTTP headers are Latin-1)."""
    if not value:
        return None
    return urllib.parse.unquote(value, errors="replace")


def safe_name(name: str | None) -> str:
    """The base name only: it names the record and hints the format, and is never a path here."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:255] or "upload"


async def _read_limited(stream: AsyncIterator[bytes], limit: int) -> bytes:
    """The request body, refusing it as soon as it passes ``limit`` (never all of it in memory)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the upload is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_upload(request, filename: str | None, x_filename: str | None, limit: int) -> tuple[bytes, str]:  # type: ignore[no-untyped-def]
    """The uploaded file's bytes and name, from a multipart form or from the raw body."""
    from parser.errors import NoticeError

    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > limit + REQUEST_SLACK:
        raise TooLarge(f"the upload is over the limit of {limit} bytes")
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=1, max_fields=10)
        except Exception as exc:  # a malformed multipart body
            raise NoticeError(f"cannot read the multipart form: {exc}"[:300]) from exc
        try:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise NoticeError("the form has no file field named 'file'")
            if upload.size is not None and upload.size > limit:
                raise TooLarge(f"the upload is over the limit of {limit} bytes")
            data = await upload.read(limit + 1)
            if len(data) > limit:
                raise TooLarge(f"the upload is over the limit of {limit} bytes")
            return data, safe_name(filename or _header_name(x_filename) or upload.filename)
        finally:
            await form.close()  # the spooled temporary file goes now, not at garbage collection
    data = await _read_limited(request.stream(), limit)
    return data, safe_name(filename or _header_name(x_filename))


def create_app(options: "ParseOptions | None" = None, workers: int = 1, corrections: object = None) -> "FastAPI":
    """The FastAPI application; its lifespan starts and stops the parse workers.

    ``corrections`` (loaded ``--corrections``) are applied to every record it answers.
    """
    from fastapi import FastAPI, Header, Query, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import Response
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from parser import __version__
    from parser.errors import NoticeError
    from parser.options import ParseOptions
    from parser.service_models import Health, NoticeWithReport
    from parser.service_pool import Job, WorkerPool
    from schemas.notice import Notice

    opts = options or ParseOptions()
    pool = WorkerPool(workers, opts, corrections=corrections)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="notice-parser",
        version=__version__,
        description="Chinese government policy notices -> structured task records.",
        lifespan=lifespan,
    )
    app.state.pool = pool

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):  # type: ignore[no-untyped-def]
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(BAD_REQUEST, f"{where}: {first.get('msg', 'invalid request')}"[:300])

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        from fastapi.responses import JSONResponse

        code = "not_found" if exc.status_code == 404 else "method_not_allowed" if exc.status_code == 405 else "http_error"
        return JSONResponse({"code": code, "reason": str(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.get("/v1/health", response_model=Health, summary="Is the service up")
    async def health() -> Health:
        return Health(status="ok", version=__version__, workers=pool.size, timeout_s=opts.limits.timeout_s,
                      max_bytes=opts.limits.max_bytes)

    @app.post(
        "/v1/notices",
        response_model=Notice | NoticeWithReport,
        responses=error_responses(),
        summary="Parse one notice file",
        description=("The file as multipart/form-data (field `file`) or as the raw body (name in `X-Filename`, "
                     "percent-encoded, or in `filename`). Answers the record, or with `report=1` the record "
                     "and its review page. Errors answer `{code, reason}`."),
        openapi_extra={"requestBody": UPLOAD_BODY},
    )
    async def parse_notice(
        request: Request,
        report: Annotated[bool, Query(description="also answer the review page (HTML)")] = False,
        require_tasks: Annotated[bool, Query(description="answer not_a_notice (422) when no task is found")] = False,
        filename: Annotated[str | None, Query(description="the file's name (its extension hints the format)")] = None,
        x_filename: Annotated[str | None, Header(description="the file's name, percent-encoded UTF-8")] = None,
    ):  # type: ignore[no-untyped-def]
        try:
            data, name = await read_upload(request, filename, x_filename, opts.limits.max_bytes)
        except NoticeError as exc:
            return error_response(exc.code if type(exc) is not NoticeError else BAD_REQUEST, exc.reason)
        answer = await pool.parse(Job(data, name, report, require_tasks))
        if not answer.ok:
            return error_response(answer.code, answer.reason)
        if report:
            body = f'{{"record": {answer.record.rstrip()}, "report": {json.dumps(answer.report, ensure_ascii=False)}}}\n'
        else:
            body = answer.record
        return Response(body.encode("utf-8"), media_type="application/json")

    return app


# --- the command ---------------------------------------------------------------------------------

def configure(p: argparse.ArgumentParser) -> None:
    """Options of the ``serve`` subcommand (the limit options are added by the CLI)."""
    from parser.limits import Limits

    p.add_argument("--host", default=DEFAULT_HOST,
                   help="address to listen on (default %(default)s: this machine only; the API has no authentication)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default %(default)s)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="parse worker processes, i.e. files parsed at once (default %(default)s)")
    p.add_argument("--timeout", type=float, default=Limits().timeout_s, metavar="SECONDS",
                   help="per-file time limit (default %(default)s)")
    p.add_argument("--require-tasks", action="store_true",
                   help="answer not_a_notice (422) for every file without tasks")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))


def main(args: argparse.Namespace, options: "ParseOptions") -> int:
    """Run the server until interrupted; ``options`` come from the CLI's shared options (``--max-bytes`` …)."""
    import dataclasses
    import importlib.util

    try:
        import fastapi  # noqa: F401
        import uvicorn
        if not (importlib.util.find_spec("python_multipart") or importlib.util.find_spec("multipart")):
            raise ImportError("python-multipart")  # Starlette reads multipart uploads with it
    except ImportError:
        print("notice-parser serve: the service needs its extra: pip install 'notice-parser[service]'", file=sys.stderr)
        return 2
    if args.require_tasks:
        options = dataclasses.replace(options, require_tasks=True)
    corrections = None
    if getattr(args, "corrections", None):  # the option comes with parser.corrections (issue 13 item 5)
        from parser.corrections import load_corrections  # type: ignore[import-not-found]

        corrections = load_corrections(args.corrections)  # a bad file stops the server before it starts
    app = create_app(options, max(1, args.workers), corrections)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def all_codes_mapped() -> list[str]:
    """Codes of ``parser.errors`` without an HTTP status (the test wants none)."""
    return [e.code for e in ALL_ERRORS if e.code not in HTTP_STATUS]
