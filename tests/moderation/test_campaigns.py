"""Campaign detection: the same letter found whether identical or personalised; unrelated texts left alone."""

from consult.moderation.campaigns import content_hash, find_campaigns, normalise

LETTER = (
    "We ask the government to ratify the Optional Protocol to the Convention against Torture and to set up "
    "an independent national preventive mechanism with its own budget before the end of the year."
)


def test_identical_letters_match_whatever_case_and_punctuation():
    assert normalise("We ASK, the  government!") == "we ask the government"
    assert content_hash(LETTER) == content_hash(LETTER.upper().replace(",", ""))


def test_personalised_letters_are_one_campaign_and_other_texts_stay_apart():
    comments = [
        (1, LETTER),
        (2, LETTER.upper()),
        (3, "Dear coordinator, " + LETTER + " My brother was detained for six months without a lawyer."),
        (4, LETTER.replace("before the end of the year", "this year")),
        (5, "The schools in the north lack teachers and the plan's education action has not started."),
        (6, "Water supply in the camps is a matter of life; the responsible ministry does not answer."),
    ]
    assert find_campaigns(comments) == [[1, 2, 3, 4]]


def test_nothing_to_find_in_distinct_texts():
    assert find_campaigns([(1, "One text about prisons."), (2, "Another about schools and teachers.")]) == []
