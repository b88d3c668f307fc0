"""Illustrations for the demo content, drawn here with Pillow: nothing is downloaded.

Each picture is a flat diagram on the portal's palette: a network of member organisations
around a motif that says what the module, lesson or case study is about (a factory for
smart industry, a globe for internationalisation, people for leadership, a rising chart
for excellence). The same key always draws the same picture, so loading the demo again
finds the image it made before instead of adding another. Drawing one takes a few
hundredths of a second.
"""

import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 675  # 16:9, the shape of cards and covers
SCALE = 2  # drawn at twice the size and reduced: smooth edges without anti-aliasing

NAVY = (18, 53, 91)
YELLOW = (255, 207, 92)
WHITE = (255, 255, 255)
# One background pair per motif, all dark enough for the white and yellow shapes.
PALETTES = {
    "factory": ((18, 53, 91), (31, 94, 140)),
    "globe": ((16, 72, 96), (27, 120, 138)),
    "people": ((52, 40, 104), (92, 72, 160)),
    "chart": ((24, 72, 58), (40, 122, 92)),
    "network": ((18, 53, 91), (60, 52, 130)),
}

# What each motif shows, in every language: the text alternative of the pictures.
ALT_TEXTS = {
    "factory": {
        "en": "Illustration: a factory with gears, linked to a network of member companies",
        "fr": "Illustration : une usine avec des engrenages, reliée à un réseau d'entreprises membres",
        "es": "Ilustración: una fábrica con engranajes, conectada a una red de empresas socias",
        "hu": "Illusztráció: fogaskerekes gyár, tagvállalatok hálózatához kapcsolva",
    },
    "globe": {
        "en": "Illustration: a globe with routes between partner regions",
        "fr": "Illustration : un globe avec des routes entre régions partenaires",
        "es": "Ilustración: un globo terráqueo con rutas entre regiones socias",
        "hu": "Illusztráció: földgömb a partnerrégiók közötti útvonalakkal",
    },
    "people": {
        "en": "Illustration: a team of people around a shared goal",
        "fr": "Illustration : une équipe réunie autour d'un objectif commun",
        "es": "Ilustración: un equipo de personas en torno a un objetivo común",
        "hu": "Illusztráció: közös cél köré gyűlt csapat",
    },
    "chart": {
        "en": "Illustration: a rising bar chart with a quality medal",
        "fr": "Illustration : un histogramme croissant et une médaille de qualité",
        "es": "Ilustración: un gráfico de barras ascendente con una medalla de calidad",
        "hu": "Illusztráció: emelkedő oszlopdiagram minőségi éremmel",
    },
    "network": {
        "en": "Illustration: a network of companies, research centres and public bodies",
        "fr": "Illustration : un réseau d'entreprises, de centres de recherche et d'organismes publics",
        "es": "Ilustración: una red de empresas, centros de investigación y organismos públicos",
        "hu": "Illusztráció: vállalatok, kutatóközpontok és közintézmények hálózata",
    },
}


def alt_text(motif, language):
    return ALT_TEXTS[motif][language]


def draw(key, motif):
    """The PNG bytes of the picture for ``key`` with ``motif``."""
    rng = random.Random(key)
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    top, bottom = PALETTES[motif]
    # A vertical gradient, one band per 8 pixels: fast and smooth enough once reduced.
    image = Image.new("RGB", (w, h), top)
    canvas = ImageDraw.Draw(image)
    for y in range(0, h, 8):
        t = y / h
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        canvas.rectangle((0, y, w, y + 8), fill=colour)

    # Soft discs in the background.
    for _ in range(5):
        r = rng.randint(h // 6, h // 2)
        x, y = rng.randint(0, w), rng.randint(0, h)
        shade = tuple(min(255, c + 18) for c in bottom)
        canvas.ellipse((x - r, y - r, x + r, y + r), fill=shade)

    # The network: members on the left two thirds, linked to their neighbours.
    nodes = [
        (rng.randint(w // 20, w * 11 // 20), rng.randint(h // 8, h * 7 // 8)) for _ in range(11)
    ]
    hub = (w * 7 // 10, h // 2)
    for i, (x, y) in enumerate(nodes):
        nearest = sorted(nodes, key=lambda n: (n[0] - x) ** 2 + (n[1] - y) ** 2)[1:3]
        for nx, ny in nearest:
            canvas.line((x, y, nx, ny), fill=(255, 255, 255), width=6)
        if i % 3 == 0:
            canvas.line((x, y, *hub), fill=YELLOW, width=8)
    for i, (x, y) in enumerate(nodes):
        r = rng.choice((22, 30, 38))
        canvas.ellipse((x - r, y - r, x + r, y + r), fill=YELLOW if i % 4 == 0 else WHITE)
        canvas.ellipse((x - r // 2, y - r // 2, x + r // 2, y + r // 2), fill=top)

    MOTIFS[motif](canvas, hub, h // 3, rng, top)
    image = image.reduce(SCALE)  # a box filter: fast, and smooth for flat shapes
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=1)
    return out.getvalue()


def _plate(canvas, centre, radius, fill=WHITE):
    x, y = centre
    canvas.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)


def _factory(canvas, centre, size, rng, ink):
    _plate(canvas, centre, size)
    x, y = centre
    s = size // 2
    base = y + s * 0.7
    # Saw-tooth roof and a chimney.
    roof = [(x - s * 1.2, base), (x - s * 1.2, y - s * 0.1)]
    for i in range(3):
        left = x - s * 1.2 + i * s * 0.8
        roof += [(left + s * 0.8, y - s * 0.6), (left + s * 0.8, y - s * 0.1)]
    roof += [(x + s * 1.2, base)]
    canvas.rectangle((x + s * 0.55, y - s * 1.2, x + s * 0.85, y), fill=ink)
    canvas.polygon(roof, fill=ink)
    for i in range(3):
        wx = x - s * 0.95 + i * s * 0.75
        canvas.rectangle((wx, y + s * 0.15, wx + s * 0.4, y + s * 0.45), fill=YELLOW)
    _gear(canvas, (x - s * 0.9, y - s * 1.0), s * 0.45, ink)


def _gear(canvas, centre, radius, ink):
    x, y = centre
    teeth = []
    for i in range(16):
        angle = i * math.pi / 8
        r = radius if i % 2 == 0 else radius * 0.78
        teeth.append((x + r * math.cos(angle), y + r * math.sin(angle)))
    canvas.polygon(teeth, fill=YELLOW)
    canvas.ellipse(
        (x - radius * 0.3, y - radius * 0.3, x + radius * 0.3, y + radius * 0.3), fill=ink
    )


def _globe(canvas, centre, size, rng, ink):
    _plate(canvas, centre, size)
    x, y = centre
    r = size * 0.78
    canvas.ellipse((x - r, y - r, x + r, y + r), outline=ink, width=14)
    for k in (0.35, 0.7):
        canvas.ellipse((x - r * k, y - r, x + r * k, y + r), outline=ink, width=8)
    for k in (-0.5, 0, 0.5):
        half = r * math.sqrt(1 - k * k)
        canvas.line((x - half, y + r * k, x + half, y + r * k), fill=ink, width=8)
    # Routes between two partner regions.
    a = (x - r * 0.55, y - r * 0.2)
    b = (x + r * 0.5, y + r * 0.35)
    canvas.line((*a, x, y - r * 0.45, *b), fill=YELLOW, width=14, joint="curve")
    for px, py in (a, b):
        canvas.ellipse((px - 26, py - 26, px + 26, py + 26), fill=YELLOW, outline=ink, width=6)


def _people(canvas, centre, size, rng, ink):
    _plate(canvas, centre, size)
    x, y = centre
    s = size * 0.32
    for dx, colour in ((-1.25, ink), (1.25, ink), (0, YELLOW)):
        cx = x + dx * s
        lift = -s * 0.25 if dx == 0 else 0
        canvas.ellipse(
            (cx - s * 0.42, y - s * 1.1 + lift, cx + s * 0.42, y - s * 0.26 + lift), fill=colour
        )
        canvas.pieslice(
            (cx - s * 0.8, y - s * 0.1 + lift, cx + s * 0.8, y + s * 1.5 + lift),
            180,
            360,
            fill=colour,
        )
    # The shared goal: a flag above the group.
    canvas.line((x, y - s * 2.2, x, y - s * 1.45), fill=ink, width=10)
    canvas.polygon([(x, y - s * 2.2), (x + s * 0.8, y - s * 1.95), (x, y - s * 1.7)], fill=YELLOW)


def _chart(canvas, centre, size, rng, ink):
    _plate(canvas, centre, size)
    x, y = centre
    s = size * 0.55
    heights = sorted(rng.uniform(0.3, 1.0) for _ in range(4))
    for i, height in enumerate(heights):
        left = x - s + i * s * 0.5
        canvas.rectangle(
            (left, y + s * 0.6 - s * 1.3 * height, left + s * 0.36, y + s * 0.6), fill=ink
        )
    canvas.line((x - s * 1.1, y + s * 0.62, x + s * 1.05, y + s * 0.62), fill=ink, width=10)
    # The medal.
    mx, my = x + s * 0.75, y - s * 0.75
    canvas.polygon([(mx - 30, my), (mx - 55, my + 90), (mx - 10, my + 70)], fill=ink)
    canvas.polygon([(mx + 30, my), (mx + 55, my + 90), (mx + 10, my + 70)], fill=ink)
    canvas.ellipse((mx - 55, my - 55, mx + 55, my + 55), fill=YELLOW, outline=ink, width=8)


def _network(canvas, centre, size, rng, ink):
    _plate(canvas, centre, size)
    x, y = centre
    r = size * 0.55
    points = [
        (x + r * math.cos(a), y + r * math.sin(a))
        for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)
    ]
    for px, py in points:
        canvas.line((x, y, px, py), fill=ink, width=12)
    canvas.polygon(points, outline=ink, width=10)
    for i, (px, py) in enumerate(points):
        canvas.ellipse((px - 46, py - 46, px + 46, py + 46), fill=YELLOW if i == 0 else ink)
    canvas.ellipse((x - 36, y - 36, x + 36, y + 36), fill=YELLOW, outline=ink, width=8)


MOTIFS = {
    "factory": _factory,
    "globe": _globe,
    "people": _people,
    "chart": _chart,
    "network": _network,
}


def demo_image(key, motif, title):
    """The Wagtail image drawn for ``key``, made on the first call and found after."""
    from wagtail.images import get_image_model

    Image_ = get_image_model()
    image = Image_.objects.filter(title=title).first()
    if image is None:
        data = draw(key, motif)
        image = Image_(title=title)
        image.file = ImageFile(io.BytesIO(data), name=f"{key}.png")
        image.save()
    return image
