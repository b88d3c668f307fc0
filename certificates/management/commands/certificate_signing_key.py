"""Print a new ES256 signing key for CERTIFICATE_SIGNING_KEY (PEM, one line with \\n)."""

from django.core.management.base import BaseCommand

from certificates.signing import new_private_key_pem


class Command(BaseCommand):
    help = "Print a new P-256 private key for the CERTIFICATE_SIGNING_KEY environment variable."

    def add_arguments(self, parser):
        parser.add_argument(
            "--one-line",
            action="store_true",
            help="Newlines written as \\n, for an environment file.",
        )

    def handle(self, *args, one_line=False, **options):
        pem = new_private_key_pem()
        self.stdout.write(pem.strip().replace("\n", "\\n") if one_line else pem, ending="\n")
