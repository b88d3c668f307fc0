"""SCORM 1.2 packages: one SCO per lesson, its quiz scored in the browser and reported
through the SCORM 1.2 API (exports/static/exports/scorm12.js)."""

from exports.package import (
    SCORM_SCRIPT,
    STATIC_FILES,
    STYLESHEET,
    ModulePackage,
    static_file,
    write_zip,
)

CONTENT_TYPE = "application/zip"


def filename(package: ModulePackage) -> str:
    return f"{package.slug}-{package.language}-scorm12.zip"


def build(package: ModulePackage) -> bytes:
    """The package as zip bytes: imsmanifest.xml at the root, one page per lesson, the
    module overview (index.html), the stylesheet and script, and every file the lessons
    show."""
    files = {}
    for lesson in package.lessons:
        files[lesson.filename] = package.lesson_page(lesson, with_quiz=True, script=SCORM_SCRIPT)
    files["index.html"] = package.render("exports/overview.html", stylesheet=STYLESHEET).encode()
    for path, source in STATIC_FILES.items():
        files[path] = static_file(source)
    files.update(package.files)
    manifest = package.render(
        "exports/scorm12/imsmanifest.xml",
        identifier=f"C4S-{package.module.translation_key}-{package.language}",
        shared=list(STATIC_FILES),
    )
    return write_zip({"imsmanifest.xml": manifest.encode(), **files}, package.last_change())
