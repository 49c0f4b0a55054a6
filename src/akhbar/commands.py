"""The long-running commands: fetch, run, demo, extract (registered on the CLI app)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from akhbar.cli import app, current_settings, err, fail, find_source, open_store, out
from akhbar.config import Settings
from akhbar.models import Source
from akhbar.pipeline import RefreshReport
from akhbar.registry import ensure_default_sources, import_specs
from akhbar.runner.local import pipeline_context, refresh_many, serve_embedded
from akhbar.store import Store

HostOption = Annotated[str, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int, typer.Option(help="Port to listen on.")]


def summarize(reports: list[RefreshReport]) -> str:
    """Return one line of totals for a pass over sources."""
    new = sum(r.new for r in reports)
    updated = sum(r.updated for r in reports)
    failed = sum(not r.ok for r in reports)
    unchanged = sum(r.not_modified for r in reports)
    return (
        f"{len(reports)} sources: {new} new articles, {updated} updated, "
        f"{unchanged} not modified, {failed} failed"
    )


async def fetch_pass(
    settings: Settings, store: Store, sources: list[Source], quiet: bool = False
) -> list[RefreshReport]:
    """Refresh the given sources once, with a progress bar, printing one line per failing source."""
    columns = (TextColumn("fetching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, disable=quiet, transient=True) as progress:
        task = progress.add_task("fetch", total=len(sources))

        def advance(report: RefreshReport) -> None:
            progress.advance(task)
            if not report.ok:
                progress.console.print(f"{report.slug}: {report.error}", markup=False, highlight=False)

        async with pipeline_context(settings, store) as ctx:
            return await refresh_many(ctx, sources, advance)


@app.command("fetch")
def fetch_command(
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source (slug, id or URL).")
    ] = None,
) -> None:
    """Refresh every enabled source once (or one source) and print what changed."""
    settings = current_settings()
    with open_store(settings) as store:
        ensure_default_sources(store, settings)
        sources = [find_source(store, source)] if source else [s for s in store.all_sources() if s.enabled]
        reports = asyncio.run(fetch_pass(settings, store, sources))
        out.print(summarize(reports))


@app.command("run")
def run_command(host: HostOption = "", port: PortOption = 0) -> None:
    """Run the portal: the web server, and the scheduler with its fetch workers in a process of their own."""
    settings = current_settings()
    host, port = host or settings.host, port or settings.port
    with open_store(settings) as store:
        added = ensure_default_sources(store, settings)
        if added:
            err.print(f"loaded {added} default sources")
        err.print(f"akhbar: serving on http://{host}:{port} (Ctrl-C to stop)")
        asyncio.run(serve_embedded(settings, store, host, port))


def demo_settings(settings: Settings) -> Settings:
    """Return the demo's settings: its own database, loopback fetches allowed, no default outlets."""
    database_url = settings.database_url or f"sqlite:///{Path(settings.data_dir) / 'demo.db'}"
    return settings.replace(fetch_allow_private=True, load_default_sources=False, database_url=database_url)


@app.command("demo")
def demo_command(
    host: HostOption = "",
    port: PortOption = 0,
    wire_port: Annotated[int, typer.Option(help="First port of the demo outlets' servers.")] = 8701,
    serve: Annotated[bool, typer.Option(help="Serve the portal after the first pass.")] = True,
) -> None:
    """Serve the bundled fictional outlets on loopback, aggregate them and serve the portal."""
    from akhbar.demo import DemoWire, load_outlets

    settings = demo_settings(current_settings())
    host, port = host or settings.host, port or settings.port
    with DemoWire(load_outlets(), base_port=wire_port) as wire, open_store(settings) as store:
        added, _ = import_specs(store, wire.source_specs())
        err.print(f"demo: {len(wire.source_specs())} outlets on loopback, {added} new sources")
        reports = asyncio.run(fetch_pass(settings, store, [s for s in store.all_sources() if s.enabled]))
        out.print(summarize(reports))
        out.print(f"{store.count_articles()} articles stored from {store.count_sources()} sources")
        if serve:
            err.print(f"akhbar: demo portal on http://{host}:{port} (Ctrl-C to stop)")
            asyncio.run(serve_embedded(settings, store, host, port))


@app.command("extract")
def extract_command(
    target: Annotated[str, typer.Argument(help="An article URL or an HTML file.")],
    json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    url: Annotated[str, typer.Option(help="The page's URL, for a file (resolves relative links).")] = "",
) -> None:
    """Extract an article's text and metadata from a URL or a saved page."""
    from akhbar.extract import extract_article, render_extracted

    if target.startswith(("http://", "https://")):
        html, page_url = asyncio.run(_download(current_settings(), target))
    else:
        path = Path(target)
        if not path.is_file():
            fail(f"extract: {target!r} is neither an http(s) URL nor a file")
        html, page_url = path.read_bytes(), url or path.resolve().as_uri()
    typer.echo(render_extracted(extract_article(html, page_url), json))


async def _download(settings: Settings, url: str) -> tuple[bytes, str]:
    from akhbar.fetch import Fetcher
    from akhbar.pipeline import HTML_ACCEPT

    async with Fetcher(settings) as fetcher:
        page = await fetcher.get(url, accept=HTML_ACCEPT)
    return page.content, page.url
