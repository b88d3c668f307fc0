"""My learning (/<lang>/my-learning/) and progress codes: the learner's own pages.

Nothing here is the same for two visitors, so every response is
``Cache-Control: no-store, private`` and never enters the page cache. A GET reads the
session only when the visitor already holds one (modules.progress.visitor_session) and
writes nothing; the forms POST with the origin check of modules/csrf.py, like the
quiz, since public pages carry no CSRF token.
"""

from django.conf import settings
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from learning import codes
from learning.overview import overview
from learning.qr import qr_svg
from modules.progress import LearnerProgress, visitor_session


def _render(request, template, context, status=200):
    return render(request, template, context, status=status)


def _my_learning_context(request, session, **extra):
    progress = LearnerProgress(session)
    code, row = codes.held_code(session)
    context = {
        "overview": overview(progress),
        "has_progress": bool(progress.done or progress.quizzes),
        "progress_code": codes.display(code) if code else None,
        "progress_code_expires": row.expires_at if row else None,
        "code_days": settings.PROGRESS_CODE_DAYS,
    }
    if code:
        # On the host the learner is using (one of ALLOWED_HOSTS).
        link = request.build_absolute_uri(
            reverse("learning:restore_code", args=[codes.display(code)])
        )
        context.update(
            progress_code_link=link,
            progress_code_qr=qr_svg(link, _("QR code of the link to restore your progress")),
        )
    context.update(extra)
    return context


@never_cache
def my_learning(request):
    session = visitor_session(request)
    notices = []
    if request.GET.get("restored"):
        notices.append(_("Your progress has been restored in this browser."))
    if request.GET.get("saved"):
        notices.append(_("Your progress has been saved under your progress code."))
    if request.GET.get("deleted"):
        notices.append(_("The progress code has been deleted."))
    if request.GET.get("forgotten"):
        notices.append(_("Your progress has been cleared in this browser."))
    return _render(
        request,
        "learning/my_learning.html",
        _my_learning_context(request, session, notices=notices),
    )


def _error(request, template, message, status, **context):
    session = visitor_session(request)
    if template == "learning/my_learning.html":
        context = _my_learning_context(request, session, **context)
    return _render(request, template, {**context, "error": message}, status=status)


def _rate_limited(request, template, **context):
    minutes = codes.rate_window_minutes()
    message = ngettext(
        "Too many progress code attempts from your address. Please try again in %(minutes)s "
        "minute.",
        "Too many progress code attempts from your address. Please try again in %(minutes)s "
        "minutes.",
        minutes,
    ) % {"minutes": minutes}
    return _error(request, template, message, 429, **context)


def _back(name="learning:my_learning", flag=None):
    url = reverse(name)
    return HttpResponseRedirect(f"{url}?{flag}=1" if flag else url)


@never_cache
def create_code(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    session = visitor_session(request)
    progress = LearnerProgress(session)
    if not (progress.done or progress.quizzes):
        return _error(
            request,
            "learning/my_learning.html",
            _("There is no progress to save yet: complete a lesson or answer a quiz first."),
            400,
        )
    try:
        codes.check_rate(request, "create")
    except codes.RateLimited:
        return _rate_limited(request, "learning/my_learning.html")
    codes.save_progress(session, progress)
    return _back(flag="saved")


def _code_from_form(request):
    text = request.POST.get("code", "")
    return codes.normalise(text)


@never_cache
def delete_code(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    session = visitor_session(request)
    typed = request.POST.get("code", "").strip()
    if not typed:
        # The code this browser made or restored from.
        code, _row = codes.held_code(session)
        if code is None:
            return _error(
                request, "learning/my_learning.html", _("This browser holds no progress code."), 400
            )
    else:
        try:
            codes.check_rate(request, "lookup")
        except codes.RateLimited:
            return _rate_limited(request, "learning/my_learning.html")
        try:
            code = codes.normalise(typed)
        except codes.InvalidCode:
            return _error(
                request,
                "learning/my_learning.html",
                _("This is not a progress code. A code has twelve letters and digits."),
                400,
            )
        if codes.find(code) is None:
            return _error(
                request,
                "learning/my_learning.html",
                _("This progress code is unknown or has expired. Nothing was deleted."),
                404,
            )
    codes.delete(code)
    if session is not None and session.get(codes.SESSION_KEY) == code:
        del session[codes.SESSION_KEY]
    return _back(flag="deleted")


@never_cache
def restore(request, code=""):
    if request.method == "GET":
        # The link (or QR code) only fills in the form: nothing is looked up or written
        # before the learner confirms.
        return _render(request, "learning/restore.html", {"code": code[:40]})
    if request.method != "POST" or code:
        return HttpResponseNotAllowed(["GET"] if code else ["GET", "POST"])
    typed = request.POST.get("code", "")
    form = {"code": typed[:40]}
    try:
        codes.check_rate(request, "lookup")
    except codes.RateLimited:
        return _rate_limited(request, "learning/restore.html", **form)
    try:
        normalised = codes.normalise(typed)
    except codes.InvalidCode:
        return _error(
            request,
            "learning/restore.html",
            _("This is not a progress code. A code has twelve letters and digits."),
            400,
            **form,
        )
    row = codes.find(normalised)
    if row is None:
        return _error(
            request,
            "learning/restore.html",
            ngettext(
                "This progress code is unknown or has expired (codes last %(days)s day). "
                "Nothing was changed.",
                "This progress code is unknown or has expired (codes last %(days)s days). "
                "Nothing was changed.",
                settings.PROGRESS_CODE_DAYS,
            )
            % {"days": settings.PROGRESS_CODE_DAYS},
            404,
            **form,
        )
    progress = LearnerProgress(request.session)
    codes.merge_into(progress, row.progress)
    request.session[codes.SESSION_KEY] = normalised
    return _back(flag="restored")


@never_cache
def forget(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.user.is_authenticated:
        LearnerProgress(request.session).forget()
        request.session.pop(codes.SESSION_KEY, None)
    else:
        request.session.flush()
    return _back(flag="forgotten")
