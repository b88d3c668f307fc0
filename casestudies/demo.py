"""Demo case studies: twelve illustrative cases in four languages."""

from decimal import Decimal
from pathlib import Path

from casestudies.models import CaseStudyIndexPage, CaseStudyPage
from modules.models import ModulePage
from portal.demo import (
    SOURCE_LANGUAGE,
    load_json,
    load_section_index,
    locale,
    paragraphs,
    taxonomy,
    translate_all,
)
from portal.demo_images import alt_text, demo_image
from portal.models import Sector, Theme

CONTENT = Path(__file__).parent / "demo_content"
CASE_FILES = ["casestudies-part-a.json", "casestudies-part-b.json"]
MODULE_SLUGS = {
    "industry-40": "industry-4-0-and-the-smart-industry-transition",
    "internationalisation": "internationalisation-of-clusters",
    "leadership": "business-leadership-and-entrepreneurship-in-cluster-management",
    "excellence": "cluster-management-excellence",
}


# The motif of a case study's cover (portal/demo_images.py), by its first theme.
MOTIFS = {
    "smart-industry": "factory",
    "digitalisation": "network",
    "internationalisation": "globe",
    "leadership": "people",
    "cluster-excellence": "chart",
    "green-transition": "network",
    "skills": "people",
}


def build_case_study(data, language, related=()):
    funding = data.get("funding_programme") or {}
    motif = MOTIFS.get(data["themes"][0], "network")
    return CaseStudyPage(
        title=data["title"][language],
        slug=data["slug"],
        search_description=data["summary"][language],
        cluster_name=data["cluster_name"],
        is_illustrative=True,
        country=data["country"],
        region=data["region"][language],
        year=data["year"],
        members=data.get("members"),
        funding_programme=funding.get(language, ""),
        summary=data["summary"][language],
        cover_image=demo_image(
            f"case-study-{data['slug']}", motif, f"Demo illustration: {data['title']['en']}"
        ),
        cover_image_alt=alt_text(motif, language),
        challenge=paragraphs(data["challenge"][language]),
        approach=paragraphs(data["approach"][language]),
        results=paragraphs(data["results"][language]),
        key_figures=[
            (
                "figure",
                {
                    "label": figure["label"][language],
                    "value": Decimal(figure["value"]),
                    "unit": (figure.get("unit") or {}).get(language, ""),
                },
            )
            for figure in data["key_figures"]
        ],
        lessons_learned=paragraphs(data["lessons_learned"][language]),
        transferability=paragraphs(data["transferability"][language]),
        resources_needed=paragraphs(data["resources_needed"][language]),
        contact=data["contact"][language],
        related_pages=[("page", page) for page in related],
    )


def load(log):
    listing_data = load_json(CONTENT / "listing.json")
    listing = load_section_index(CaseStudyIndexPage, "case-studies", listing_data, log)

    modules = {
        page.slug: page for page in ModulePage.objects.filter(locale=locale(SOURCE_LANGUAGE))
    }
    count = 0
    for filename in CASE_FILES:
        for data in load_json(CONTENT / filename):
            related = [
                modules[MODULE_SLUGS[key]]
                for key in data.get("related_modules", [])
                if MODULE_SLUGS.get(key) in modules
            ]

            def build(data, language, related=related):
                return build_case_study(data, language, related)

            case_study = CaseStudyPage.objects.child_of(listing).filter(slug=data["slug"]).first()
            if case_study is None:
                case_study = build(data, SOURCE_LANGUAGE)
                listing.add_child(instance=case_study)
                case_study.sectors.set([taxonomy(Sector, slug) for slug in data["sectors"]])
                case_study.themes.set([taxonomy(Theme, slug) for slug in data["themes"]])
                case_study.tags.set(data.get("tags", []))
                case_study.save_revision().publish()
            translate_all(case_study, build, data)
            count += 1
    log(f"{count} case studies in four languages.")
    return listing
