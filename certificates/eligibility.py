"""Who may claim a certificate, and what a session has claimed: the functions other parts
of the portal (the module page, My learning) use.

- ``module_eligible(progress)``: a ``modules.progress.ModuleProgress`` earns a certificate
  when every quiz of the module is passed (a module without quizzes: every lesson done).
- ``modules_completed(request)``: the public modules of the active language whose
  certificate the visitor may claim now, in course order; two queries, whatever the
  number of modules; none for a visitor without a session.
- ``claim_url(module)``: where the claim form posts (the module's ``certificate/`` route,
  URL name ``claim_certificate`` of ``ModulePage``).
- ``claimed(request)``: the certificates claimed in this session (code, module key,
  page address), newest first, read from the session only.
"""

from django.utils import translation

from modules.progress import LearnerProgress, visitor_session

SESSION_KEY = "certificates"


def module_eligible(progress) -> bool:
    if progress.total == 0:
        return False
    if progress.quizzes_total:
        return progress.quizzes_passed == progress.quizzes_total
    return progress.done == progress.total


def progress_of(module, session):
    lessons = module.lessons().only("translation_key", "quiz")
    return LearnerProgress(session).for_module(
        [(lesson.translation_key, bool(lesson.quiz)) for lesson in lessons]
    )


def modules_completed(request, language=None):
    from modules.models import ModulePage, lessons_by_module
    from portal.visibility import public

    session = visitor_session(request)
    if session is None:
        return []
    progress = LearnerProgress(session)
    if not (progress.done or progress.quizzes):
        return []
    language = language or translation.get_language()
    modules = list(
        public(ModulePage.objects.filter(locale__language_code=language)).order_by("path")
    )
    lessons = lessons_by_module(modules)
    return [
        module
        for module in modules
        if module_eligible(progress.for_module(lessons.get(module.path, [])))
    ]


def claim_url(module) -> str:
    return module.url + module.reverse_subpage("claim_certificate")


def claimed(request) -> list[dict]:
    session = visitor_session(request)
    entries = session.get(SESSION_KEY, []) if session is not None else []
    return [
        {"code": entry["code"], "module_key": entry["module_key"], "url": entry["url"]}
        for entry in entries
        if isinstance(entry, dict) and {"code", "module_key", "url"} <= entry.keys()
    ]


def remember(session, certificate, revocation_code):
    entries = [
        entry
        for entry in session.get(SESSION_KEY, [])
        if isinstance(entry, dict) and entry.get("code") != certificate.code
    ]
    entries.insert(
        0,
        {
            "code": certificate.code,
            "module_key": str(certificate.module_key),
            "url": certificate.url(),
            "revocation_code": revocation_code,
        },
    )
    session[SESSION_KEY] = entries[:50]


def forget(session, code):
    if session is None or SESSION_KEY not in session:
        return
    session[SESSION_KEY] = [
        entry
        for entry in session[SESSION_KEY]
        if isinstance(entry, dict) and entry.get("code") != code
    ]


def revocation_code_in(session, code):
    for entry in (session.get(SESSION_KEY, []) if session is not None else []) or []:
        if isinstance(entry, dict) and entry.get("code") == code:
            return entry.get("revocation_code")
    return None
