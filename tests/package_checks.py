"""Checks shared by the tests of LMS packages: what their pages refer to and run, and
whether their manifests name exactly the files they hold."""

from html.parser import HTMLParser
from urllib.parse import urlsplit


class Page(HTMLParser):
    """What a package page refers to, and what a browser would run."""

    REFERENCING = {"href", "src", "srcset", "action", "formaction", "poster", "data", "cite"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.references, self.inline_scripts, self.handlers = [], 0, []
        self.text = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        for name, value in attrs.items():
            if name in self.REFERENCING and value:
                self.references.append((tag, value))
            if name.startswith("on"):
                self.handlers.append(name)
        if tag == "script":
            self._in_script = True
            if "src" not in attrs:
                self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        self.text.append(data)

    @property
    def plain(self):
        return " ".join(" ".join(self.text).split())


def local_targets(page, name, archive_names):
    """The files of the package a page refers to; fails on a reference that leaves it."""
    targets = set()
    for tag, value in page.references:
        parts = urlsplit(value)
        assert not parts.scheme and not parts.netloc, f"{name}: <{tag}> refers to {value}"
        assert not value.startswith("/"), f"{name}: <{tag}> refers to the portal: {value}"
        if parts.path:
            target = parts.path
            assert target in archive_names, f"{name}: <{tag}> refers to missing {target}"
            targets.add(target)
    return targets


def files_named(manifest):
    """Every ``href`` of a ``<file>`` in a manifest (IMS CP, SCORM or Common Cartridge)."""
    return {
        element.get("href")
        for element in manifest.iter()
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == "file"
    }
