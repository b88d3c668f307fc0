"""The UI string catalogues: complete, without fuzzy entries, and covering every string."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.services import require

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED_LANGUAGES = ["fr", "es", "hu"]
SOURCE_DIRS = [
    "portal",
    "home",
    "modules",
    "casestudies",
    "glossary",
    "search",
    "certificates",
    "exports",
    "oer",
    "learning",
    "assessment",
    "legal",
]


def catalogue(language, root=ROOT):
    return polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_catalogue_is_complete_and_has_no_fuzzy_entries(language):
    po = catalogue(language)
    assert len(po) > 0
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated entries"
    assert fuzzy == [], f"{language}: fuzzy entries"


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_placeholders_survive_translation(language):
    """A translation that drops or renames %(name)s would crash or lose information."""
    for entry in catalogue(language).translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert set(PLACEHOLDER.findall(translation)) == expected, f"{language}: {entry.msgid!r}"


def test_every_marked_string_is_in_the_catalogues(tmp_path):
    """Extract the strings afresh and compare: a string marked but never added fails."""
    require(shutil.which("xgettext") is not None, "GNU gettext (xgettext) is not installed")
    for name in [*SOURCE_DIRS, "locale"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    for language in TRANSLATED_LANGUAGES:
        missing = [entry.msgid for entry in catalogue(language, tmp_path).untranslated_entries()]
        assert missing == [], f"{language}: strings not yet in the catalogue"
