"""HTTP throughput of the portal under gunicorn, next to a bare Django view (the floor).

    .venv/bin/python bench/http_bench.py [--duration 5] [--connections 16]

Starts, on loopback, the portal with production settings (portal.settings.production,
2 sync workers, a cache shared by the workers: Redis when the `redis` package and
redis-server are there, else Django's file cache) on a temporary copy of the demo
database, and bench/floor_settings.py (a 20 KB HttpResponse, no middleware) under the same
gunicorn, and drives both with wrk (`wrk -t2 -c16 -d5s --latency`). Prints req/s, p50
and p99 per page and its ratio to the floor:

- cached: home, catalogue, module, lesson, case-study listing, glossary A-Z, each
  warmed first; whether the responses were cache hits is read from an X-Cache (or
  X-Wagtail-Cache) header when the portal sends one;
- uncached: the same pages with a query parameter unique to each request, which no
  cache can have stored;
- the search page, with a query parameter unique to each request (the target) and
  the same query repeated (which a page cache may answer);
- the cached pages again through Varnish (deploy/varnish/portal.vcl) when varnishd is
  installed, against the same target as the cached pages.

Targets, printed next to the figures: cached pages >= 0.5 x the floor; uncached pages
>= 2 x the old figures (home 85, catalogue 74, lesson 75, case-study listing 78,
glossary A-Z 60 req/s); search >= 100 req/s.

The demo database is built once (migrate, collectstatic, load_demo_content: several
minutes) into var/bench/, keyed on the migrations and demo loaders, and copied for each
run. A run takes about two minutes. Needs wrk (Debian's `wrk`).
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
BUILD_ROOT = ROOT / "var" / "bench"
WORKERS = 2
VARNISHD = shutil.which("varnishd") or (
    "/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None
)

OLD_UNCACHED = {
    "home": 85,
    "catalogue": 74,
    "lesson": 75,
    "case-study listing": 78,
    "glossary A-Z": 60,
}
CACHED_FLOOR_RATIO = 0.5
SEARCH_TARGET = 100
SEARCH_QUERY = "?q=cluster"

WRK_UNIQUE_QUERY = """
local n = 0
local tid = 0
function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
end
function request()
  n = n + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "bench-nocache=" .. tid .. "-" .. n)
end
"""


def certificate_signing_key():
    """A throwaway ES256 key: production settings require one (certificates/signing.py)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    return (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode("ascii")
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server for {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310 - loopback
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def build_key():
    digest = hashlib.sha1(usedforsecurity=False)
    sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("*/demo.py"))
    sources += sorted(p for p in (ROOT / "portal" / "demo_content").rglob("*") if p.is_file())
    sources += sorted((ROOT / "portal" / "static").rglob("*"))
    for path in sources:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def portal_env(database, media, static, cache_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(static),
        "CACHE_URL": cache_url,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SEARCH_URL": "",
        "LOG_LEVEL": "WARNING",
        "PORTAL_ADMIN_PASSWORD": secrets.token_urlsafe(16),
        "CERTIFICATE_SIGNING_KEY": certificate_signing_key(),
    }
    for name in ("FRONTEND_CACHE_URL", "WEB_CONCURRENCY"):
        env.pop(name, None)
    return env


URLS_SCRIPT = """
import json
from casestudies.models import CaseStudyIndexPage
from glossary.models import GlossaryIndexPage
from home.models import HomePage
from modules.models import LessonPage, ModuleIndexPage, ModulePage
en = dict(locale__language_code="en", live=True)
pages = {
    "home": HomePage.objects.filter(**en).first(),
    "catalogue": ModuleIndexPage.objects.filter(**en).first(),
    "module": ModulePage.objects.filter(**en).order_by("path").first(),
    "lesson": LessonPage.objects.filter(**en).order_by("path").first(),
    "case-study listing": CaseStudyIndexPage.objects.filter(**en).first(),
    "glossary A-Z": GlossaryIndexPage.objects.filter(**en).first(),
}
print(json.dumps({name: page.url for name, page in pages.items()}))
"""


def build_demo():
    """var/bench/demo-<key>/: the demo database, its media, collected static files."""
    target = BUILD_ROOT / f"demo-{build_key()}"
    if (target / "urls.json").exists():
        return target
    print(f"Building the demo database once into {target} (several minutes)...", flush=True)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    env = portal_env(target / "db.sqlite3", target / "media", target / "static", "locmemcache://")
    env["WEB_CONCURRENCY"] = "1"  # a one-process command: the per-process cache is fine
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--noinput", "-v0"],
        # Static files first: the demo's fact sheets are PDFs whose templates name them.
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo_content", "--if-empty"],
    ):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    urls = (
        subprocess.run(
            manage + ["shell", "-c", URLS_SCRIPT],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    (target / "urls.json").write_text(urls)
    return target


def shared_cache(workdir, stack):
    """A cache both workers share: Redis if possible, else files."""
    redis_server = shutil.which("redis-server")
    try:
        import redis  # noqa: F401
    except ImportError:
        redis_server = None
    if redis_server:
        port = free_port()
        process = subprocess.Popen(
            [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(workdir)],
            stdout=subprocess.DEVNULL,
        )
        stack.append(process)
        time.sleep(0.5)
        return f"redis://127.0.0.1:{port}/0", "Redis"
    return f"filecache://{workdir / 'cache'}", "file cache (no `redis` package)"


def start_gunicorn(app, port, env, stack):
    process = subprocess.Popen(
        [GUNICORN, app, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
        + ["--worker-class", "sync", "--log-level", "warning", "--chdir", str(ROOT)],
        env=env,
        cwd=ROOT,
    )
    stack.append(process)
    return process


def start_varnish(backend_port, workdir, stack):
    """varnishd with the repository's VCL, its backend pointed at the portal."""
    vcl = (ROOT / "deploy" / "varnish" / "portal.vcl").read_text()
    vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";', 1)
    (workdir / "portal.vcl").write_text(vcl)
    port = free_port()
    process = subprocess.Popen(
        [VARNISHD, "-F", "-j", "none", "-a", f"127.0.0.1:{port}", "-f", str(workdir / "portal.vcl")]
        + ["-n", str(workdir / "varnish"), "-s", "malloc,64m"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stack.append(process)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/robots.txt", process)
    return url


def wrk(url, duration, connections, script=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rate": rate,
        "p50": latency.get("50", "?"),
        "p99": latency.get("99", "?"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def cache_state(url, samples=5):
    """What the X-Cache (or X-Wagtail-Cache) header said, e.g. 'X-Cache HIT 5/5'."""
    said = Counter()
    for _ in range(samples):
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            response.read()
            for header in ("X-Cache", "X-Wagtail-Cache"):
                if header in response.headers:
                    said[f"{header} {response.headers[header].upper()}"] += 1
                    break
            else:
                said["no cache header"] += 1
    return ", ".join(f"{value} {count}/{samples}" for value, count in said.most_common())


def warm(url, times=5):
    for _ in range(times):
        try:
            urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 - loopback
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{url} answered {error.code} while warming") from error


def row(name, result, floor, target, verdict, note=""):
    ratio = result["rate"] / floor if floor else 0
    errors = f"  {result['errors']} non-2xx/3xx!" if result["errors"] else ""
    if result["socket_errors"]:
        errors += f"  socket errors: {result['socket_errors']}"
    print(
        f"  {name:<22} {result['rate']:8.1f} req/s  p50 {result['p50']:>8}  "
        f"p99 {result['p99']:>8}  {ratio:5.2f}x floor   {target:<22} {verdict:<4} {note}{errors}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per page")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: install Debian's wrk (apt-get install wrk).")
    if not Path(GUNICORN).exists():
        raise SystemExit(f"gunicorn not found at {GUNICORN}: `make install`.")

    built = build_demo()
    urls = json.loads((built / "urls.json").read_text())
    stack = []
    workdir = Path(tempfile.mkdtemp(prefix="portal-http-bench-"))
    try:
        database = workdir / "db.sqlite3"
        shutil.copy2(built / "db.sqlite3", database)
        shutil.copytree(built / "media", workdir / "media")
        cache_url, cache_name = shared_cache(workdir, stack)
        portal_port, floor_port = free_port(), free_port()
        env = portal_env(database, workdir / "media", built / "static", cache_url)
        start_gunicorn("portal.wsgi:application", portal_port, env, stack)
        floor_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.floor_settings"}
        start_gunicorn("bench.floor_wsgi:application", floor_port, floor_env, stack)
        portal = f"http://127.0.0.1:{portal_port}"
        floor_url = f"http://127.0.0.1:{floor_port}/"
        wait_for(portal + urls["home"], stack[-2])
        wait_for(floor_url, stack[-1])

        cpus = os.cpu_count()
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(
            f"Machine: {cpus} cores, load average {load} at the start; gunicorn {WORKERS} sync workers each; "
            f"wrk -t2 -c{args.connections} -d{args.duration}s; "
            f"portal.settings.production on SQLite (demo content), cache: {cache_name}"
        )
        floor = wrk(floor_url, args.duration, args.connections)
        print(
            f"  {'floor (bare view)':<22} {floor['rate']:8.1f} req/s  p50 {floor['p50']:>8}  "
            f"p99 {floor['p99']:>8}"
        )
        results = {}

        def cached_pages(base):
            """Each page warmed, then loaded; whether it met the cached target, by name."""
            met = {}
            for name, path in urls.items():
                url = base + path
                warm(url)
                state = cache_state(url)
                result = wrk(url, args.duration, args.connections)
                ok = result["rate"] >= CACHED_FLOOR_RATIO * floor["rate"] and not result["errors"]
                target = f">= {CACHED_FLOOR_RATIO * floor['rate']:.0f} req/s"
                row(name, result, floor["rate"], target, "PASS" if ok else "FAIL", state)
                met[name] = ok
            return met

        print("Cached pages (warmed first; target >= 0.5x floor):")
        for name, ok in cached_pages(portal).items():
            results[f"cached {name}"] = ok

        if VARNISHD:
            varnish = start_varnish(portal_port, workdir, stack)
            print("Through Varnish (deploy/varnish/portal.vcl in front of the same portal):")
            cached_pages(varnish)
        else:
            print("Through Varnish: skipped, varnishd not found (Debian's varnish).")

        print("Uncached pages (a query parameter unique to each request):")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_UNIQUE_QUERY)
        script_path = script.name
        for name, path in urls.items():
            url = portal + path
            result = wrk(url, args.duration, args.connections, script=script_path)
            old = OLD_UNCACHED.get(name)
            if old:
                ok = result["rate"] >= 2 * old and not result["errors"]
                row(
                    name,
                    result,
                    floor["rate"],
                    f">= {2 * old} (2 x {old})",
                    "PASS" if ok else "FAIL",
                )
                results[f"uncached {name}"] = ok
            else:
                row(name, result, floor["rate"], "(no old figure)", "")

        print("Search (target: a query no cache has stored; the same query again, for comparison):")
        url = portal + urls["home"] + "search/" + SEARCH_QUERY
        warm(url, times=2)
        result = wrk(url, args.duration, args.connections, script=script_path)
        ok = result["rate"] >= SEARCH_TARGET and not result["errors"]
        target = f">= {SEARCH_TARGET} req/s"
        row(
            f"search {SEARCH_QUERY}, uncached",
            result,
            floor["rate"],
            target,
            "PASS" if ok else "FAIL",
        )
        results["search"] = ok
        result = wrk(url, args.duration, args.connections)
        row(f"search {SEARCH_QUERY}, repeated", result, floor["rate"], "", "", cache_state(url, 3))
        os.unlink(script_path)

        passed = sum(results.values())
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"{passed}/{len(results)} targets met. Load average at the end: {load}.")
    finally:
        for process in reversed(stack):
            process.terminate()
        for process in stack:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
