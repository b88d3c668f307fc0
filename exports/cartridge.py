"""IMS Common Cartridge 1.1 (the newest version Moodle's importer detects): the module
overview and each lesson as web content, each lesson's quiz as a QTI 1.2 assessment with
its correct answers and feedback, and the module's metadata (title, description, language,
licence)."""

from exports.package import STYLESHEET, ModulePackage, static_file, write_zip

CONTENT_TYPE = "application/vnd.ims.imsccv1p1"


def filename(package: ModulePackage) -> str:
    return f"{package.slug}-{package.language}.imscc"


def build(package: ModulePackage) -> bytes:
    files = {"index.html": package.render("exports/overview.html", stylesheet=STYLESHEET).encode()}
    for lesson in package.lessons:
        # The quiz is an assessment of its own in the learning platform, not a page script.
        files[lesson.filename] = package.lesson_page(lesson, with_quiz=False)
        if lesson.questions:
            files[lesson.quiz_file] = package.render(
                "exports/cartridge/assessment.xml", lesson=lesson
            ).encode()
    files[STYLESHEET] = static_file("exports/package.css")
    files.update(package.files)
    manifest = package.render(
        "exports/cartridge/imsmanifest.xml",
        identifier=f"C4S-{package.module.translation_key}-{package.language}",
        shared=[STYLESHEET],
    )
    return write_zip({"imsmanifest.xml": manifest.encode(), **files}, package.last_change())
