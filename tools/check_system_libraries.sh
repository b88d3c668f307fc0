#!/usr/bin/env bash
# The system libraries and fonts the PDF documents need (WeasyPrint: Pango, HarfBuzz,
# fontconfig; DejaVu fonts), checked on this machine. Prints the Debian packages that are
# missing and exits 1; with --install (as root, on Debian) installs them with apt-get.
set -euo pipefail

missing=()
libraries=$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)
have_library() { grep -q "$1" <<<"$libraries"; }
have_library 'libpango-1\.0\.so\.0' || missing+=(libpango-1.0-0)
have_library 'libpangoft2-1\.0\.so\.0' || missing+=(libpangoft2-1.0-0)
have_library 'libharfbuzz\.so\.0' || missing+=(libharfbuzz0b)
have_library 'libfontconfig\.so\.1' || missing+=(libfontconfig1)
fonts=$(fc-list 2>/dev/null || true)
if ! grep -q 'DejaVuSans\.ttf' <<<"$fonts" && [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    missing+=(fonts-dejavu-core)
fi

if ((${#missing[@]} == 0)); then
    exit 0
fi
if [ "${1:-}" = "--install" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing from Debian for the PDF documents: ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    exit 0
fi
echo "The PDF documents (WeasyPrint) need these Debian packages: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install ${missing[*]}" >&2
echo "(or run: sudo tools/check_system_libraries.sh --install)" >&2
exit 1
