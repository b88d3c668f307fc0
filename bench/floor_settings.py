"""The floor for bench/http_bench.py: Django answering 20 KB from a bare view.

No apps, no middleware, no database, no templates: what a Python WSGI worker costs per
request on this machine, under the same gunicorn as the portal.
"""

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "bench-floor-only"  # noqa: S105 - serves a constant page on loopback
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "bench.floor_settings"
DATABASES = {}
USE_I18N = False
USE_TZ = True

# 20 KB, about the size of a portal page.
BODY = b"<!doctype html><title>floor</title><p>" + b"x" * (20_480 - 42) + b"</p>"


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]
