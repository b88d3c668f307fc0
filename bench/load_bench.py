"""A bounded load on the portal under gunicorn, with publishes and quiz submissions at once.

    .venv/bin/python bench/load_bench.py [--duration 30] [--connections 8] [--workers 2]
                                         [--learners 2] [--publishes 20] [--code DIR]

Builds a throwaway world in a temporary directory: a SQLite copy of the demo database
(``migrate`` + ``load_demo_content``, built once under var/load-bench/ and copied for
each run; ``--rebuild`` builds it again), collected static files, and a Redis server on a
free loopback port (the production settings want a cache the workers share). Then it
starts gunicorn with the production settings and ``--workers`` workers on 127.0.0.1 and,
for ``--duration`` seconds, at once:

- wrk (Debian's) with ``--connections`` connections reading a mix of pages: home pages in
  four languages, catalogue, modules, lessons, case studies, glossary terms, searches
  (half of them with filters) and autocomplete;
- ``--learners`` Python threads, each a learner with a session, submitting the quiz of a
  demo lesson and reading the result, again and again;
- a separate process publishing ``--publishes`` demo pages (save_revision + publish), as
  an editor would, spread over the run.

Prints requests, errors by status, req/s and latency of the read mix, quiz submissions
and their statuses, publishes that failed, and whether every published page kept its
revision. Loopback only; everything is removed at the end. ``--code DIR`` serves the
portal from another copy of the code (e.g. ``git archive <commit> | tar -x -C DIR``) to
compare before and after a change; the world is built with this copy.
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
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

WRK_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do table.insert(paths, line) end
  statuses = {}
  counter = math.random(#paths)
end
function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], {["X-Forwarded-Proto"] = "https"})
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("STATUS %d %d\\n", status, count))
  end
  io.write(string.format("SUMMARY %d %d %d %d %d %d %d %d\\n", summary.requests,
    summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
end
"""

# Run inside the world with its settings: the URLs of the read mix and a quiz to submit.
DISCOVER = """
import json
import django
django.setup()
from wagtail.models import Page
from casestudies.models import CaseStudyPage
from glossary.models import GlossaryTermPage
from home.models import HomePage
from modules.models import LessonPage, ModuleIndexPage, ModulePage

def urls(model, limit):
    return [p.url for p in model.objects.live().public().order_by("path")[:limit]]

lesson = LessonPage.objects.live().exclude(quiz=[]).filter(locale__language_code="en").first()
quiz = {}
for block in lesson.quiz:
    choices = block.value["choices"].bound_blocks
    right = [c.id for c in choices if c.value["correct"]]
    quiz["q-" + block.id] = right
searches = []
for language, words in {"en": ["cluster", "digital twin", "smart industry", "training"],
                        "fr": ["cluster", "jumeau numérique"], "es": ["clúster"],
                        "hu": ["klaszter"]}.items():
    for word in words:
        searches.append(f"/{language}/search/?q={word}")
        searches.append(f"/{language}/search/?q={word}&type=lesson")
pages = (urls(HomePage, 4) + urls(ModuleIndexPage, 4) + urls(ModulePage, 8)
         + urls(LessonPage, 16) + urls(CaseStudyPage, 12) + urls(GlossaryTermPage, 12))
mix = pages + searches + ["/en/search/suggest/?q=clu", "/fr/search/suggest/?q=jum"]
publish = [p.pk for p in Page.objects.live().type(LessonPage, CaseStudyPage, GlossaryTermPage)
           .order_by("path")[:40]]
print(json.dumps({"mix": mix, "lesson": lesson.url, "quiz": quiz, "publish": publish}))
"""

# Run inside the world: publish pages one after another, as editors do, spread over the run.
PUBLISHER = """
import json, sys, time
import django
django.setup()
from django.db import connection
from wagtail.models import Page
pks, count, duration = json.loads(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
orphans_before = Page.objects.filter(live=True, live_revision__isnull=True).count()
done, failures, start = [], [], time.monotonic()
for number in range(count):
    pk = pks[number % len(pks)]
    try:
        page = Page.objects.get(pk=pk).specific
        page.title = page.title.split(" · ")[0] + f" · {number}"
        revision = page.save_revision()
        revision.publish()
        done.append((pk, revision.pk, page.title))
    except Exception as error:
        failures.append(repr(error)[:200])
    time.sleep(max(0, (number + 1) * duration / count - (time.monotonic() - start)))
kept = 0
last = {}
for pk, revision_pk, title in done:
    last[pk] = (revision_pk, title)
for pk, (revision_pk, title) in last.items():
    page = Page.objects.get(pk=pk)
    kept += page.live and page.live_revision_id == revision_pk and page.title == title
orphans = Page.objects.filter(live=True, live_revision__isnull=True).count() - orphans_before
print(json.dumps({"published": len(done), "failures": failures, "pages": len(last),
                  "kept": kept, "live_without_revision": orphans,
                  "seconds": round(time.monotonic() - start, 1)}))
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


def wait_for(port, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answers on port {port}")


def run(args, env, cwd, **kwargs):
    return subprocess.run(args, env=env, cwd=cwd, check=True, text=True, **kwargs)


def world_key(code):
    """Changes when what the demo database is built from changes."""
    digest = hashlib.sha256()
    patterns = ["*/migrations/*.py", "*/demo.py", "*/demo_content/**/*"]
    for pattern in patterns:
        for path in sorted(code.glob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(code)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def build_world(world, env, code, rebuild):
    """The demo database, media and static files, built once per world_key under var/
    (loading the demo content takes minutes) and copied for each run."""
    saved = ROOT / "var" / "load-bench" / world_key(code)
    if rebuild or not (saved / "portal.sqlite3").exists():
        shutil.rmtree(saved, ignore_errors=True)
        building = saved.with_name(saved.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        build_env = dict(
            env,
            DATABASE_URL=f"sqlite:///{building / 'portal.sqlite3'}",
            STATIC_ROOT=str(building / "static"),
            MEDIA_ROOT=str(building / "media"),
        )
        quiet = {"stdout": subprocess.DEVNULL}
        if not any((code / "locale").glob("*/LC_MESSAGES/django.mo")):
            run([PYTHON, "tools/compile_catalogues.py"], build_env, code, **quiet)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], build_env, code)
        # Static files first: the demo's fact sheets are PDFs whose templates name them.
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], build_env, code)
        run([PYTHON, "manage.py", "load_demo_content"], build_env, code, **quiet)
        building.rename(saved)
    for name in ("static", "media"):
        if (saved / name).exists():
            shutil.copytree(saved / name, world / name)
    for path in saved.glob("portal.sqlite3*"):
        shutil.copy2(path, world / path.name)


class Learner(threading.Thread):
    """A learner with a session: read the lesson, submit the quiz, read the result."""

    def __init__(self, base, lesson, quiz, stop, statuses):
        super().__init__(daemon=True)
        self.base, self.lesson, self.quiz, self.stop, self.statuses = (
            base,
            lesson,
            quiz,
            stop,
            statuses,
        )
        self.cookies = {}
        self.submitted = self.scored = 0

    def fetch(self, path, data=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": "https://" + self.base.split("//")[1] + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
        request = urllib.request.Request(self.base + path, body, headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        html = response.read().decode(errors="replace")
        self.statuses[("POST" if data else "GET", response.status)] += 1
        return response.status, response.headers.get("Location"), html

    def run(self):
        while not self.stop.is_set():
            status, _location, html = self.fetch(self.lesson)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            if status != 200 or not token:
                continue
            status, location, _html = self.fetch(
                self.lesson + "quiz/", dict(self.quiz, csrfmiddlewaretoken=token.group(1))
            )
            self.submitted += 1
            if status == 302 and location:
                path = urllib.parse.urlsplit(location)
                status, _location, html = self.fetch(path.path + "?" + path.query)
                self.scored += status == 200 and "100%" in html


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--learners", type=int, default=2)
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--code", type=Path, default=ROOT, help="the portal's code to serve")
    parser.add_argument("--rebuild", action="store_true", help="build the demo world again")
    options = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (apt-get install {tool.split('-')[0]})")
    code = options.code.resolve()

    world = Path(tempfile.mkdtemp(prefix="load-bench-"))
    redis_port, web_port = free_port(), free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{world / 'portal.sqlite3'}",
        CACHE_URL=f"redis://127.0.0.1:{redis_port}/0",
        SEARCH_URL="",
        STATIC_ROOT=str(world / "static"),
        MEDIA_ROOT=str(world / "media"),
        SECURE_SSL_REDIRECT="False",
        PORTAL_ADMIN_PASSWORD=secrets.token_urlsafe(12),
        CERTIFICATE_SIGNING_KEY=certificate_signing_key(),
        EMAIL_URL="consolemail://",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(code),
    )
    processes = []
    try:
        processes.append(
            subprocess.Popen(
                ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
                stdout=subprocess.DEVNULL,
                cwd=world,
            )
        )
        wait_for(redis_port)
        start = time.monotonic()
        build_world(world, env, code, options.rebuild)
        world_info = json.loads(
            run([PYTHON, "-c", DISCOVER], env, code, capture_output=True).stdout
        )
        print(f"world built in {time.monotonic() - start:.0f} s: {len(world_info['mix'])} URLs")

        gunicorn = Path(PYTHON).parent / "gunicorn"
        processes.append(
            subprocess.Popen(
                [str(gunicorn), "portal.wsgi", "-w", str(options.workers)]
                + ["-b", f"127.0.0.1:{web_port}", "--log-level", "warning"],
                env=dict(env, WEB_CONCURRENCY=str(options.workers)),
                cwd=code,
            )
        )
        wait_for(web_port)
        base = f"http://127.0.0.1:{web_port}"
        mix = [urllib.parse.quote(path, safe="/?=&") for path in world_info["mix"]]
        # Caches start cold (a fresh Redis), as after a deploy: part of the figures.
        paths_file = world / "paths.txt"
        paths_file.write_text("\n".join(mix) + "\n")
        (world / "mix.lua").write_text(WRK_SCRIPT)
        stop, statuses = threading.Event(), Counter()
        load_before = os.getloadavg()[0]
        learners = [
            Learner(base, world_info["lesson"], world_info["quiz"], stop, statuses)
            for _ in range(options.learners)
        ]
        publisher = subprocess.Popen(
            [PYTHON, "-c", PUBLISHER, json.dumps(world_info["publish"])]
            + [str(options.publishes), str(options.duration * 0.8)],
            env=env,
            cwd=code,
            stdout=subprocess.PIPE,
            text=True,
        )
        for learner in learners:
            learner.start()
        wrk = subprocess.run(
            ["wrk", "-t", "2", "-c", str(options.connections), "-d", f"{options.duration}s"]
            + ["--timeout", "30s", "-s", str(world / "mix.lua"), base, "--", str(paths_file)],
            capture_output=True,
            text=True,
            check=True,
        )
        stop.set()
        for learner in learners:
            learner.join(timeout=90)
        published = json.loads(publisher.communicate(timeout=120)[0])
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(world, ignore_errors=True)

    read_statuses = {
        int(m[0]): int(m[1]) for m in re.findall(r"^STATUS (\d+) (\d+)$", wrk.stdout, re.M)
    }
    total, micros, *errors, p50, p99 = map(
        int, re.search(r"^SUMMARY (.*)$", wrk.stdout, re.M).group(1).split()
    )
    print(
        f"server: gunicorn, {options.workers} workers, production settings, SQLite "
        f"(demo content), Redis cache; code: {code}; {os.cpu_count()} cores, load average "
        f"{load_before:.1f} before the run"
    )
    print(
        f"read mix ({len(world_info['mix'])} URLs, {options.connections} connections, "
        f"{options.duration} s): {total} requests, {total / (micros / 1e6):.1f} req/s, "
        f"p50 {p50 / 1000:.0f} ms, p99 {p99 / 1000:.0f} ms"
    )
    print(f"  by status: {dict(sorted(read_statuses.items()))}")
    print(f"  socket errors (connect, read, write, timeout): {errors}")
    submitted = sum(learner.submitted for learner in learners)
    scored = sum(learner.scored for learner in learners)
    print(
        f"quiz learners ({options.learners}): {submitted} submissions, {scored} results shown, "
        f"requests by status: {dict(sorted(statuses.items()))}"
    )
    print(
        f"publishes: {published['published']} of {options.publishes} done in "
        f"{published['seconds']} s, {len(published['failures'])} failed"
        + (f" ({Counter(published['failures']).most_common(2)})" if published["failures"] else "")
    )
    print(
        f"  pages whose last publish is live with its revision: "
        f"{published['kept']} of {published['pages']}; pages left live without a revision: "
        f"{published['live_without_revision']}"
    )


if __name__ == "__main__":
    main()
