"""Which machine translator wagtail-localize offers in the translation editor."""

DEEPL = "wagtail_localize.machine_translators.deepl.DeepLTranslator"
DUMMY = "wagtail_localize.machine_translators.dummy.DummyTranslator"


def machine_translator(deepl_api_key: str, allow_dummy: bool = True) -> dict | None:
    """DeepL with a key (wagtail-localize sends free-plan keys, ending in ':fx', to DeepL's
    free endpoint); without one, the dummy translator where allowed, else none at all."""
    if deepl_api_key:
        return {"CLASS": DEEPL, "OPTIONS": {"AUTH_KEY": deepl_api_key}}
    return {"CLASS": DUMMY} if allow_dummy else None
