"""A–Z navigation and native-reader sorting of glossary terms in en, fr, es and hu."""

import random
import string

import pytest

from glossary.collation import alphabet, group_by_initial, initial, sort_key

LANGUAGES = ["en", "fr", "es", "hu"]


def collate(terms, language):
    """Sort a shuffled copy, so a test cannot pass by keeping the input order."""
    shuffled = list(terms)
    random.Random(4).shuffle(shuffled)
    return sorted(shuffled, key=lambda term: sort_key(term, language))


def assert_sorts_before(first, second, language):
    assert sort_key(first, language) < sort_key(second, language), f"{first!r} < {second!r}"
    assert collate([second, first], language) == [first, second]


# --- alphabet -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_english_and_french_navigate_a_to_z(language):
    assert alphabet(language) == list(string.ascii_uppercase)


def test_spanish_has_enye_between_n_and_o():
    letters = alphabet("es")
    assert letters == [*"ABCDEFGHIJKLMN", "Ñ", *"OPQRSTUVWXYZ"]
    assert "Ch" not in letters and "Ll" not in letters  # not letters since 1994


def test_hungarian_alphabet_has_digraphs_and_groups_long_vowels_with_short_ones():
    assert alphabet("hu") == [
        "A",
        "B",
        "C",
        "Cs",
        "D",
        "Dz",
        "Dzs",
        "E",
        "F",
        "G",
        "Gy",
        "H",
        "I",
        "J",
        "K",
        "L",
        "Ly",
        "M",
        "N",
        "Ny",
        "O",
        "Ö",
        "P",
        "Q",
        "R",
        "S",
        "Sz",
        "T",
        "Ty",
        "U",
        "Ü",
        "V",
        "W",
        "X",
        "Y",
        "Z",
        "Zs",
    ]
    assert not {"Á", "É", "Í", "Ó", "Ő", "Ú", "Ű"} & set(alphabet("hu"))


def test_alphabet_returns_a_fresh_list_each_time():
    alphabet("hu").append("Ä")
    assert "Ä" not in alphabet("hu")


@pytest.mark.parametrize("language", ["de", "", "english", "HU", "hu-HU"])
def test_unknown_language_raises_value_error_everywhere(language):
    with pytest.raises(ValueError, match="No glossary alphabet"):
        alphabet(language)
    with pytest.raises(ValueError):
        initial("cluster", language)
    with pytest.raises(ValueError):
        sort_key("cluster", language)
    with pytest.raises(ValueError):
        group_by_initial([("cluster", 1)], language)


# --- initial --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "letter"),
    [
        ("gyártás", "Gy"),
        ("szenzor", "Sz"),
        ("dzsungel", "Dzs"),
        ("dzéta", "Dz"),
        ("csapat", "Cs"),
        ("nyomtató", "Ny"),
        ("zsűri", "Zs"),
        ("tyúk", "Ty"),
        ("lyuk", "Ly"),
        ("ősz", "Ö"),
        ("ötlet", "Ö"),
        ("ügy", "Ü"),
        ("űr", "Ü"),
        ("áru", "A"),
        ("érték", "E"),
        ("íz", "I"),
        ("óra", "O"),
        ("úgy", "U"),
        # the base letter when no digraph follows
        ("cél", "C"),
        ("CPS", "C"),
        ("dugó", "D"),
        ("gép", "G"),
        ("lánc", "L"),
        ("nemzetközi", "N"),
        ("sas", "S"),
        ("tagdíj", "T"),
        ("zöld átállás", "Z"),
        ("klaszter", "K"),
        # case, leading whitespace and quotes do not matter
        ("Gyártás", "Gy"),
        ("GYÁRTÁS", "Gy"),
        ("DZSUNGEL", "Dzs"),
        ("Dzéta", "Dz"),
        ("  szenzor", "Sz"),
        ("„Csapat”", "Cs"),
        ("'ökoinnováció'", "Ö"),
        ("Ügyfél", "Ü"),
        ("KKV", "K"),
        ("kkv", "K"),
        ("IoT", "I"),
        ("Ipar 4.0", "I"),
        # an all-caps acronym starting with C+S is read as the letter Cs, as ICU does
        ("CSR", "Cs"),
    ],
)
def test_hungarian_initial(term, letter):
    assert initial(term, "hu") == letter


@pytest.mark.parametrize(
    ("term", "letter"),
    [
        ("écologie", "E"),
        ("Économie circulaire", "E"),
        ("être", "E"),
        ("œuvre", "O"),
        ("Œuvre", "O"),
        ("ça", "C"),
        ("Ça", "C"),
        ("île", "I"),
        ("à la carte", "A"),
        ("æquo", "A"),
        ("« énergie »", "E"),
        ("(re)qualification", "R"),
        ("IoT", "I"),
        ("PME", "P"),
    ],
)
def test_french_initial(term, letter):
    assert initial(term, "fr") == letter


@pytest.mark.parametrize(
    ("term", "letter"),
    [
        ("ñandú", "Ñ"),
        ("Ñu", "Ñ"),
        ("ÑANDÚ", "Ñ"),
        ("nube", "N"),
        ("árbol", "A"),
        ("Ámbito", "A"),
        ("chico", "C"),
        ("llave", "L"),
        ("¿Qué es un clúster?", "Q"),
        ("pyme", "P"),
        ("PYME", "P"),
    ],
)
def test_spanish_initial(term, letter):
    assert initial(term, "es") == letter


@pytest.mark.parametrize(
    ("term", "letter"),
    [
        ("IoT", "I"),
        ("iot", "I"),
        ("KPI", "K"),
        ("Ørsted", "O"),
        ("élan", "E"),
        ('  "smart" factory', "S"),
        ("-ism", "I"),
    ],
)
def test_english_initial(term, letter):
    assert initial(term, "en") == letter


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("term", ["5G", "3D printing", "3D-nyomtatás", "@home", "#tag", "€uro"])
def test_terms_starting_with_a_digit_or_symbol_are_filed_under_hash(term, language):
    assert initial(term, language) == "#"


@pytest.mark.parametrize("term", ["", "   ", '""', "()"])
def test_terms_with_nothing_to_sort_on_are_filed_under_hash(term):
    assert initial(term, "en") == "#"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_initial_is_a_navigation_letter_or_hash(language):
    terms = ["adat", "ñandú", "œuvre", "zsűri", "5G", "Ørsted", "ügy", "çà", "Xylophone"]
    letters = set(alphabet(language)) | {"#"}
    assert {initial(term, language) for term in terms} <= letters


# --- Hungarian sorting ----------------------------------------------------------------


def test_hungarian_glossary_terms_sort_in_dictionary_order():
    expected = [
        "adat",
        "ágazat",
        "cél",
        "csapat",
        "digitális iker",
        "dzsungel",
        "egészségügy",
        "érték",
        "gép",
        "gyártás",
        "okosgyár",
        "ökoinnováció",
        "szenzor",
        "szolgáltatás",
        "zöld átállás",
        "zsűri",
    ]
    assert collate(expected, "hu") == expected


def test_hungarian_demo_glossary_terms_sort_in_dictionary_order():
    expected = [
        "3D-nyomtatás",
        "5G",
        "adattér",
        "ágazatközi együttműködés",
        "big data",
        "blokklánc",
        "CPS",
        "digitális átalakulás",
        "digitális iker",
        "egymástól tanulás",
        "együttműködő robot",
        "életciklus-elemzés",
        "ellátási lánc rezilienciája",
        "érzékelő",
        "gépi tanulás",
        "IoT",
        "Ipar 4.0",
        "kis- és középvállalkozás",
        "kkv",
        "KKV",
        "nemzetközi terjeszkedés",
        "nyílt innováció",
        "okosgyár",
        "ötödik generációs mobilhálózat",
        "szakmai átképzés",
        "tagdíj",
        "üzleti modell",
    ]
    assert collate(expected, "hu") == expected


# Each pair would come out the other way round in plain code-point order: the digraph is
# a letter of its own that follows every word on its base letter.
@pytest.mark.parametrize(
    ("base_word", "digraph_word"),
    [
        ("cukor", "csak"),
        ("dühös", "dzéta"),
        ("dzéta", "dzsungel"),
        ("gömb", "gyár"),
        ("lüktet", "lyuk"),
        ("nő", "nyár"),
        ("sün", "szem"),
        ("tükör", "tyúk"),
        ("zűr", "zsák"),
    ],
)
def test_hungarian_digraph_sorts_after_all_words_on_its_base_letter(base_word, digraph_word):
    assert_sorts_before(base_word, digraph_word, "hu")


def test_hungarian_d_dz_dzs_order():
    expected = ["dugó", "dühös", "dzéta", "dzsungel"]
    assert collate(expected, "hu") == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("kocka", "kocsi"),  # k-o-c-k before k-o-cs-i
        ("kacér", "kacsa"),  # c before cs, though "s" < "é" in code points
        ("asó", "aszú"),  # s before sz
        ("egér", "egy"),  # g before gy
        ("menedék", "menedzser"),  # d before dzs, though "z" < "é" in code points
    ],
)
def test_hungarian_digraphs_count_as_one_letter_inside_words(first, second):
    assert_sorts_before(first, second, "hu")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("kasza", "kassza"),  # ssz = sz + sz
        ("megy", "meggy"),  # ggy = gy + gy
        ("hatvan", "hattyú"),  # tty = ty + ty
        ("anya", "annyi"),  # nny = ny + ny
        ("rizs", "rizzsel"),  # zzs = zs + zs
    ],
)
def test_hungarian_doubled_digraphs_sort_as_the_digraph_twice(first, second):
    assert_sorts_before(first, second, "hu")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("óra", "orr"),  # ó = o at the first level
        ("kór", "korall"),
        ("ér", "erdő"),
        ("íz", "izom"),
        ("úr", "uralom"),
        ("őr", "ötlet"),  # ő = ö at the first level
        ("űr", "ütem"),  # ű = ü at the first level
    ],
)
def test_hungarian_long_vowels_equal_short_ones_at_the_first_level(first, second):
    assert_sorts_before(first, second, "hu")


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("kor", "kór"),
        ("hat", "hát"),
        ("ver", "vér"),
        ("irt", "írt"),
        ("tör", "tőr"),
        ("füt", "fűt"),
    ],
)
def test_hungarian_short_vowel_wins_a_tie(short, long):
    assert_sorts_before(short, long, "hu")


def test_hungarian_vowel_length_decides_before_case():
    assert collate(["kór", "Kor"], "hu") == ["Kor", "kór"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("orr", "ölel"),  # folding ö into o would put "ölel" first
        ("ózon", "ölel"),
        ("uzsonna", "ügy"),
        ("úszó", "ügy"),
        ("ötlet", "pálya"),
        ("üzem", "vár"),
    ],
)
def test_hungarian_o_umlaut_and_u_umlaut_are_separate_letters(first, second):
    assert_sorts_before(first, second, "hu")


def test_hungarian_sorting_ignores_case():
    expected = ["adat", "Csapat", "CSAPDA", "dzsungel", "Érték", "ZÖLD", "zsűri"]
    assert collate(expected, "hu") == expected
    assert_sorts_before("kis- és középvállalkozás", "KKV", "hu")


def test_hungarian_compares_word_by_word():
    expected = [
        "digitális",
        "digitális érettségi felmérés",
        "digitális iker",
        "digitális ikerpár",
        "digitális innovációs központ",
        "digitalizáció",
    ]
    assert collate(expected, "hu") == expected


# --- Spanish sorting ------------------------------------------------------------------


def test_spanish_enye_is_a_letter_after_n():
    assert collate(["oro", "ñandú", "nube"], "es") == ["nube", "ñandú", "oro"]
    assert_sorts_before("anzuelo", "año", "es")  # folding ñ into n would reverse these
    expected = ["diseminación", "disenso", "diseñador", "diseño", "diseño industrial"]
    assert collate(expected, "es") == expected


def test_spanish_accents_fold_and_unaccented_wins_a_tie():
    assert_sorts_before("árbol", "arco", "es")
    for plain, accented in [("mas", "más"), ("si", "sí"), ("te", "té"), ("pinguino", "pingüino")]:
        assert_sorts_before(plain, accented, "es")


def test_spanish_ch_and_ll_are_not_separate_letters():
    assert_sorts_before("chico", "cuna", "es")
    assert_sorts_before("llave", "lodo", "es")


def test_spanish_glossary_terms_sort_in_dictionary_order():
    expected = [
        "5G",
        "agrupación empresarial",
        "análisis comparativo",
        "cadena de valor",
        "cadena de valor añadido",
        "ciberseguridad",
        "cluster",
        "clúster",
        "cuádruple hélice",
        "diseminación",
        "diseño industrial",
        "economía circular",
        "espacio de datos",
        "España digital",
        "espíritu emprendedor",
        "estrategia de especialización inteligente",
        "gemelo digital",
        "IoT",
        "nube",
        "pyme",
        "PYME",
        "red 5G",
        "sensor",
    ]
    assert collate(expected, "es") == expected


# --- French sorting -------------------------------------------------------------------


def test_french_accents_fold_and_break_ties_from_the_start_of_the_word():
    expected = ["cote", "coté", "côte", "côté"]
    assert collate(expected, "fr") == expected
    assert_sorts_before("élan", "elle", "fr")
    assert_sorts_before("ete", "été", "fr")


def test_french_accent_order_follows_the_unicode_default_not_code_points():
    # acute before grave (code points say otherwise), accents decide before case
    assert collate(["près", "Pres", "prés", "pres"], "fr") == ["pres", "Pres", "prés", "près"]
    assert collate(["ÉTÉ", "été", "Ete", "ete"], "fr") == ["ete", "Ete", "été", "ÉTÉ"]


def test_french_ligatures_sort_as_two_letters():
    assert collate(["offre", "œuvre", "odeur"], "fr") == ["odeur", "œuvre", "offre"]
    assert collate(["coffre", "cœur", "code"], "fr") == ["code", "cœur", "coffre"]
    assert collate(["affaire", "ægide", "adresse"], "fr") == ["adresse", "ægide", "affaire"]
    assert_sorts_before("oeuvre", "œuvre", "fr")


def test_french_cedilla_sorts_as_c():
    assert_sorts_before("ça", "cabane", "fr")
    assert_sorts_before("garçon", "garde", "fr")


def test_french_elided_article_is_a_word_of_its_own():
    assert_sorts_before("pôle d'innovation numérique", "pôle de compétitivité", "fr")
    assert_sorts_before("cycle de vie d’un cluster", "cycle de vie des clusters", "fr")


def test_french_glossary_terms_sort_in_dictionary_order():
    expected = [
        "5G",
        "analyse comparative",
        "apprentissage automatique",
        "chaîne de blocs",
        "chaîne de valeur",
        "cluster",
        "Cluster Management Excellence Label",
        "cœur de métier",
        "économie circulaire",
        "écosystème régional d'innovation",
        "efficacité énergétique",
        "entrepreneuriat",
        "étalonnage",
        "évaluation de la maturité numérique",
        "feuille de route du cluster",
        "innovation ouverte",
        "IoT",
        "jumeau numérique",
        "mégadonnées",
        "pôle d'innovation numérique",
        "pôle de compétitivité",
        "réalité augmentée",
        "requalification",
        "start-up",
        "startup",
        "usine du futur",
        "usine intelligente",
    ]
    assert collate(expected, "fr") == expected


# --- English sorting ------------------------------------------------------------------


def test_english_compares_word_by_word():
    expected = ["cluster", "cluster manager", "clustering"]
    assert collate(expected, "en") == expected
    expected = ["smart factory", "smart specialisation strategy", "smartphone"]
    assert collate(expected, "en") == expected


def test_english_hyphen_separates_words_like_a_space():
    expected = ["cyber-physical system", "cyber security", "cybersecurity"]
    assert collate(expected, "en") == expected
    assert_sorts_before("start-up", "startup", "en")
    assert_sorts_before("e-learning", "early warning", "en")


def test_english_folds_accents():
    assert collate(["resumes", "résumé", "resume"], "en") == ["resume", "résumé", "resumes"]
    assert_sorts_before("naive", "naïve", "en")


def test_numbers_compare_by_value():
    assert collate(["ISO 14001", "ISO 9001"], "en") == ["ISO 9001", "ISO 14001"]
    assert collate(["Industry 5.0", "Industry 4.0"], "en") == ["Industry 4.0", "Industry 5.0"]


def test_quotes_and_brackets_are_ignored_when_sorting():
    assert collate(["retraining", "(re)skilling", "reporting"], "en") == [
        "reporting",
        "(re)skilling",
        "retraining",
    ]
    assert_sorts_before("“big data”", "blockchain", "en")


def test_english_glossary_terms_sort_in_dictionary_order():
    expected = [
        "3D printing",
        "5G",
        "additive manufacturing",
        "AI",
        "artificial intelligence",
        "B2B matchmaking",
        "big data",
        "cluster",
        "Cluster Management Excellence Label",
        "cluster manager",
        "clustering",
        "cyber-physical system",
        "cyber security",
        "cybersecurity",
        "digital twin",
        "e-learning",
        "edge computing",
        "Industry 4.0",
        "Industry 5.0",
        "Internet of Things",
        "IoT",
        "KPI",
        "smart factory",
        "smart specialisation strategy",
        "SME",
        "start-up",
        "startup",
        "triple helix",
    ]
    assert collate(expected, "en") == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_case_variants_sort_together_lowercase_first(language):
    assert collate(["IOT", "IoT", "iot", "Iot"], language) == ["iot", "Iot", "IoT", "IOT"]
    assert_sorts_before("apple", "Banana", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_terms_filed_under_hash_sort_before_letters(language):
    assert collate(["adat", "5G", "@home"], language) == ["@home", "5G", "adat"]


# --- group_by_initial -----------------------------------------------------------------


HUNGARIAN_ENTRIES = [
    ("zsűri", 16),
    ("5G", 0),
    ("szenzor", 13),
    ("gép", 9),
    ("dzéta", 6),
    ("ágazat", 2),
    ("cél", 3),
    ("csapat", 4),
    ("digitális iker", 5),
    ("dzsungel", 7),
    ("érték", 8),
    ("gyártás", 10),
    ("okosgyár", 11),
    ("ökoinnováció", 12),
    ("zöld átállás", 15),
    ("adat", 1),
    ("szolgáltatás", 14),
]


def test_group_by_initial_lists_every_letter_with_hash_first_when_used():
    groups = group_by_initial(HUNGARIAN_ENTRIES, "hu")
    assert [letter for letter, _items in groups] == ["#", *alphabet("hu")]


def test_group_by_initial_files_items_under_their_letter_in_sorted_order():
    groups = dict(group_by_initial(HUNGARIAN_ENTRIES, "hu"))
    assert groups["#"] == [0]
    assert groups["A"] == [1, 2]
    assert groups["C"] == [3]
    assert groups["Cs"] == [4]
    assert groups["D"] == [5]
    assert groups["Dz"] == [6]
    assert groups["Dzs"] == [7]
    assert groups["E"] == [8]
    assert groups["G"] == [9]
    assert groups["Gy"] == [10]
    assert groups["O"] == [11]
    assert groups["Ö"] == [12]
    assert groups["Sz"] == [13, 14]
    assert groups["Z"] == [15]
    assert groups["Zs"] == [16]
    assert groups["S"] == [] and groups["Q"] == [] and groups["Ü"] == []


def test_group_by_initial_concatenated_is_the_flat_sorted_order():
    groups = group_by_initial(HUNGARIAN_ENTRIES, "hu")
    flat = [item for _letter, items in groups for item in items]
    assert flat == list(range(17))
    assert flat == [
        item for term, item in sorted(HUNGARIAN_ENTRIES, key=lambda e: sort_key(e[0], "hu"))
    ]


def test_group_by_initial_without_digits_has_no_hash_and_keeps_empty_letters():
    groups = group_by_initial(((term, term) for term in ["nube", "ñandú", "oro"]), "es")
    assert groups[0] == ("A", [])
    assert [letter for letter, _items in groups] == alphabet("es")
    assert dict(groups)["N"] == ["nube"]
    assert dict(groups)["Ñ"] == ["ñandú"]
    assert dict(groups)["O"] == ["oro"]


def test_group_by_initial_of_nothing_shows_every_letter_empty():
    assert group_by_initial([], "en") == [(letter, []) for letter in string.ascii_uppercase]


def test_group_by_initial_keeps_input_order_for_identical_terms():
    groups = dict(group_by_initial([("cluster", "second"), ("cluster", "first")], "en"))
    assert groups["C"] == ["second", "first"]
