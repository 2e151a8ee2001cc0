"""Words that mean one thing in six languages (issue 19, point 8), checked on the compiled catalogues the
application serves: redacting a passage, withholding a file and hiding a comment after readers' reports
each have their own term; "voices" are never "votes"; a breakdown is not a disaggregation; a campaign reads
as a joint submission in Chinese; Arabic duals and Russian plurals have their own forms."""

import gettext
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("ar", "es", "fr", "ru", "zh")

#: How each concept is recognised in an English msgid.
CONCEPTS = {
    "redact": re.compile(r"\bredact", re.I),
    "withhold": re.compile(r"\bwithh[oe]ld", re.I),
    "hide": re.compile(r"\bhid(e|den|es|ing)\b", re.I),
}

#: Each concept's term in each language (the glossary's: ar تنقيح / حجب / إخفاء, es tachar / retener /
#: ocultar, fr caviarder / retenir / masquer, ru вымарать / удержать / скрыть, zh 删隐 / 扣留 / 隐藏),
#: matched on lower-case text without Arabic vowel marks.
TERMS = {
    "ar": {"redact": r"نقح|نقيح", "withhold": r"حجب|حجوب", "hide": r"خفا|خفي"},
    "es": {"redact": r"tach", "withhold": r"reten|retien|retuv", "hide": r"ocult"},
    "fr": {"redact": r"caviard", "withhold": r"reten|retien", "hide": r"masqu"},
    "ru": {"redact": r"вымар", "withhold": r"удержа[нлт]", "hide": r"скры|скро"},
    "zh": {"redact": r"删隐", "withhold": r"扣留", "hide": r"隐藏"},
}

#: Messages each concept must at least be found in: if one is reworded, this list follows it.
KNOWN = {
    "redact": [
        "Redact",
        "Redact a passage",
        "Passage to redact",
        "Copy the passage to redact from the text.",
        "Copy it exactly from the text; every occurrence is redacted.",
        "Redacted in %(num)d place.",
        "With passages redacted",
    ],
    "withhold": ["Withhold", "withheld from the public", "The file is withheld from the public."],
    "hide": [
        "Hidden after readers' reports: decide these first",
        "Hidden after readers' reports, pending review",
        "counts towards hiding",
        "from a newer account: does not hide",
    ],
}

#: "Votes", where a message means what people said.
VOTES = {"ar": r"صوت|أصوات", "fr": r"\bvoix\b", "ru": r"голос", "zh": r"声音"}
#: What a letter-writing or co-signed campaign would read as in Chinese, instead of a joint submission.
CAMPAIGN_ZH_WRONG = r"集体意见|运动|活动|联署"


#: A count that selects each plural form, in the order of the language's forms.
FORM_COUNTS = {"ar": (0, 1, 2, 3, 100, 11), "ru": (1, 2, 5), "es": (1, 2), "fr": (1, 2), "zh": (1,)}


@cache
def compiled(language: str) -> gettext.GNUTranslations:
    """The language's compiled catalogue (messages.mo), as the application loads it."""
    with open(ROOT / f"translations/{language}/LC_MESSAGES/messages.mo", "rb") as file:
        return gettext.GNUTranslations(file)


@cache
def source(language: str) -> list:
    """The messages of the language's .po file: which msgids there are, and what translators wrote."""
    with open(ROOT / f"translations/{language}/LC_MESSAGES/messages.po", "rb") as file:
        return [m for m in read_po(file) if m.id]


def served(language: str, message) -> list[str]:
    """What the compiled catalogue answers for a message: each of its plural forms, or its one string."""
    found, context = compiled(language), message.context
    if message.pluralizable:
        singular, plural = message.id
        if context:
            return [found.npgettext(context, singular, plural, n) for n in FORM_COUNTS[language]]
        return [found.ngettext(singular, plural, n) for n in FORM_COUNTS[language]]
    return [found.pgettext(context, message.id) if context else found.gettext(message.id)]


def translated(language: str, msgid: str, context: str | None = None) -> str:
    """The compiled translation of a message without plural."""
    found = compiled(language)
    return found.pgettext(context, msgid) if context else found.gettext(msgid)


def plain(text: str) -> str:
    """Text to match terms in: lower case, without Arabic vowel marks (harakat, shadda, tanwin)."""
    return "".join(c for c in text if not "\u064b" <= c <= "\u0652").lower()


def written(message) -> list[str]:
    """What translators wrote for a message in the .po file, as a list of forms."""
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def messages(language: str):
    """(English msgid, its compiled translations in plain text) of every message of the catalogue."""
    for message in source(language):
        english = message.id[0] if message.pluralizable else message.id
        yield english, [plain(text) for text in served(language, message)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_one_the_po_file_holds(language):
    """What the terms below are checked on is what translators edit: make compile-translations ran."""
    for message in source(language):
        if all(written(message)) and not message.fuzzy:
            assert served(language, message) == written(message), (message.context, message.id)


@pytest.mark.parametrize("language", LANGUAGES)
def test_redaction_withholding_and_hiding_each_have_their_own_term(language):
    terms = {concept: re.compile(pattern) for concept, pattern in TERMS[language].items()}
    found = {concept: set() for concept in CONCEPTS}
    for english, translated in messages(language):
        meant = {concept for concept, pattern in CONCEPTS.items() if pattern.search(english)}
        for concept in meant:
            found[concept].add(english)
            for text in translated:
                assert terms[concept].search(text), (
                    f"{language}: {english!r} lacks the {concept} term: {text}"
                )
        for other in set(CONCEPTS) - meant:
            for text in translated:
                assert not terms[other].search(text), f"{language}: {english!r} uses the {other} term: {text}"
    for concept, known in KNOWN.items():
        assert set(known) <= found[concept], f"{language}: {concept}: {set(known) - found[concept]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_three_buttons_read_differently(language):
    redact, withhold = translated(language, "Redact"), translated(language, "Withhold")
    hidden = translated(language, "Hidden after readers' reports: decide these first")
    assert redact != withhold and not hidden.startswith(redact) and not hidden.startswith(withhold)


@pytest.mark.parametrize("language", sorted(VOTES))
def test_voices_are_never_votes(language):
    votes = re.compile(VOTES[language])
    checked = 0
    for english, translated in messages(language):
        if re.search(r"\bvoices?\b", english, re.I):
            checked += 1
            for text in translated:
                assert not votes.search(text), f"{language}: {english!r} reads as votes: {text}"
    assert checked >= 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_breakdown_is_not_a_disaggregation(language):
    assert translated(language, "Breakdown") != translated(language, "Disaggregation")


def test_a_campaign_reads_as_a_joint_submission_in_chinese():
    checked = 0
    for english, translated in messages("zh"):
        if re.search(r"\bcampaigns?\b", english, re.I):
            checked += 1
            for text in translated:
                assert "联合提交" in text, f"{english!r}: {text}"
                assert not re.search(CAMPAIGN_ZH_WRONG, text), f"{english!r}: {text}"
    assert checked >= 8


def test_arabic_plurals_have_a_dual_and_their_own_forms():
    """zero, one, two (the dual), few (3-10), other (100-102), many (11-99): the dual never repeats the
    singular or another form, and the singular is not the plural of a few."""
    for message in source("ar"):
        if message.pluralizable:
            assert len(written(message)) == 6, message.id
            _zero, one, two, few, other, many = served("ar", message)
            assert two not in (one, few, other, many), f"{message.id[0]!r}: the dual repeats a form: {two}"
            assert one != few, f"{message.id[0]!r}: one and few read alike: {one}"


def test_russian_plurals_have_three_forms():
    for message in source("ru"):
        if message.pluralizable:
            assert len(written(message)) == 3, message.id
            one, few, _many = served("ru", message)
            assert one != few, f"{message.id[0]!r}: one and few read alike: {one}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("context", "msgid"),
    [
        ("verb", "Comment"),
        ("noun", "Comment"),
        ("state", "Published"),
        ("filter", "All"),
        ("choice", "None"),
        ("feature", "Moderation"),
    ],
)
def test_shared_words_are_translated_in_each_context(language, context, msgid):
    written_in = {(m.context, m.id) for m in source(language)}
    assert (context, msgid) in written_in, f"{language}: {context}|{msgid} is not in the catalogue"
    assert translated(language, msgid, context) != msgid or language == "en"
    if context == "verb":
        assert translated(language, msgid, context) != translated(language, msgid, "noun"), language
