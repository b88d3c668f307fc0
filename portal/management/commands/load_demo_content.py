"""Load the portal's demo content in four languages. Safe to run again."""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command
from django.db import transaction
from wagtail.models import Locale

from assessment import demo as assessment_demo
from casestudies import demo as casestudies_demo
from glossary import demo as glossary_demo
from home import demo as home_demo
from legal import demo as legal_demo
from modules import demo as modules_demo
from portal import demo as portal_demo

# Each app adds its loader here; they run in order, inside one transaction.
LOADERS = [
    home_demo.load,
    portal_demo.load_taxonomy,
    modules_demo.load,
    casestudies_demo.load,
    glossary_demo.load,
    glossary_demo.record_usages,
    assessment_demo.load,
    legal_demo.load,
    home_demo.feature_sections,
]

ADMIN_PASSWORD_FILE = settings.BASE_DIR / "var" / "admin-password.txt"


class Command(BaseCommand):
    help = "Creates the locales, the site and the demo pages in English, French, Spanish and Hungarian."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the database has no home page yet; always print the admin login.",
        )

    def handle(self, *args, if_empty=False, **options):
        from home.models import HomePage

        if if_empty and HomePage.objects.exists():
            self.stdout.write("Demo content already loaded.")
        else:
            with transaction.atomic():
                self.create_locales()
                for loader in LOADERS:
                    loader(self.log)
            call_command("update_index", verbosity=0)
            call_command("rebuild_references_index", verbosity=0)
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        username, password = self.ensure_admin()
        self.stdout.write(
            f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/  user: {username}  password: {password}"
        )

    def log(self, message):
        self.stdout.write(f"  {message}")

    def create_locales(self):
        for code, _name in settings.LANGUAGES:
            Locale.objects.get_or_create(language_code=code)

    def ensure_admin(self):
        """The admin account: from PORTAL_ADMIN_* or a generated password kept in var/."""
        username = os.environ.get("PORTAL_ADMIN_USERNAME", "admin")
        password = os.environ.get("PORTAL_ADMIN_PASSWORD")
        if not password and ADMIN_PASSWORD_FILE.exists():
            password = ADMIN_PASSWORD_FILE.read_text(encoding="utf-8").strip()
        if not password:
            password = secrets.token_urlsafe(12)
        User = get_user_model()
        user = User.objects.filter(username=username).first() or User(
            username=username, email=f"{username}@example.org"
        )
        if not (user.pk and user.is_superuser and user.check_password(password)):
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
        if not os.environ.get("PORTAL_ADMIN_PASSWORD"):
            ADMIN_PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
            ADMIN_PASSWORD_FILE.write_text(password + "\n", encoding="utf-8")
            ADMIN_PASSWORD_FILE.chmod(0o600)
        return username, password
