"""What helps a moderator read a comment: personal data suggested for redaction in any script, and what
changed between its versions, word by word."""

import pytest

from consult.moderation.personal_data import marked, suggestions
from consult.moderation.versions import changes, tokens


def found(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in suggestions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call +386 41 555 123 today.", [("phone", "+386 41 555 123")]),
        ("tel. (01) 234 5678.", [("phone", "(01) 234 5678")]),
        (
            "Ring 0041-22-917-9000 or 020 7946 0958.",
            [("phone", "0041-22-917-9000"), ("phone", "020 7946 0958")],
        ),
        ("اتصل على ٠٥٥ ١٢٣ ٤٥٦٧ الآن", [("phone", "٠٥٥ ١٢٣ ٤٥٦٧")]),  # Arabic-Indic digits
        ("شماره ۰۹۱۲ ۳۴۵ ۶۷۸۹ است", [("phone", "۰۹۱۲ ۳۴۵ ۶۷۸۹")]),  # Eastern Arabic-Indic digits
        (
            "電話は０９０－１２３４－５６７８です",
            [("phone", "０９０－１２３４－５６７８")],
        ),  # full-width, no spaces
        ("Write to ana.k+ngo@example.org.", [("email", "ana.k+ngo@example.org")]),
        ("邮箱 张@例子.中国 谢谢", [("email", "张@例子.中国")]),
        ("Пишите: ivan@пример.рф", [("email", "ivan@пример.рф")]),
        ("Passport AB1234567 was seized.", [("id", "AB1234567")]),
        ("Carte K-1234567 confisquée", [("id", "K-1234567")]),
        ("ID 198503121234 recorded", [("id", "198503121234")]),
        # A number after a word naming an identity document is an identity number, taken whole.
        ("My ID number is 1234-5678-9012", [("id", "1234-5678-9012")]),
        ("national ID 850101-1234567 was taken", [("id", "850101-1234567")]),
        ("passport no. X1234567", [("id", "X1234567")]),
        ("身份证号码：110101199003071234。", [("id", "110101199003071234")]),
        ("паспорт № 4509 123456 изъят", [("id", "4509 123456")]),
        ("My ID was taken. Call 020 7946 0958.", [("phone", "020 7946 0958")]),  # not across a sentence
        # A UN document symbol is not a number, but what follows it may be.
        ("See A/HRC/40/8 and call +386 41 555 123", [("phone", "+386 41 555 123")]),
    ],
)
def test_personal_data_is_suggested_for_redaction_in_any_script(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2019, 2020 and 2021 we counted 1,200 cases.",
        "The visit took place on 12.03.2019 and 2019-03-12.",
        "Recommendation 115.1 of A/HRC/40/8, para. 46 (a).",
        "Receipt R-2026-000123 is mine.",
        "٢٠١٩ و ٢٠٢٠",
        "A/HRC/40/8 115.1 asks for it.",
        "CRC/C/15/Add.1 para. 46 (a), E/C.12/GC/24 12.3 and CCPR/C/SVN/CO/4 21.",
        "The plan for 2023-2027 and the cycle 2019–23.",
    ],
)
def test_years_dates_symbols_and_counts_are_not_personal_data(text):
    assert found(text) == []


def test_the_marked_pieces_give_back_the_text_with_each_suggestion_in_place():
    text = "Ana (ana@example.org) on +386 41 555 123,\nor passport AB1234567."
    pieces = marked(text, suggestions(text))
    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, s in pieces if s] == ["ana@example.org", "+386 41 555 123", "AB1234567"]
    assert [s.label for _, s in pieces if s] == [
        "E-mail address",
        "Telephone number",
        "Identity or passport number",
    ]


def test_a_version_diff_marks_words_inserted_and_deleted():
    before = "The prison director refused the visit."
    after = "The deputy director refused our visit twice."
    assert changes(before, after) == [
        ("equal", "The "),
        ("delete", "prison"),
        ("insert", "deputy"),
        ("equal", " director refused "),
        ("delete", "the"),
        ("insert", "our"),
        ("equal", " visit"),
        ("insert", " twice"),
        ("equal", "."),
    ]


def test_a_version_diff_reads_scripts_without_spaces_character_by_character():
    assert changes("监狱长拒绝了访问。", "副监狱长拒绝了访问。") == [
        ("insert", "副"),
        ("equal", "监狱长拒绝了访问。"),
    ]
    arabic = changes("رفض المدير الزيارة", "رفض نائب المدير الزيارة")
    assert [(kind, piece.strip()) for kind, piece in arabic if kind != "equal"] == [("insert", "نائب")]


@pytest.mark.parametrize("text", ["", "One.\n\nTwo  words", "混合 text, ١٢٣ and ０９０."])
def test_the_words_of_a_version_join_back_into_it(text):
    assert "".join(tokens(text)) == text
    kept = "".join(piece for kind, piece in changes(text, text + " more") if kind != "insert")
    assert kept == text
