"""Labels on real text with the real shipped model: the seed article and the hand-written cases."""

import pytest

from evaluation.articles import ARTICLES, check

pytestmark = pytest.mark.model


def find(claims, prefix_or_substring: str):
    hits = [c for c in claims if prefix_or_substring in c["text"]]
    assert len(hits) == 1, f"{prefix_or_substring!r} matched {len(hits)} claims: {[c['text'] for c in claims]}"
    return hits[0]


def verify(client, text: str) -> dict:
    resp = client.post("/v1/verify", json={"text": text})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def describe(body) -> str:
    return (
        "\n".join(
            f"{c['id']} {c['label']} {c['confidence']} {c['speaker']} | {c['content']} | "
            f"{[(e['relation'], e['score']) for e in c['evidence']]}"
            for c in body["claims"]
        )
        + f"\ncontradictions: {body['contradictions']}"
    )


def test_seed_trump_putin_claim_is_unverified_with_the_non_committal_kremlin(real_client, seed_text):
    body = verify(real_client, seed_text)
    claim = find(body["claims"], "he had talked with Russian President Vladimir Putin")
    assert claim["label"] == "unverified", describe(body)
    assert claim["speaker"] == "Donald Trump"
    assert claim["content"] == "Trump had talked with Russian President Vladimir Putin."
    hedges = [e["text"] for e in claim["evidence"] if e["relation"] == "non_committal"]
    assert any("can neither deny nor confirm this news" in h for h in hedges), describe(body)
    # "it was unclear when the leaders spoke" doubts a claim about the two leaders' talks (the lede or
    # "how many times he has spoken with Putin"): shown on one of them, never as support or refutation
    talks = [
        c for c in body["claims"] if "talked with Russian" in c["text"] or "how many times he has spoken" in c["text"]
    ]
    shown = [e for c in talks for e in c["evidence"] if "It was unclear when the leaders spoke" in e["text"]]
    assert shown and all(e["relation"] == "non_committal" for e in shown), describe(body)


def test_seed_kremlin_and_senator_deny_each_other(real_client, seed_text):
    body = verify(real_client, seed_text)
    kremlin = find(body["claims"], "no substantive talks on a possible meeting")
    senator = find(body["claims"], "“advanced” arrangements for a meeting were underway")
    pairs = [set(c["claim_ids"]) for c in body["contradictions"]]
    assert {kremlin["id"], senator["id"]} in pairs, describe(body)
    denied_with_other = [
        (a, b)
        for a, b in ((kremlin, senator), (senator, kremlin))
        if a["label"] == "denied"
        and any(e["start"] == b["start"] and e["relation"] == "refutes" for e in a["evidence"])
    ]
    assert denied_with_other, describe(body)


def test_seed_reports_only_the_kremlin_senator_pair_and_confirms_no_speculation(real_client, seed_text):
    """ "I will probably be talking to President Putin" is a forecast: it is not contradicted by "no substantive
    talks on a possible meeting" (2.0 reported that pair at 0.93), and Peskov's "there could be something I
    don't know" is a possibility, never *confirmed*."""
    body = verify(real_client, seed_text)
    kremlin = find(body["claims"], "no substantive talks on a possible meeting")
    senator = find(body["claims"], "“advanced” arrangements for a meeting were underway")
    assert [set(c["claim_ids"]) for c in body["contradictions"]] == [{kremlin["id"], senator["id"]}], describe(body)
    assert find(body["claims"], "there could be something I don’t know")["label"] == "unverified", describe(body)
    assert find(body["claims"], "I will probably be talking to President Putin")["label"] == "unverified"


def test_seed_offsets_and_quote_speaker(real_client, seed_text):
    body = verify(real_client, seed_text)
    for claim in body["claims"]:
        assert seed_text[claim["start"] : claim["end"]] == claim["text"]
    so = find(body["claims"], "“So…there could be something I don’t know,” Peskov stated.")
    assert so["speaker"] == "Dmitry Peskov"


# Measured misses of the shipped 2.0 model, kept visible (strict: the test fails once they pass again).
# The negation counter-data made the model slower to call contradiction: "killed 12" vs "killed 3" reads
# P(contradiction) 0.39 (1.1.0: 0.64), "no worker will lose their job" vs "300 workers will lose their jobs"
# stays under the 0.6 threshold.  See the model card, "Known failure modes".
KNOWN_MISSES = {
    "denied_by_conflicting_numbers": "2.0 reads a conflicting figure at P(contradiction) 0.39",
    "multi_sentence_quote": "2.0 reads 'no worker will lose' vs '300 will lose' under the threshold",
}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(a, marks=pytest.mark.xfail(reason=KNOWN_MISSES[a["name"]], strict=True))
        if a["name"] in KNOWN_MISSES
        else a
        for a in ARTICLES
    ],
    ids=[a["name"] for a in ARTICLES],
)
def test_article(real_client, case):
    body = verify(real_client, case["text"])
    failed = [what for what, ok in check(case, body) if not ok]
    assert not failed, f"{failed}\n{describe(body)}"


def test_an_article_gets_the_same_answer_alone_in_a_batch_or_after_an_edit(real_app, seed_text):
    """int8 that scales each row on its own: batch company and the memo never change a label."""
    from claimcheck.pipeline import Verifier

    runtime = real_app.extensions["claimcheck"]
    v = runtime.verifier
    cold = Verifier(v.nli, v.embedder, v.parser, v.options, 0, v.learned)
    other = ARTICLES[2]["text"]

    def answer(result):
        return [(v.claim.id, v.label, v.confidence) for v in result.verdicts], result.contradictions

    assert answer(cold.verify_many([seed_text, other])[0]) == answer(cold.verify(seed_text))
    warm = Verifier(cold.nli, cold.embedder, cold.parser, cold.options, 10_000, cold.learned)
    warm.verify(seed_text)
    edited = seed_text.replace("Every day, people die.", "Every single day, people die.", 1)
    assert answer(warm.verify(edited)) == answer(cold.verify(edited))
