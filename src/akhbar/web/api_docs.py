"""The API's human documentation at /api/docs: one HTML page rendered here from the OpenAPI document.

No Swagger UI: it would need a third-party origin or inline script, both of which the CSP forbids.
"""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from akhbar.web.assets import asset_url


def _type_of(schema: dict[str, Any]) -> str:
    """Return a short type label of a parameter's JSON schema (anyOf null folded into "optional")."""
    if "anyOf" in schema:
        return " | ".join(_type_of(s) for s in schema["anyOf"] if s.get("type") != "null")
    label = str(schema.get("type", "any"))
    if schema.get("format"):
        label += f" ({schema['format']})"
    return label


def _limits(schema: dict[str, Any]) -> str:
    options = schema.get("anyOf", [schema])
    parts: list[str] = []
    for option in options:
        for key, word in (("minimum", "≥"), ("maximum", "≤"), ("pattern", "matches")):
            if key in option:
                parts.append(f"{word} {option[key]}")
    if "default" in schema and schema["default"] is not None:
        parts.append(f"default {schema['default']}")
    return ", ".join(parts)


def _parameter_rows(parameters: list[dict[str, Any]]) -> str:
    rows = []
    for p in parameters:
        schema = p.get("schema", {})
        required = "yes" if p.get("required") else "no"
        cells = (
            p["name"],
            p.get("in", ""),
            _type_of(schema),
            required,
            _limits(schema),
            p.get("description", ""),
        )
        rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    head = "".join(
        f"<th scope='col'>{h}</th>" for h in ("name", "in", "type", "required", "limits", "meaning")
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _operation(prefix: str, path: str, method: str, op: dict[str, Any]) -> str:
    full = f"{prefix}{path}"
    parts = [
        f"<section><h2><code>{method.upper()} {escape(full)}</code></h2>",
        f"<p>{escape(op.get('summary', ''))}</p>",
    ]
    if op.get("description"):
        parts.append(f"<p>{escape(op['description'])}</p>")
    if op.get("parameters"):
        parts.append(_parameter_rows(op["parameters"]))
    statuses = ", ".join(
        f"{code} {escape(r.get('description', ''))}" for code, r in op.get("responses", {}).items()
    )
    parts.append(f"<p>Answers: {statuses}</p></section>")
    return "".join(parts)


def render_docs(openapi: dict[str, Any], prefix: str) -> str:
    """Return the HTML page documenting every operation of an OpenAPI document."""
    info = openapi.get("info", {})
    title = escape(f"{info.get('title', 'API')} {info.get('version', '')}")
    sections = [
        _operation(prefix, path, method, op)
        for path, methods in openapi.get("paths", {}).items()
        for method, op in methods.items()
    ]
    return (
        '<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title}</title><link rel="stylesheet" href="{asset_url("site.css")}"></head>'
        f'<body><main id="main" class="api-docs"><h1>{title}</h1>'
        f"<p>{escape(info.get('description', ''))}</p>"
        f'<p>Machine-readable description: <a href="{prefix}/openapi.json">{prefix}/openapi.json</a>. '
        "Lists are newest first; pass a page's <code>next_cursor</code> as <code>cursor</code> "
        "for the next one. "
        'Errors are JSON: <code>{"error": "one line"}</code>.</p>'
        f"{''.join(sections)}</main></body></html>"
    )


def add_docs_route(app: FastAPI, api: FastAPI, prefix: str) -> None:
    """Serve the documentation of api at /api/docs on app."""
    page: list[str] = []  # rendered once: the document cannot change while the process runs

    def api_docs() -> HTMLResponse:
        if not page:
            page.append(render_docs(api.openapi(), prefix))
        return HTMLResponse(page[0])

    app.add_api_route("/api/docs", api_docs, methods=["GET"], include_in_schema=False)
