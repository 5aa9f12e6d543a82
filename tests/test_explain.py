"""Plain words for a result: lay names, why we think so, plain engine text, short citations."""

from __future__ import annotations

import re

from backstride.engine.assessment import assess
from backstride.engine.evidence import Evidence
from backstride.engine.interview import Interview
from backstride.explain import author_year, causes_in_words, cite, plain, short_citation
from backstride.kb import KnowledgeBase
from tests.screening import SCREENED

PIRIFORMIS = {
    **SCREENED,
    "runner": True,
    "pain_buttock": True,
    "pain_one_side": True,
    "worse_sitting": True,
    "seated_piriformis_stretch_pain": True,
    "localised_tender_spot": True,
    "leg_pain_below_knee": False,
    "slr_reproduces_leg_pain": False,
}


def test_causes_are_named_in_words_with_their_strongest_answers(kb: KnowledgeBase) -> None:
    causes = causes_in_words(assess(Evidence(PIRIFORMIS), kb), kb)
    assert 1 <= len(causes) <= 3
    top = causes[0]
    assert top.id == "deep_gluteal_piriformis"
    assert top.name == kb.wording.name("deep_gluteal_piriformis")
    assert 1 <= len(top.reasons_for) <= 3
    assert "pain when you sit" in top.why() or "pain in the buttock" in top.why()
    for cause in causes:
        assert "_" not in cause.why() and not re.search(r"\d\.\d", cause.why())
    against = [c.against() for c in causes if c.against()]
    assert against and all(a.endswith("which fits other causes better") for a in against)


def test_an_emergency_names_only_what_the_warning_sign_points_to(kb: KnowledgeBase) -> None:
    result = assess(Evidence({"saddle_numbness": True, "runner": True}), kb)
    causes = causes_in_words(result, kb)
    assert [c.id for c in causes] == ["cauda_equina_syndrome"]
    assert causes[0].flagged and "genitals" in causes[0].why()


def test_plain_turns_engine_text_into_everyday_words(kb: KnowledgeBase) -> None:
    interview = Interview(kb, Evidence({**SCREENED, "runner": True, "pain_buttock": True}))
    seen = 0
    while (q := interview.next_question()) is not None and seen < 8:
        text = plain(q.why, kb)
        assert "/" not in text, text
        for c in kb.conditions:
            assert c.name.lower() not in text.lower(), text
        interview.answer({i.finding: None for i in q.items})
        seen += 1
    fracture = "Groin pain can be a femoral neck stress fracture, which can break fully."
    assert plain(fracture, kb) == (
        "Groin pain can be a stress fracture at the top of the thigh bone, which can break fully."
    )
    rule = "Together with what you have told us ('Are you 50 or older': yes), it matters."
    assert plain(rule, kb) == "Together with what you have told us (aged 50 or over), it matters."


def test_short_citations_name_author_year_and_title_never_the_key(kb: KnowledgeBase) -> None:
    assert short_citation(kb.sources["fishman2002"]) == "Fishman et al. 2002, Piriformis syndrome"
    assert author_year(kb.sources["deyo1988"]) == "Deyo and Diehl 1988"
    assert author_year(kb.sources["ex_silbernagel2007"]) == "Silbernagel et al. 2007"
    for sid, source in kb.sources.items():
        text = short_citation(source)
        assert sid not in text and "shared/" not in text and "_" not in text, sid
        assert len(text) <= 120, sid
        if source.kind != "shared":
            assert re.search(r"\b(19|20)\d\d\b", text), sid
    assert cite(["nice_ng59", "no_such", "nice_ng59"], kb).count("2016") == 1
    assert cite([], kb, estimate=True) == "our estimate"
