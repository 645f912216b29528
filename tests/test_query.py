"""Query analysis: a message's focus, spelling against the corpus, abbreviations the
articles define. Tiny corpora; the real model only where meaning matters (the end)."""
from __future__ import annotations

from collections import Counter

from fakes import HAMSTRINGS
from retrieval.search.abbreviations import Abbreviations, long_form
from retrieval.search.query import QueryAnalyzer, asks, focus, strip_courtesy
from retrieval.search.spelling import Speller
from retrieval.search.vocabulary import CorpusVocabulary
from retrieval.store.lexical import LexicalIndex

TEXTS = [
    "Gout is a form of arthritis. Uric acid crystals build up in the joints.",
    "Congenital diaphragmatic hernia (CDH) is a hole in the diaphragm. CDH is present at birth.",
    "Acute lymphoblastic leukemia (ALL) is a cancer of the blood. Treatment helps all children.",
    "Fluids are given intravenous (IV) in hospital. Stage IV gout is rare.",
    "Take the tablets with water. Tablets are taken twice a day. Most tablets work within a week.",
    "A sprained ankle heals with rest. Ice reduces the swelling of the ankle.",
    "Diabetes is diagnosed with a blood test. People diagnosed early do well. Doctors diagnosed it.",
] + [f"Passage {n} on healthy living: work, sleep, a long walk or run with friends at the weekend, "
     f"a trip each year, a club, home and family." for n in range(60)]


def vocabulary() -> CorpusVocabulary:
    rows = dict(enumerate(TEXTS))
    return CorpusVocabulary(LexicalIndex.build(list(rows), lambda ids: {i: rows[i] for i in ids}))


def analyzer() -> QueryAnalyzer:
    """Passages as BM25 indexes them: title, section and body, a line each."""
    return QueryAnalyzer(vocabulary(), lambda: (f"Article {n}\nOverview\n{t}" for n, t in enumerate(TEXTS)))


# --- focus -----------------------------------------------------------------------------

def test_courtesy_is_cut_wherever_it_stands():
    assert strip_courtesy("hi dear doctor, what is gout thanks so much in advance") == "what is gout"
    assert strip_courtesy("Hello i would like more info about gout please. THANKS") == \
        "i would like more info about gout please."


def test_asking_sentences_are_recognised():
    assert asks("what causes it")
    assert asks("is it contagious")
    assert asks("i would like to know the treatment")
    assert asks("my son has a rash, im wondering if it spreads")
    assert not asks("my son is 4 years old and has had a rash since monday")


def test_a_short_question_is_searched_as_typed():
    assert focus("hi whats gout", vocabulary()).text == "hi whats gout"


def test_a_long_message_is_searched_by_what_it_asks():
    message = ("swollen toe. hi there hope you are well. my dad is 60 and he used to run every weekend "
               "with his friends from work and his club. last year he went on a long trip to the coast. "
               "his big toe is red and swollen since monday. could it be gout? thanks so much for your time")
    found = focus(message, vocabulary(), topics=frozenset({"toe", "gout"}))
    assert found.text.startswith("swollen toe.")  # the subject line
    assert "could it be gout?" in found.text
    assert "coast" not in found.text and "thanks" not in found.text


def test_a_story_sentence_naming_the_condition_is_kept():
    message = ("i have a question about my mother who is 70 years old and lives alone in a small town. "
               "she was told last week that she has congenital diaphragmatic hernia and her doctor is away. "
               "the weather has been cold and she does not go out much lately. what should she do next?")
    found = focus(message, vocabulary(), topics=frozenset({"diaphragmat", "hernia"}))
    assert "diaphragmatic hernia" in found.text and "weather" not in found.text


def test_a_question_naming_no_topic_keeps_the_opening_line():
    message = ("gout in my big toe since the spring and my doctor gave me pills which i take every day at home. "
               "my family and friends say i should run less at the weekend and i walk a lot at work anyway. "
               "how can i make it stop hurting?")
    found = focus(message, vocabulary(), topics=frozenset({"gout"}))
    assert found.text.startswith("gout in my big toe") and found.text.endswith("stop hurting?")


def test_a_long_message_that_asks_nothing_keeps_its_sentences():
    message = ("my ankle is sprained since the weekend and the swelling is bad. i play football every "
               "saturday with my friends in the park and i fell badly. i need to walk to work every day")
    assert "sprained" in focus(message, vocabulary()).text


# --- spelling --------------------------------------------------------------------------

def test_a_misspelled_word_becomes_the_corpus_word_one_edit_away():
    speller = Speller.from_texts(TEXTS)
    assert speller.correct("how many tabkets a day") == ("how many tablets a day", speller.correct("tabkets")[1])
    assert speller.suggest("dianosed") == "diagnosed"


def test_known_words_short_words_and_acronyms_stay_as_typed():
    speller = Speller.from_texts(TEXTS)
    assert speller.suggest("seasonal") is None  # English, though the corpus never uses it
    assert speller.suggest("tablets") is None  # the corpus's own word
    assert speller.suggest("tabs") is None  # too short to guess
    assert speller.suggest("BRCAX") is None  # capitals inside: a symbol or a brand


def test_a_correction_must_be_a_word_the_corpus_uses_often():
    speller = Speller(Counter({"tablets": 2}))
    assert speller.suggest("tabkets") is None


# --- abbreviations ---------------------------------------------------------------------

def test_long_form_follows_the_letters_of_the_short_form():
    assert long_form("CDH", "babies born with congenital diaphragmatic hernia") == "congenital diaphragmatic hernia"
    assert long_form("XYZ", "babies born with a hole") is None


def test_a_defined_short_form_is_spelled_out_in_the_question():
    abbreviations = Abbreviations.from_texts(TEXTS)
    text, done = abbreviations.expand("can cdh be passed down")
    assert text == "can cdh (congenital diaphragmatic hernia) be passed down" and done[0].short == "cdh"


def test_a_short_form_that_is_also_a_plain_word_is_left_alone_unless_typed_in_capitals():
    abbreviations = Abbreviations.from_texts(TEXTS)
    assert abbreviations.expand("All the tests came back") == ("All the tests came back", [])
    assert abbreviations.expand("is all curable")[1] == []
    assert abbreviations.expand("is ALL curable")[0] == "is ALL (acute lymphoblastic leukemia) curable"
    assert abbreviations.expand("MY SON HAS ALL PAIN")[1] == []  # a message typed in capitals
    assert abbreviations.expand("what is stage IV gout")[1] == []  # a Roman numeral, not "intravenous"


def test_a_short_form_naming_an_article_is_left_as_typed():
    abbreviations = Abbreviations.from_texts(TEXTS, titles=["CDH and pregnancy"])
    assert abbreviations.expand("can cdh be passed down") == ("can cdh be passed down", [])


def test_a_short_form_the_message_spells_out_itself_is_left_alone():
    texts = TEXTS + ["Chronic daily headache (CDH) lasts for months. Chronic daily headache (CDH) is common."]
    abbreviations = Abbreviations.from_texts(texts)
    message = "congenital diaphragmatic hernia i need to know if CDH can be passed down to my kids"
    assert abbreviations.expand(message) == (message, [])


def test_of_two_long_forms_the_one_the_message_speaks_of_is_used():
    texts = TEXTS + ["Chronic daily headache (CDH) lasts for months. Chronic daily headache (CDH) is common. "
                     "Chronic daily headache (CDH) is treated with rest."]
    abbreviations = Abbreviations.from_texts(texts)
    assert abbreviations.forms["cdh"] == "chronic daily headache"  # the corpus's most used one
    text, _ = abbreviations.expand("my newborn has cdh, is the hernia on the left side worse")
    assert "(congenital diaphragmatic hernia)" in text
    text, _ = abbreviations.expand("does cdh get worse with stress, my headache never stops")
    assert "(chronic daily headache)" in text


def test_a_lower_case_word_english_uses_is_no_short_form():
    texts = TEXTS + ["Cancer antigen (CA) tests measure a protein in the blood."]
    abbreviations = Abbreviations.from_texts(texts)
    assert abbreviations.expand("i ca feel the skin has gone tight") == ("i ca feel the skin has gone tight", [])
    assert "(cancer antigen)" in abbreviations.expand("what does a high CA level mean")[0]


def test_a_typo_of_an_everyday_word_is_not_turned_into_a_rarer_corpus_word():
    speller = Speller(Counter({"induce": 5, "diagnosed": 9}))
    assert speller.suggest("intoduce") == "introduce"  # one edit from English, two from "induce"
    assert speller.suggest("dianosed") == "diagnosed"  # one edit from the corpus word: as before


def test_analysis_chains_focus_spelling_and_abbreviations():
    result = analyzer().analyze("how many tabkets of cdh medicine")
    assert result.text == "how many tablets of cdh (congenital diaphragmatic hernia) medicine"
    assert [c.typed for c in result.corrections] == ["tabkets"]


# --- with the real model ---------------------------------------------------------------

def test_a_long_messy_message_finds_what_it_asks(real_engine):
    message = ("knee pain question. hi there, hope you are well and thank you for this site. i have been "
               "running for about six years, mostly on weekends with a club, and i sit at a desk all week for "
               "work. last month the outside of my knee started hurting on longer runs and a friend mentioned "
               "my hips. can tight hamstrings cause it band pian? many thanks in advance")
    reply = real_engine.ask(message)
    assert reply.hits[0].doc == HAMSTRINGS and not reply.abstained
    assert "thank" not in reply.query and "six years" not in reply.query and "hamstrings" in reply.query


def test_a_misspelled_question_is_searched_spelled_right(real_engine):
    reply = real_engine.ask("can tight hamstirngs cause it band pian")
    assert "hamstrings" in reply.query
    assert reply.hits[0].doc == HAMSTRINGS


def test_a_long_message_is_encoded_once_for_search_and_urgent_check(engine, write, fake):
    """The urgent-care check reads meaning through the vector the search computed (the
    message's focus), so a long message costs one model call, not a second for the whole."""
    write("knee.txt", "Knee pain\n\nRunners get knee pain from tight hamstrings. Stretch them daily.\n")
    engine.index()
    message = ("hi there and thanks for the site. i run most weekends with a club and sit at a desk all "
               "week. last month the outside of my knee started to hurt. can tight hamstrings cause knee "
               "pain? many thanks in advance")
    before = fake.queries
    reply = engine.ask(message)
    assert reply.query != " ".join(message.split())  # searched by its focus
    assert fake.queries - before == 1
    before = fake.queries
    story = "hello. my dad is 70 and was fine at lunch. now his face is drooping and his words are slurred. what do we do?"
    assert engine.ask(story).urgent is not None and fake.queries - before == 1
