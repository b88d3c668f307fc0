"""OAI-PMH 2.0 at /oai/: the six verbs, oai_dc and IEEE LOM records, signed resumption
tokens, persistent deleted records and the protocol's error codes.

The XML is built with lxml (escaping and well-formedness by the library, never by string
concatenation); see the README for why no OAI-PMH server library is used. Requests only read: the registry (``oer.models``) and the
public pages, in a fixed number of queries per page of results.
"""

import datetime
import re

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from lxml import etree as ET

from oer import records
from oer.models import HarvestRecord

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
LOM = "http://ltsc.ieee.org/xsd/LOM"
OAI_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
NSMAP = {None: OAI, "xsi": XSI, "oai_dc": OAI_DC, "dc": DC, "lom": LOM, "oai-identifier": OAI_ID}

FORMATS = {
    "oai_dc": (f"{OAI}oai_dc.xsd", OAI_DC),
    "oai_lom": ("http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd", LOM),
}
VERBS = {
    # verb: (required, optional, exclusive)
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}
TYPE_SETS = {
    "module": gettext_lazy("Training modules"),
    "lesson": gettext_lazy("Lessons"),
    "case-study": gettext_lazy("Case studies"),
    "glossary-term": gettext_lazy("Glossary terms"),
}
TOKEN_SALT = "oer.oai.resumption-token"  # noqa: S105 - a signing salt, not a secret
DAY_FORMAT, SECONDS_FORMAT = "%Y-%m-%d", "%Y-%m-%dT%H:%M:%SZ"


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _q(namespace, name):
    return f"{{{namespace}}}{name}"


def _sub(parent, namespace, name, text=None, **attributes):
    element = ET.SubElement(parent, _q(namespace, name), attributes)
    if text is not None:
        element.text = records.xml_text(text)
    return element


def _datestamp(value):
    return value.astimezone(datetime.UTC).strftime(SECONDS_FORMAT)


def base_url(request):
    return request.build_absolute_uri("/oai/")


@csrf_exempt
def endpoint(request):
    """The repository: GET, or POST with application/x-www-form-urlencoded arguments."""
    if request.method == "POST":
        content_type = request.content_type or ""
        arguments = request.POST if content_type == "application/x-www-form-urlencoded" else None
    elif request.method in ("GET", "HEAD"):
        arguments = request.GET
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    root = ET.Element(_q(OAI, "OAI-PMH"), nsmap=NSMAP)
    root.set(_q(XSI, "schemaLocation"), f"{OAI} {OAI}OAI-PMH.xsd")
    _sub(root, OAI, "responseDate", _datestamp(timezone.now()))
    request_element = _sub(root, OAI, "request", base_url(request))
    try:
        if arguments is None:
            raise OAIError(
                "badArgument", _("Arguments must be sent as a form (x-www-form-urlencoded).")
            )
        verb, args = _parse(arguments)
        # The request is echoed only when its verb and arguments are valid.
        request_element.attrib.update({"verb": verb, **args})
        Handler(request, root).dispatch(verb, args)
    except OAIError as error:
        _sub(root, OAI, "error", error.message, code=error.code)
    return HttpResponse(
        ET.tostring(root, encoding="UTF-8", xml_declaration=True),
        content_type="text/xml; charset=utf-8",
    )


def _parse(arguments):
    verbs = arguments.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", _("The verb is missing, repeated or not an OAI-PMH verb."))
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    args = {}
    for name in arguments:
        if name == "verb":
            continue
        values = arguments.getlist(name)
        if name not in required | optional | {exclusive}:
            raise OAIError(
                "badArgument",
                _("“%(name)s” is not an argument of this verb.")
                % {"name": records.xml_text(name)[:50]},
            )
        if len(values) != 1:
            raise OAIError("badArgument", _("An argument is repeated."))
        args[name] = records.xml_text(values[0])
    if exclusive and exclusive in args:
        if len(args) > 1:
            raise OAIError("badArgument", _("The resumption token must be the only argument."))
        return verb, args
    missing = required - set(args)
    if missing:
        raise OAIError(
            "badArgument",
            _("A required argument is missing: %(names)s.") % {"names": ", ".join(sorted(missing))},
        )
    return verb, args


DATE_PATTERNS = {
    DAY_FORMAT: re.compile(r"\d{4}-\d{2}-\d{2}"),
    SECONDS_FORMAT: re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"),
}


def _parse_date(value, upper):
    """(datetime, granularity) of a from/until argument; ``upper`` gives a day's end."""
    for granularity, pattern in DATE_PATTERNS.items():
        if not pattern.fullmatch(value):
            continue
        try:
            parsed = datetime.datetime.strptime(value, granularity).replace(tzinfo=datetime.UTC)
        except ValueError:  # 2024-02-30
            break
        if upper and granularity == DAY_FORMAT:
            parsed = parsed.replace(hour=23, minute=59, second=59)
        return parsed, granularity
    raise OAIError(
        "badArgument",
        _("Dates are written YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC)."),
    )


class Handler:
    def __init__(self, request, root):
        self.request = request
        self.root = root

    def dispatch(self, verb, args):
        getattr(self, verb)(args)

    # Identify ---------------------------------------------------------------------------

    def Identify(self, args):  # noqa: N802 - the protocol's verbs
        element = _sub(self.root, OAI, "Identify")
        _sub(element, OAI, "repositoryName", settings.WAGTAIL_SITE_NAME)
        _sub(element, OAI, "baseURL", base_url(self.request))
        _sub(element, OAI, "protocolVersion", "2.0")
        _sub(element, OAI, "adminEmail", settings.OAI_ADMIN_EMAIL)
        earliest = (
            HarvestRecord.objects.order_by("datestamp").values_list("datestamp", flat=True).first()
        )
        _sub(element, OAI, "earliestDatestamp", _datestamp(earliest or timezone.now()))
        _sub(element, OAI, "deletedRecord", "persistent")
        _sub(element, OAI, "granularity", "YYYY-MM-DDThh:mm:ssZ")
        description = _sub(element, OAI, "description")
        identifier = _sub(description, OAI_ID, "oai-identifier")
        identifier.set(_q(XSI, "schemaLocation"), f"{OAI_ID} {OAI}oai-identifier.xsd")
        _sub(identifier, OAI_ID, "scheme", "oai")
        _sub(identifier, OAI_ID, "repositoryIdentifier", records.namespace())
        _sub(identifier, OAI_ID, "delimiter", ":")
        sample = f"oai:{records.namespace()}:5e7d5fc3-8a4c-4b0e-9a53-1f3c2d4e5f60:hu"
        _sub(identifier, OAI_ID, "sampleIdentifier", sample)

    # ListMetadataFormats, ListSets ------------------------------------------------------

    def ListMetadataFormats(self, args):  # noqa: N802
        if "identifier" in args:
            self._row(args["identifier"])
        element = _sub(self.root, OAI, "ListMetadataFormats")
        for prefix, (schema, namespace) in FORMATS.items():
            entry = _sub(element, OAI, "metadataFormat")
            _sub(entry, OAI, "metadataPrefix", prefix)
            _sub(entry, OAI, "schema", schema)
            _sub(entry, OAI, "metadataNamespace", namespace)

    def ListSets(self, args):  # noqa: N802
        if "resumptionToken" in args:
            raise OAIError("badResumptionToken", _("This list is never split: no token applies."))
        element = _sub(self.root, OAI, "ListSets")
        entries = [("type", _("Content types")), ("lang", _("Languages"))]
        entries += [(f"type:{kind}", name) for kind, name in TYPE_SETS.items()]
        entries += [(f"lang:{code}", name) for code, name in settings.LANGUAGES]
        for spec, name in entries:
            entry = _sub(element, OAI, "set")
            _sub(entry, OAI, "setSpec", spec)
            _sub(entry, OAI, "setName", str(name))

    # GetRecord --------------------------------------------------------------------------

    def GetRecord(self, args):  # noqa: N802
        prefix = self._format(args["metadataPrefix"])
        row = self._row(args["identifier"])
        (record,) = records.load([row], self.request)
        self._record(_sub(self.root, OAI, "GetRecord"), record, prefix)

    # ListIdentifiers, ListRecords -------------------------------------------------------

    def ListIdentifiers(self, args):  # noqa: N802
        self._list("ListIdentifiers", args)

    def ListRecords(self, args):  # noqa: N802
        self._list("ListRecords", args)

    def _list(self, verb, args):
        if "resumptionToken" in args:
            state = self._read_token(verb, args["resumptionToken"])
        else:
            state = {
                "v": verb,
                "m": self._format(args["metadataPrefix"]),
                "s": args.get("set", ""),
                "f": args.get("from", ""),
                "u": args.get("until", ""),
                "a": 0,
                "c": 0,
            }
        rows = self._filtered(state)
        size = max(1, settings.OAI_PAGE_SIZE)
        page = list(rows.filter(pk__gt=state["a"]).order_by("pk")[: size + 1])
        if not page:
            raise OAIError("noRecordsMatch", _("No record matches these arguments."))
        more = len(page) > size
        page = page[:size]
        total = rows.count() if more or state["c"] else len(page)
        element = _sub(self.root, OAI, verb)
        with_metadata = verb == "ListRecords"
        for record in records.load(page, self.request, with_metadata=with_metadata):
            if with_metadata:
                self._record(element, record, state["m"])
            else:
                self._header(element, record)
        if more or state["c"]:
            token_element = _sub(
                element,
                OAI,
                "resumptionToken",
                completeListSize=str(total),
                cursor=str(state["c"]),
            )
            if more:
                following = {**state, "a": page[-1].pk, "c": state["c"] + len(page)}
                token_element.text = signing.dumps(following, salt=TOKEN_SALT, compress=True)
                expires = timezone.now() + datetime.timedelta(seconds=settings.OAI_TOKEN_SECONDS)
                token_element.set("expirationDate", _datestamp(expires))

    def _read_token(self, verb, token):
        try:
            state = signing.loads(token, salt=TOKEN_SALT, max_age=settings.OAI_TOKEN_SECONDS)
        except signing.BadSignature:  # expired tokens too (SignatureExpired)
            state = None
        valid = (
            isinstance(state, dict)
            and state.get("v") == verb
            and state.get("m") in FORMATS
            and all(isinstance(state.get(key), str) for key in ("s", "f", "u"))
            and all(isinstance(state.get(key), int) for key in ("a", "c"))
        )
        if not valid:
            raise OAIError(
                "badResumptionToken",
                _("The resumption token is not valid (or has expired): start the list again."),
            )
        return state

    def _filtered(self, state):
        rows = HarvestRecord.objects.all()
        spec = state["s"]
        if spec:
            family, _sep, value = spec.partition(":")
            if family == "type" and (not value or value in TYPE_SETS):
                rows = rows.filter(kind=value) if value else rows
            elif family == "lang" and (not value or value in records.LANGUAGE_NAMES):
                rows = rows.filter(language=value) if value else rows
            else:
                raise OAIError("noRecordsMatch", _("There is no such set."))
        start = end = None
        if state["f"]:
            start, start_granularity = _parse_date(state["f"], upper=False)
            rows = rows.filter(datestamp__gte=start)
        if state["u"]:
            end, end_granularity = _parse_date(state["u"], upper=True)
            rows = rows.filter(datestamp__lte=end)
        if start and end:
            if start_granularity != end_granularity:
                raise OAIError("badArgument", _("From and until must have the same granularity."))
            if start > end:
                raise OAIError("badArgument", _("From is later than until."))
        return rows

    # Shared pieces ----------------------------------------------------------------------

    def _format(self, prefix):
        if prefix not in FORMATS:
            raise OAIError(
                "cannotDisseminateFormat",
                _("Records are offered as %(formats)s.") % {"formats": ", ".join(FORMATS)},
            )
        return prefix

    def _row(self, identifier):
        parsed = records.parse_identifier(identifier)
        row = None
        if parsed is not None:
            row = HarvestRecord.objects.filter(
                translation_key=parsed[0], language=parsed[1]
            ).first()
        if row is None:
            raise OAIError("idDoesNotExist", _("This repository has no record of that identifier."))
        return row

    def _header(self, parent, record):
        header = _sub(parent, OAI, "header")
        if record.deleted:
            header.set("status", "deleted")
        _sub(header, OAI, "identifier", record.identifier)
        _sub(header, OAI, "datestamp", _datestamp(record.datestamp))
        for spec in record.sets:
            _sub(header, OAI, "setSpec", spec)

    def _record(self, parent, record, prefix):
        element = _sub(parent, OAI, "record")
        self._header(element, record)
        if record.deleted or record.meta is None:
            return
        metadata = _sub(element, OAI, "metadata")
        with translation.override(record.meta.language):
            if prefix == "oai_dc":
                dublin_core(metadata, record)
            else:
                lom(metadata, record)


# Metadata formats -----------------------------------------------------------------------

DCMI_TYPES = {
    "module": "InteractiveResource",
    "lesson": "InteractiveResource",
    "case-study": "Text",
    "glossary-term": "Text",
}


def dublin_core(parent, record):
    meta = record.meta
    root = _sub(parent, OAI_DC, "dc")
    root.set(_q(XSI, "schemaLocation"), f"{OAI_DC} {OAI}oai_dc.xsd")
    _sub(root, DC, "title", meta.title)
    _sub(root, DC, "creator", settings.WAGTAIL_SITE_NAME)
    for subject in meta.subjects:
        _sub(root, DC, "subject", subject)
    if meta.description:
        _sub(root, DC, "description", meta.description)
    _sub(root, DC, "publisher", settings.WAGTAIL_SITE_NAME)
    if meta.date:
        _sub(root, DC, "date", meta.date.date().isoformat())
    _sub(root, DC, "type", DCMI_TYPES[meta.kind])
    _sub(root, DC, "type", str(records.KIND_LABELS[meta.kind]))
    _sub(root, DC, "format", "text/html")
    _sub(root, DC, "identifier", meta.url)
    _sub(root, DC, "language", meta.language)
    for _title, url in meta.part_of + meta.parts:
        _sub(root, DC, "relation", url)
    _sub(root, DC, "rights", records.LICENSE_URL)


AGGREGATION = {"module": "3", "lesson": "2", "case-study": "2", "glossary-term": "1"}
DIFFICULTY = {"introductory": "easy", "intermediate": "medium", "advanced": "difficult"}


def _vocabulary(parent, name, value):
    element = _sub(parent, LOM, name)
    _sub(element, LOM, "source", "LOMv1.0")
    _sub(element, LOM, "value", value)
    return element


def _lang_string(parent, name, text, language):
    element = _sub(parent, LOM, name)
    _sub(element, LOM, "string", text, language=language)
    return element


def _lom_identifier(parent, catalog, entry):
    identifier = _sub(parent, LOM, "identifier")
    _sub(identifier, LOM, "catalog", catalog)
    _sub(identifier, LOM, "entry", entry)


def lom(parent, record):
    """IEEE LOM 1484.12.1 in its XML binding (1484.12.3), LOMv1.0 vocabularies."""
    meta = record.meta
    language = meta.language
    root = _sub(parent, LOM, "lom")
    root.set(_q(XSI, "schemaLocation"), f"{LOM} {FORMATS['oai_lom'][0]}")

    general = _sub(root, LOM, "general")
    _lom_identifier(general, "URI", meta.url)
    _lom_identifier(general, "oai", record.identifier)
    _lang_string(general, "title", meta.title, language)
    _sub(general, LOM, "language", language)
    if meta.description:
        _lang_string(general, "description", meta.description, language)
    for subject in meta.subjects:
        _lang_string(general, "keyword", subject, language)
    _vocabulary(general, "structure", "hierarchical" if meta.parts else "atomic")
    _vocabulary(general, "aggregationLevel", AGGREGATION[meta.kind])

    life_cycle = _sub(root, LOM, "lifeCycle")
    contribute = _sub(life_cycle, LOM, "contribute")
    _vocabulary(contribute, "role", "publisher")
    name = settings.WAGTAIL_SITE_NAME
    _sub(contribute, LOM, "entity", f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nORG:{name}\nEND:VCARD")
    if meta.date:
        date = _sub(contribute, LOM, "date")
        _sub(date, LOM, "dateTime", _datestamp(meta.date))

    meta_metadata = _sub(root, LOM, "metaMetadata")
    _lom_identifier(meta_metadata, "oai", record.identifier)
    _sub(meta_metadata, LOM, "metadataSchema", "LOMv1.0")
    _sub(meta_metadata, LOM, "language", language)

    technical = _sub(root, LOM, "technical")
    _sub(technical, LOM, "format", "text/html")
    _sub(technical, LOM, "location", meta.url)

    educational = _sub(root, LOM, "educational")
    _vocabulary(educational, "interactivityType", "mixed" if meta.interactive else "expositive")
    _vocabulary(educational, "learningResourceType", "narrative text")
    if meta.interactive:
        _vocabulary(educational, "learningResourceType", "self assessment")
    _vocabulary(educational, "intendedEndUserRole", "learner")
    _vocabulary(educational, "context", "training")
    if meta.level in DIFFICULTY:
        _vocabulary(educational, "difficulty", DIFFICULTY[meta.level])
    if meta.minutes:
        learning_time = _sub(educational, LOM, "typicalLearningTime")
        _sub(learning_time, LOM, "duration", f"PT{meta.minutes}M")
    _lang_string(educational, "description", _("For cluster managers."), language)
    _sub(educational, LOM, "language", language)

    rights = _sub(root, LOM, "rights")
    _vocabulary(rights, "cost", "no")
    _vocabulary(rights, "copyrightAndOtherRestrictions", "yes")
    _lang_string(rights, "description", f"CC BY 4.0 {records.LICENSE_URL}", "en")

    for kind, related in (("ispartof", meta.part_of), ("haspart", meta.parts)):
        for title, url in related:
            relation = _sub(root, LOM, "relation")
            _vocabulary(relation, "kind", kind)
            resource = _sub(relation, LOM, "resource")
            _lom_identifier(resource, "URI", url)
            _lang_string(resource, "description", title, language)
