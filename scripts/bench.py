# ruff: noqa: S603, S607 - a developer tool that runs manage.py, gunicorn and wrk from the venv and PATH
"""The benchmark behind ``make bench``: the key public pages at 100x data, against /healthz in the same run.

    .venv/bin/python scripts/bench.py [--scale 100] [--seconds 5] [--reuse]

1. Generates the synthetic knowledge base (``generate_synthetic --scale N``) into a database of its own:
   /tmp/rcpdb-bench-<N>.sqlite3, or the PostgreSQL database DATABASE_URL names (which must be empty, or
   already hold the synthetic data when --reuse is given).
2. Counts each page's SQL queries and its compressed weight in-process (Django's test client, with the
   page cache bypassed): gzip of the HTML plus every same-origin stylesheet, script and image it loads,
   and the number of references to other origins (which must be 0).
3. Serves the site with gunicorn (2 workers, DEBUG off) on 127.0.0.1 only, twice: with the anonymous
   page cache off ("uncached") and on ("cached"). Each page is loaded for --seconds with wrk (or, without
   wrk, a bounded loop of Python threads) for requests per second, and for --seconds with one connection
   for p50 / p99 latency. /healthz is loaded again just before each page on the same server, and each
   page's ratio is to that measurement: on a shared machine, both then see the same background load.
   Every request says ``Accept-Encoding: gzip``, as a browser's does: the site then sends (and caches)
   its pages compressed, and the load measures that, not a client that would take them uncompressed.
4. Records the peak resident memory (VmHWM) of the app workers, prints one table and writes it, with the
   machine it ran on, to docs/benchmarks.md.
"""

import argparse
import concurrent.futures
import contextlib
import gzip
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"

TARGET_QUERIES = 12
TARGET_UNCACHED_RATIO = 0.25
TARGET_CACHED_RATIO = 0.80
TARGET_KB = 150
TARGET_SEARCH_P50_MS = 50
TARGET_WORKER_MB = 200
LATENCY_SAMPLES = 10
LIST_PAGES = {"processes", "processes filtered", "findings", "api processes"}
# What every browser sends: pages are measured as they travel to visitors, compressed.
REQUEST_HEADERS = {"Accept-Encoding": "gzip"}


def pages(tag, prefix=""):
    """(name, path) of every page measured; the synthetic slugs start with ``tag`` (syn1).

    ``prefix`` is the language prefix of the public pages ("/en" when / redirects to /en/, see
    ``language_prefix``); /healthz and the API have none.
    """
    return [
        ("healthz", "/healthz"),
        ("home", f"{prefix}/"),
        ("processes", f"{prefix}/processes/"),
        ("processes filtered", f"{prefix}/processes/?region={tag}-asia&theme={tag}-theme-03&kind=geographic"),
        ("profile", f"{prefix}/processes/{tag}-process-0001/"),
        (
            "compare",
            f"{prefix}/processes/compare/?p={tag}-process-0001&p={tag}-process-0002&p={tag}-process-0003",
        ),
        ("overlap", f"{prefix}/processes/overlap/"),
        ("coverage map", f"{prefix}/coverage/"),
        ("search", f"{prefix}/search/?q=trafficking+border"),
        ("findings", f"{prefix}/findings/"),
        ("api processes", "/api/processes/"),
    ]


LANGUAGE_REDIRECT = re.compile(r"^(?:https?://[^/]+)?(/[a-z]{2,3}(?:-[a-z0-9]+)?)/$", re.IGNORECASE)


def language_prefix(status, location):
    """The language prefix of the public pages ("/en"), if / answers a redirect to one; else ""."""
    if status in (301, 302, 303, 307, 308) and location:
        match = LANGUAGE_REDIRECT.match(location)
        if match:
            return match.group(1)
    return ""


# -- the database ----------------------------------------------------------------------------------


def bench_env(database_url, *, page_cache=True):
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY="bench-only-not-secret-" + "x" * 40,
        ALLOWED_HOSTS=f"{HOST},localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        # Cached pages of the bench server must not mix with a development server's.
        CONTENT_VERSION_DIR=str(Path(tempfile.gettempdir()) / "rcpdb-bench-content-version"),
        PAGE_CACHE_SECONDS=str(60 * 60) if page_cache else "0",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return env


def manage(env, *args, quiet=False):
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def prepare_database(scale, reuse):
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        engine = "PostgreSQL"
    else:
        path = Path(tempfile.gettempdir()) / f"rcpdb-bench-{scale}.sqlite3"
        database_url = f"sqlite:///{path}"
        engine = "SQLite"
        if path.exists() and not reuse:
            path.unlink()
    env = bench_env(database_url)
    print(f"== Database: {engine} ({redact(database_url)})", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    if not reuse or not has_processes(env):
        started = time.perf_counter()
        manage(env, "generate_synthetic", "--scale", str(scale))
        print(f"== Generated scale {scale} in {time.perf_counter() - started:.1f} s", flush=True)
    manage(env, "collectstatic", "--noinput", "-v0")
    return database_url, engine


def has_processes(env):
    out = subprocess.run(
        [
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "from processes.models import Process; print(Process.objects.count())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1]) > 0


def redact(url):
    return re.sub(r"//([^:/@]+):[^@]+@", r"//\1:***@", url)


# -- in-process: queries and weight -------------------------------------------------------------------


class AssetParser(HTMLParser):
    """Collects what a browser would load: stylesheets, scripts, images, icons, preloads."""

    def __init__(self):
        super().__init__()
        self.assets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower()
            if any(word in rel for word in ("stylesheet", "icon", "preload", "modulepreload", "manifest")):
                self.assets.append(attrs["href"])
        elif tag in ("script", "img", "source", "iframe", "embed") and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "object" and attrs.get("data"):
            self.assets.append(attrs["data"])


class PageTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise PageTimeout


def measure_in_process(tag, timeout):
    """Run inside the bench database's Django: queries (page cache bypassed) and compressed weight.

    A page slower than ``timeout`` seconds is recorded as timed out, a page answering an error with its
    status; both are left out of the load runs and fail every target.
    """
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rcpdb.core.cache import bump_content_version

    # A page that fails answers its status (recorded, left out of the load runs) instead of stopping here.
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    results = {}
    home = client.get("/")
    prefix = language_prefix(home.status_code, home.get("Location"))
    signal.signal(signal.SIGALRM, _alarm)
    for name, path in pages(tag, prefix):
        try:
            signal.alarm(timeout)
            started = time.perf_counter()
            client.get(path)  # warm: per-process caches (content types, the rendered map) fill once
            first_ms = (time.perf_counter() - started) * 1000
            bump_content_version()  # so the measured request misses the page cache
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                elapsed_ms = (time.perf_counter() - started) * 1000
            signal.alarm(0)
        except PageTimeout:
            connection.close()
            results[name] = {"status": "timeout", "timeout": timeout}
            print(f"   {name}: no answer within {timeout} s", file=sys.stderr, flush=True)
            continue
        if response.status_code != 200:
            results[name] = {"status": response.status_code}
            print(f"   {name}: answered {response.status_code}", file=sys.stderr, flush=True)
            continue
        # Now: the next request's request_started signal empties the query log this count reads.
        queries = len(captured.captured_queries)
        body = response.content
        parser = AssetParser()
        if "html" in response.get("Content-Type", ""):
            parser.feed(body.decode("utf-8", "replace"))
        external, assets, asset_bytes = [], {}, 0
        for url in parser.assets:
            parts = urllib.parse.urlsplit(url)
            remote = parts.scheme in ("http", "https") or url.startswith("//")
            if remote and parts.hostname not in (HOST, "localhost"):
                external.append(url)
                continue
            if parts.scheme == "data":
                continue
            local = urllib.parse.urljoin(path, parts.path)
            if local not in assets:
                asset = client.get(local)
                content = b"".join(asset.streaming_content) if asset.streaming else asset.content
                assets[local] = len(gzip.compress(content, 6))
        asset_bytes = sum(assets.values())
        results[name] = {
            "status": response.status_code,
            "queries": queries,
            "first_ms": first_ms,
            "ms": elapsed_ms,
            "html_gzip": len(gzip.compress(body, 6)),
            "assets": len(assets),
            "total_gzip": len(gzip.compress(body, 6)) + asset_bytes,
            "external": external,
        }
    json.dump({"prefix": prefix, "pages": results}, sys.stdout)


def in_process_measurements(env, tag, timeout):
    out = subprocess.run(
        [PYTHON, __file__, "--measure-in-process", tag, "--page-timeout", str(timeout)],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "rcpdb.settings"},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


# -- the served site: throughput, latency, memory ---------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, workers, timeout):
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            str(timeout + 10),
            "--log-level",
            "warning",
            "rcpdb.wsgi",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with code {process.returncode}: see its output above")
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer /healthz within 30 s")
        yield process, port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def get(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers=REQUEST_HEADERS)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def worker_pids(master_pid):
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            text = status.read_text()
            if re.search(rf"^PPid:\s+{master_pid}$", text, re.MULTILINE):
                pids.append(int(status.parent.name))
    return pids


def peak_rss_mb(pids):
    peaks = []
    for pid in pids:
        with contextlib.suppress(OSError):
            match = re.search(r"^VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
    return max(peaks, default=0.0)


def wrk_run(port, path, seconds, connections, threads, timeout):
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            *[option for name, value in REQUEST_HEADERS.items() for option in ("-H", f"{name}: {value}")],
            "--timeout",
            f"{timeout}s",
            f"http://{HOST}:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {}
    for percentile, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE):
        latency[percentile] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, latency, int(errors.group(1)) if errors else 0


def python_run(port, path, seconds, connections, min_samples=0):
    """``connections`` threads requesting in a loop for ``seconds`` (and at least ``min_samples`` each)."""
    stop = time.monotonic() + seconds
    lock, timings, errors = threading.Lock(), [], [0]

    def loop():
        done = 0
        while time.monotonic() < stop or done < min_samples:
            done += 1
            started = time.perf_counter()
            status, _ = get(port, path)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                timings.append(elapsed)
                if status != 200:
                    errors[0] += 1

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for future in [pool.submit(loop) for _ in range(connections)]:
            future.result()
    elapsed = time.monotonic() - started
    timings.sort()
    latency = {
        "50": statistics.median(timings),
        "99": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
    }
    return len(timings) / elapsed, latency, errors[0]


def load(port, path, seconds, *, connections, threads=2, timeout=30):
    if shutil.which("wrk"):
        return wrk_run(port, path, seconds, connections, threads, timeout)
    return python_run(port, path, seconds, connections)


def served_measurements(env, tag, seconds, workers, label, skip, timeout, prefix):
    """Load each page (but those in ``skip``) on a fresh gunicorn; returns results and peak worker RSS."""
    results = {}
    with gunicorn(env, workers, timeout) as (process, port):
        for name, path in pages(tag, prefix):
            if name in skip:
                continue
            get(port, path)  # the first request of a page fills the caches
            # /healthz again just before each page: the machine is shared, and a load that comes and goes
            # (another job) then weighs on the page and on its baseline alike.
            baseline = None
            if name != "healthz":
                baseline, _latency, _errors = load(
                    port, "/healthz", max(2, seconds // 2), connections=8, timeout=timeout
                )
            rps, _latency, errors = load(port, path, seconds, connections=8, timeout=timeout)
            baseline = baseline or rps
            # Latency of one request at a time, from at least LATENCY_SAMPLES requests (wrk leaves the
            # percentiles empty when a slow page answers only once or twice in the time given).
            _rps, latency, _errors = python_run(
                port, path, max(2, seconds // 2), connections=1, min_samples=LATENCY_SAMPLES
            )
            results[name] = {
                "rps": rps,
                "baseline": baseline,
                "ratio": rps / baseline,
                "p50": latency.get("50"),
                "p99": latency.get("99"),
                "errors": errors,
            }
            print(
                f"   {label:<8} {name:<20} {rps:8.1f} req/s ({100 * rps / baseline:5.1f}% of /healthz "
                f"{baseline:.0f})  p50 {latency.get('50') or 0:7.1f} ms  "
                f"p99 {latency.get('99') or 0:7.1f} ms" + (f"  {errors} errors" if errors else ""),
                flush=True,
            )
        rss = peak_rss_mb(worker_pids(process.pid))
    return results, rss


# -- the report ---------------------------------------------------------------------------------------------


def machine():
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError):
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.1f} GB"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(),
        "load tool": "wrk" if shutil.which("wrk") else "Python threads",
    }


def _ms(value):
    return "–" if value is None else f"{value:.1f}"


def unmeasured(result):
    """Why a page was not measured: it timed out or answered an error."""
    if result["status"] == "timeout":
        return f"no answer within {result['timeout']} s"
    return f"answered {result['status']}"


def table(static, uncached, cached):
    header = (
        "| page | queries | ms in-process | KB gzip (HTML + assets) | external | "
        "uncached req/s | % of /healthz | cached req/s | % of /healthz | "
        "p50 ms (uncached / cached) | p99 ms (uncached / cached) |"
    )
    lines = [header, "|" + "---|" * 11]
    for name, s in static.items():
        if s["status"] != 200:
            lines.append(f"| {name} | {unmeasured(s)}: not measured |" + " |" * 9)
            continue
        u, c = uncached[name], cached[name]
        lines.append(
            f"| {name} | {s['queries']} | {s['ms']:.1f} | "
            f"{s['total_gzip'] / 1024:.1f} ({s['html_gzip'] / 1024:.1f} + "
            f"{s['assets']} files) | {len(s['external'])} | "
            f"{u['rps']:.1f} | {100 * u['ratio']:.0f}% | "
            f"{c['rps']:.1f} | {100 * c['ratio']:.0f}% | {_ms(u['p50'])} / {_ms(c['p50'])} | "
            f"{_ms(u['p99'])} / {_ms(c['p99'])} |"
        )
    return "\n".join(lines)


def verdicts(static, uncached, cached, rss, engine):
    health_u, health_c = uncached["healthz"]["rps"], cached["healthz"]["rps"]
    public = [name for name in static if name != "healthz"]
    timed_out = [name for name in public if static[name]["status"] != 200]
    measured = [name for name in public if name not in timed_out]
    lists = [name for name in public if name in LIST_PAGES]

    def check(failures, text):
        if failures:
            return f"- NOT MET: {text}; not met by: {', '.join(failures)}"
        return f"- MET: {text}"

    def late(name):
        return f"{name} ({unmeasured(static[name])})"

    most = max(measured, key=lambda n: static[n]["queries"])
    heaviest = max(measured, key=lambda n: static[n]["total_gzip"])
    lines = [
        check(
            [f"{n} ({static[n]['queries']})" for n in measured if static[n]["queries"] > TARGET_QUERIES]
            + [late(n) for n in timed_out],
            f"every public page ≤ {TARGET_QUERIES} queries (most among those measured: {most}, "
            f"{static[most]['queries']})",
        ),
        check(
            [
                f"{n} ({100 * uncached[n]['ratio']:.1f}%)"
                for n in lists
                if n in measured and uncached[n]["ratio"] < TARGET_UNCACHED_RATIO
            ]
            + [late(n) for n in lists if n in timed_out],
            f"uncached list pages ({', '.join(lists)}) ≥ {TARGET_UNCACHED_RATIO:.0%} of /healthz "
            f"(each against /healthz just before it; {health_u:.0f} req/s in the healthz row)",
        ),
        check(
            [
                f"{n} ({100 * cached[n]['ratio']:.1f}%)"
                for n in measured
                if cached[n]["ratio"] < TARGET_CACHED_RATIO
            ]
            + [late(n) for n in timed_out],
            f"cached anonymous pages ≥ {TARGET_CACHED_RATIO:.0%} of /healthz "
            f"(each against /healthz just before it; {health_c:.0f} req/s in the healthz row)",
        ),
        check(
            [
                f"{n} ({static[n]['total_gzip'] / 1024:.0f} KB)"
                for n in measured
                if static[n]["total_gzip"] > TARGET_KB * 1024
            ]
            + [
                f"{n} ({len(static[n]['external'])} external references)"
                for n in measured
                if static[n]["external"]
            ]
            + [late(n) for n in timed_out],
            f"every page ≤ {TARGET_KB} KB compressed, no external request (heaviest among those measured: "
            f"{heaviest}, {static[heaviest]['total_gzip'] / 1024:.0f} KB)",
        ),
    ]
    search_p50 = uncached["search"]["p50"] if "search" in uncached else None
    if engine == "PostgreSQL":
        lines.append(
            check(
                [] if search_p50 and search_p50 <= TARGET_SEARCH_P50_MS else ["search"],
                f"search p50 ≤ {TARGET_SEARCH_P50_MS} ms on PostgreSQL (uncached: {_ms(search_p50)} ms)",
            )
        )
    else:
        lines.append(
            f"- NOT CHECKED: search p50 ≤ {TARGET_SEARCH_P50_MS} ms applies to PostgreSQL; "
            f"on {engine} it is {_ms(search_p50)} ms uncached"
        )
    lines.append(
        check(
            [f"peak {rss:.0f} MB"] if rss >= TARGET_WORKER_MB else [],
            f"an app worker stays under {TARGET_WORKER_MB} MB (peak {rss:.0f} MB)",
        )
    )
    return "\n".join(lines)


REPORT_HEADER = """# Benchmarks

Written by `make bench` (`scripts/bench.py`): synthetic data at scale 100 (`generate_synthetic`), served by
gunicorn (2 sync workers, DEBUG off) on 127.0.0.1 and loaded from the same machine. Every page is compared
with `/healthz` served by the same server in the same run. `make bench` measures SQLite (the default); run
`DATABASE_URL=postgres://.../<empty database> .venv/bin/python scripts/bench.py` for the PostgreSQL section.
Each run replaces its own database's section and keeps the other.

- Public pages are requested under the language prefix that `/` redirects to (`/en/`); `/healthz` and
  the API have none.
- **queries**, **ms in-process**: SQL queries and time of one request in-process (Django's test client)
  just after a content change: after one warm-up request, the content version is bumped, so the page
  cache and the per-version caches (filter options) are empty, the worst case. With those filled, list
  pages run fewer queries (tests/site/test_query_counts_at_scale.py has both counts).
- **KB gzip**: gzip of the HTML plus every same-origin stylesheet, script and image it loads (what a first
  visit downloads); **external**: references to other origins (must be 0).
- **req/s**: 8 connections for the given seconds per page; **uncached** with the anonymous page cache off
  (`PAGE_CACHE_SECONDS=0`), **cached** with it on. **% of /healthz**: against `/healthz` loaded (for half
  the time) just before that page on the same server, so that a load that comes and goes on the shared
  machine weighs on a page and on its baseline alike; the healthz row is the first such measurement.
  Every request carries `Accept-Encoding: gzip`, as a browser's does, so pages travel compressed
  (GZipMiddleware; a cached page is stored compressed); /healthz is too short to be compressed.
- **p50 / p99**: latency with one connection (no queueing), at least 10 requests per page (Python's
  http.client, a new connection per request as for gunicorn's sync workers).
- The machine is shared and has two cores, which the load generator shares with the server: compare
  ratios within one run rather than absolute numbers between runs.
"""


def write_report(path, *, scale, engine, seconds, workers, info, static, uncached, cached, rss, rss_uncached):
    """Write this engine's section of ``path``, keeping the other engine's section as it was."""
    section = f"""<!-- bench:{engine} -->
## {engine}

| | |
|---|---|
| database | {engine}, synthetic data at scale {scale} |
| CPU | {info["cpu"]} |
| cores | {info["cores"]} |
| memory | {info["memory"]} |
| Python | {info["python"]} |
| OS | {info["os"]} |
| server | gunicorn, {workers} sync workers, DEBUG off, 127.0.0.1 |
| load | {info["load tool"]}: {seconds} s a page, 8 connections; {max(2, seconds // 2)} s, 10+ requests, 1 |
| run on | {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())} |

{table(static, uncached, cached)}

Peak resident memory of an app worker: {rss_uncached:.0f} MB (uncached run), {rss:.0f} MB (cached run).

### Targets (issue 9)

{verdicts(static, uncached, cached, max(rss, rss_uncached), engine)}
<!-- /bench:{engine} -->
"""
    sections = {}
    if path.exists():
        for block, name in re.findall(
            r"(<!-- bench:(\w+) -->.*?<!-- /bench:\2 -->\n)", path.read_text(), re.S
        ):
            sections[name] = block
    sections[engine] = section
    ordered = [sections[name] for name in ("SQLite", "PostgreSQL") if name in sections]
    path.write_text(REPORT_HEADER + "\n" + "\n".join(ordered))
    return section


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=5, help="Load per page and server run (default 5).")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="Keep the bench database if it has data.")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--page-timeout", type=int, default=30, help="A page slower than this (s) is not load-tested."
    )
    parser.add_argument("--measure-in-process", metavar="TAG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_in_process:
        measure_in_process(args.measure_in_process, args.page_timeout)
        return

    database_url, engine = prepare_database(args.scale, args.reuse)
    tag = "syn1"
    print("== Queries and page weight (in-process)", flush=True)
    measured = in_process_measurements(bench_env(database_url), tag, args.page_timeout)
    static, prefix = measured["pages"], measured["prefix"]
    if prefix:
        print(f"   / redirects to {prefix}/: public pages measured under {prefix}/", flush=True)
    if static["healthz"]["status"] != 200:
        raise SystemExit(f"/healthz answered {static['healthz']['status']}: the benchmark needs it.")
    for name, result in static.items():
        if result["status"] == 200:
            print(
                f"   {name:<20} {result['queries']:3} queries  {result['total_gzip'] / 1024:7.1f} KB gzip  "
                f"{result['ms']:8.1f} ms (first request {result['first_ms']:.1f} ms)",
                flush=True,
            )
    skip = {name for name, result in static.items() if result["status"] != 200}
    served = {
        "seconds": args.seconds,
        "workers": args.workers,
        "skip": skip,
        "timeout": args.page_timeout,
        "prefix": prefix,
    }
    print("== Served by gunicorn, page cache off", flush=True)
    uncached, rss_uncached = served_measurements(
        bench_env(database_url, page_cache=False), tag, label="uncached", **served
    )
    print("== Served by gunicorn, page cache on", flush=True)
    cached, rss = served_measurements(bench_env(database_url), tag, label="cached", **served)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = write_report(
        args.output,
        scale=args.scale,
        engine=engine,
        seconds=args.seconds,
        workers=args.workers,
        info=machine(),
        static=static,
        uncached=uncached,
        cached=cached,
        rss=rss,
        rss_uncached=rss_uncached,
    )
    print(report)
    print(f"Written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")


if __name__ == "__main__":
    main()
