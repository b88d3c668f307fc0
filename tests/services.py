"""Skipping tests whose service is missing: a clear skip locally, a failure in CI."""

import os

import pytest


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, reason: str):
    if available:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(reason)
