"""Throttled logins: the admin login and page passwords lock out repeated failures.

An account is locked out from one address after AXES_FAILURE_LIMIT failures, an address on
its own after AXES_IP_FAILURE_LIMIT; other accounts and addresses go on logging in. A
lockout is answered 429 with the localised message in the page the visitor posted to, ends
after the cool-off time or when an administrator unlocks it, and passwords are never kept.
"""

import html
import io
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from portal.security import lockout_message
from tests.factories import (
    LessonPageFactory,
    ModuleIndexPageFactory,
    ModulePageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
WRONG = "Wrong-Guess-7f3a9c"
PAGE_PASSWORD = "Page-Secret-41d2e8"
LOGIN = "/admin/login/"
ADDRESS_A = "198.51.100.7"
ADDRESS_B = "203.0.113.9"

LOCKOUT_START = {
    "en": "Too many failed attempts.",
    "fr": "Trop de tentatives infructueuses.",
    "es": "Demasiados intentos fallidos.",
    "hu": "Túl sok sikertelen próbálkozás.",
}


def client_from(address, language="en"):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)


def log_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def admin_account():
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def editor():
    return UserFactory(username="editor", is_superuser=True, is_staff=True)


def fail_logins(client, username, times):
    responses = [log_in(client, username, WRONG) for _ in range(times)]
    assert all(response.status_code < 500 for response in responses)
    return responses


# -- the admin login -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "es", "hu"])
def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_the_lockout_message(
    admin_account, language
):
    client = client_from(ADDRESS_A, language)
    responses = fail_logins(client, "admin", 30)

    # Before the limit: an ordinary failed login, no lockout message.
    first = responses[0]
    assert first.status_code == 200
    assert LOCKOUT_START[language] not in first.content.decode()
    # From the limit on: 429, the login page itself saying why, in the visitor's language.
    limit = settings.AXES_FAILURE_LIMIT
    assert {r.status_code for r in responses[: limit - 1]} == {200}
    assert {r.status_code for r in responses[limit - 1 :]} == {429}

    response = log_in(client, "admin", PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429
    assert LOCKOUT_START[language] in body
    assert 'class="login-form"' in body  # the Wagtail login page, not a bare error
    with translation.override(language):
        assert lockout_message() in html.unescape(body)
    assert not logged_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the login page

    # Control: the same account from another address logs in.
    other = client_from(ADDRESS_B, language)
    assert log_in(other, "admin", PASSWORD).status_code == 302
    assert logged_in(other)


def test_a_locked_account_leaves_other_accounts_from_the_same_address_alone(admin_account, editor):
    client = client_from(ADDRESS_A)
    fail_logins(client, "admin", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "admin", PASSWORD).status_code == 429

    colleague = client_from(ADDRESS_A)
    response = log_in(colleague, "editor", PASSWORD)
    assert response.status_code == 302
    assert logged_in(colleague)


def test_an_address_trying_many_accounts_is_locked_out_for_all_of_them(admin_account, editor):
    client = client_from(ADDRESS_A)
    # Few failures per account, but many from the address.
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        assert log_in(client, f"guess{n}", WRONG).status_code < 500
    response = log_in(client_from(ADDRESS_A), "editor", PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_START["en"] in response.content.decode()

    # Control: another address is not affected; nor is the whole site.
    other = client_from(ADDRESS_B)
    assert log_in(other, "editor", PASSWORD).status_code == 302
    assert client.get("/en/").status_code in (200, 404)


def test_a_success_clears_that_accounts_failures_but_not_the_addresss(admin_account, editor):
    client = client_from(ADDRESS_A)
    fail_logins(client, "admin", settings.AXES_FAILURE_LIMIT - 1)
    fail_logins(client, "guess", 2)
    assert log_in(client, "admin", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="admin").exists()
    assert AccessAttempt.objects.filter(username="guess", ip_address=ADDRESS_A).exists()


def test_the_lockout_ends_after_the_cool_off_time(admin_account):
    client = client_from(ADDRESS_A)
    fail_logins(client, "admin", 30)
    assert log_in(client, "admin", PASSWORD).status_code == 429

    # Just inside the cool-off: still locked.
    cool_off = settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off + timedelta(minutes=1))
    assert log_in(client, "admin", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(minutes=1))
    response = log_in(client, "admin", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


@pytest.mark.parametrize(
    "command, argument",
    [("axes_reset_username", "admin"), ("axes_reset_ip", ADDRESS_A), ("axes_reset", None)],
)
def test_the_unlock_commands_unlock(admin_account, command, argument):
    client = client_from(ADDRESS_A)
    fail_logins(client, "admin", 30)
    assert log_in(client, "admin", PASSWORD).status_code == 429

    call_command(command, *([argument] if argument else []), stdout=io.StringIO())
    response = log_in(client, "admin", PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


def test_superusers_see_the_lockouts_in_the_admin_and_unlock_them(admin_account, editor):
    fail_logins(client_from(ADDRESS_A), "admin", settings.AXES_FAILURE_LIMIT)
    assert log_in(client_from(ADDRESS_A), "admin", PASSWORD).status_code == 429

    superuser = client_from(ADDRESS_B)
    superuser.force_login(editor)
    listing = superuser.get(reverse("portal_lockouts"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Login lockouts" in body
    assert ADDRESS_A in body
    assert "Locked out" in body
    attempt = AccessAttempt.objects.get(username="admin")
    assert reverse("portal_lockouts_unlock", args=[attempt.pk]) in body
    menu = superuser.get("/admin/").content.decode()
    assert reverse("portal_lockouts") in menu

    response = superuser.post(reverse("portal_lockouts_unlock", args=[attempt.pk]))
    assert response.status_code == 302
    assert log_in(client_from(ADDRESS_A), "admin", PASSWORD).status_code == 302


def test_only_superusers_see_the_lockouts(admin_account):
    fail_logins(client_from(ADDRESS_A), "admin", settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get(username="admin")
    moderator = UserFactory(roles=["French moderators"])
    client = client_from(ADDRESS_B)
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 200  # control: an admin user
    assert reverse("portal_lockouts") not in client.get("/admin/").content.decode()
    assert client.get(reverse("portal_lockouts")).status_code in (302, 403)
    response = client.post(reverse("portal_lockouts_unlock", args=[attempt.pk]))
    assert response.status_code in (302, 403)
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_behind_a_trusted_proxy_the_forwarded_address_is_locked_out(admin_account, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    client = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ADDRESS_A}")
    fail_logins(client, "admin", settings.AXES_FAILURE_LIMIT)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ADDRESS_A}
    assert log_in(client, "admin", PASSWORD).status_code == 429
    # Another client behind the same proxy logs in.
    other = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=ADDRESS_B)
    assert log_in(other, "admin", PASSWORD).status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_header_changes_nothing(admin_account):
    for n in range(settings.AXES_FAILURE_LIMIT):
        forged = Client(REMOTE_ADDR=ADDRESS_A, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        log_in(forged, "admin", WRONG)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ADDRESS_A}
    assert log_in(client_from(ADDRESS_A), "admin", PASSWORD).status_code == 429


# -- page passwords ------------------------------------------------------------------------


@pytest.fixture
def protected(home_pages):
    module = ModulePageFactory(parent=ModuleIndexPageFactory(), title="Members", slug="members")
    page = LessonPageFactory(parent=module, title="Members only", slug="members-only")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return page, url


def try_page_password(client, protected, password):
    page, url = protected
    return client.post(url, {"password": password, "return_url": page.url})


def test_the_page_password_form_is_the_portals_own(protected):
    page, _ = protected
    response = client_from(ADDRESS_A).get(page.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Password required" in body
    assert "site-header" in body  # the portal's layout, not Wagtail's bare page


def test_repeated_wrong_page_passwords_lock_out_with_a_message(protected):
    page, _ = protected
    client = client_from(ADDRESS_A)
    limit = settings.AXES_FAILURE_LIMIT
    responses = [try_page_password(client, protected, WRONG) for _ in range(limit + 3)]
    assert {r.status_code for r in responses[: limit - 1]} == {200}
    assert "not correct" in responses[0].content.decode()  # Wagtail's own error
    assert LOCKOUT_START["en"] not in responses[0].content.decode()
    assert {r.status_code for r in responses[limit - 1 :]} == {429}
    assert LOCKOUT_START["en"] in responses[-1].content.decode()
    assert "site-header" in responses[-1].content.decode()

    # Even the right password is refused from this address now.
    response = try_page_password(client, protected, PAGE_PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_START["en"] in response.content.decode()
    assert client.get(page.url).context["form"] is not None  # still the password form

    # Control: the right password from another address opens the page.
    other = client_from(ADDRESS_B)
    response = try_page_password(other, protected, PAGE_PASSWORD)
    assert response.status_code == 302
    opened = other.get(page.url)
    assert opened.status_code == 200
    assert "Members only" in opened.content.decode()
    assert "Password required" not in opened.content.decode()


def test_page_password_lockout_is_translated(home_pages, protected):
    page, _ = protected
    french = page.copy_for_translation(home_pages["fr"].locale, copy_parents=True)
    french.save_revision().publish()
    client = client_from(ADDRESS_A, "fr")
    restriction = page.get_view_restrictions().first()
    with translation.override("fr"):
        url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, french.pk])
    assert url.startswith("/fr/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"password": WRONG, "return_url": french.url})
    assert response.status_code == 429
    assert LOCKOUT_START["fr"] in response.content.decode()


def test_a_page_lockout_does_not_lock_the_admin_login(protected, admin_account):
    client = client_from(ADDRESS_A)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        try_page_password(client, protected, WRONG)
    assert try_page_password(client, protected, PAGE_PASSWORD).status_code == 429
    assert log_in(client, "admin", PASSWORD).status_code == 302


# -- what is recorded ----------------------------------------------------------------------


def test_passwords_are_never_stored_or_logged(admin_account, protected, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_from(ADDRESS_A)
    fail_logins(client, "admin", settings.AXES_FAILURE_LIMIT + 1)
    log_in(client, "admin", PASSWORD)  # refused, and recorded
    log_in(client_from(ADDRESS_B), "admin", PASSWORD)  # accepted
    for password in (WRONG, PAGE_PASSWORD):
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            try_page_password(client, protected, password)

    stored = []
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        for row in model.objects.values():
            stored.extend(str(value) for value in row.values())
    stored_text = "\n".join(stored)
    for secret in (PASSWORD, WRONG, PAGE_PASSWORD):
        assert secret not in stored_text
        assert secret not in caplog.text
    # Controls: attempts are recorded and logged, with who tried from where.
    attempt = AccessAttempt.objects.get(username="admin", ip_address=ADDRESS_A)
    assert "username=admin" in attempt.post_data
    assert "password=********************" in attempt.post_data
    assert AccessAttempt.objects.filter(username__startswith="page-password:").exists()
    assert AccessLog.objects.filter(username="admin", ip_address=ADDRESS_B).exists()
    assert "admin" in caplog.text
    assert ADDRESS_A in caplog.text
