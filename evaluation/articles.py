"""Short articles written for the tests, each with the labels a newsroom editor would give.

``expect`` maps a unique substring of a claim sentence to its label; ``contradictions`` lists pairs
of such substrings that must be reported as a contradiction pair.
"""

ARTICLES = [
    {
        "name": "denied_by_reference",
        "text": (
            "The Daily Post reported that the mayor had resigned after the budget vote. "
            "The mayor's office dismissed the report as false. "
            "The council approved a new stadium budget on Monday."
        ),
        "expect": {"Daily Post reported": "denied", "stadium budget": "unverified"},
        "contradictions": [("Daily Post reported", "dismissed the report")],
    },
    {
        "name": "confirmed_by_independent_source",
        "text": (
            "The city council approved a budget of $4 million for the new library on Tuesday, Mayor Ana Ruiz said. "
            "Council clerk Tom Baker confirmed that the council approved the $4 million library budget on Tuesday."
        ),
        "expect": {"Mayor Ana Ruiz said": "confirmed"},
    },
    {
        "name": "confirmed_by_restatement",
        "text": (
            "Heavy rain flooded the main highway near Lyon on Sunday, police said. "
            "A spokesman for the regional road authority said the highway near Lyon was flooded by heavy rain "
            "on Sunday."
        ),
        "expect": {"police said": "confirmed"},
    },
    {
        "name": "denied_explicitly",
        "text": (
            "The carmaker is preparing to cut 500 jobs at its Turin plant, a union leader said on Monday. "
            "The carmaker denied that it is preparing to cut jobs at the Turin plant."
        ),
        "expect": {"a union leader said": "denied"},
        "contradictions": [("a union leader said", "The carmaker denied")],
    },
    {
        "name": "denied_by_conflicting_numbers",
        "text": (
            "The fire at the warehouse killed 12 people, local officials said on Monday. "
            "The national fire service said the fire at the warehouse killed 3 people."
        ),
        "expect_any_denied": ["local officials said", "national fire service"],
        "contradictions": [("local officials said", "national fire service")],
    },
    {
        "name": "denied_by_negation",
        "text": (
            "The old bridge is safe for heavy traffic, the transport ministry said. "
            "Independent engineers said the old bridge is not safe for heavy traffic."
        ),
        "expect_any_denied": ["transport ministry said", "Independent engineers said"],
        "contradictions": [("transport ministry said", "Independent engineers said")],
    },
    {
        "name": "unverified_single_source",
        "text": (
            "The minister will resign next week, a newspaper reported, citing an unnamed source. "
            "The minister's office has scheduled a trip to Brussels for Thursday."
        ),
        "expect": {"The minister will resign": "unverified"},
    },
    {
        "name": "unverified_declined_to_comment",
        "text": (
            "The striker has signed a five-year contract with Real Madrid, according to Spanish media. "
            "The club declined to comment on the reports."
        ),
        "expect": {"The striker has signed": "unverified"},
        "non_committal": {"The striker has signed": "The club declined"},
    },
    {
        "name": "unverified_not_independently_verified",
        "text": (
            "Rebel fighters captured the city airport on Friday, a rebel commander said. "
            "The claim could not be independently verified."
        ),
        "expect": {"Rebel fighters captured": "unverified"},
        "non_committal": {"Rebel fighters captured": "could not be independently verified"},
    },
    {
        "name": "unverified_same_speaker_repeats",
        "text": (
            "Senator Maria Lopez said the housing bill will pass this week. "
            "Later, Lopez told reporters that the housing bill will pass this week."
        ),
        "expect": {"Senator Maria Lopez said": "unverified"},
    },
    {
        "name": "unverified_unclear_whether",
        "text": (
            "The talks in Geneva produced a ceasefire agreement, state television reported. "
            "It was unclear whether the talks in Geneva produced any agreement."
        ),
        "expect": {"The talks in Geneva produced a ceasefire": "unverified"},
    },
    {
        "name": "unverified_no_information",
        "text": (
            "Two soldiers were killed in a border clash on Tuesday, a local commander said. "
            "The defence ministry said it had no information about soldiers killed in the border clash."
        ),
        "expect": {"Two soldiers were killed": "unverified"},
    },
    {
        "name": "reported_speech_confirmed",
        "text": (
            "Health Minister Karen Olsen said on Wednesday that the hospital had treated 40 patients after the crash. "
            "A hospital spokesperson confirmed that 40 patients had been treated at the hospital after the crash."
        ),
        "expect": {"Health Minister Karen Olsen said": "confirmed"},
        "speakers": {"Health Minister Karen Olsen said": "Karen Olsen"},
        "content": {"Health Minister Karen Olsen said": "The hospital had treated 40 patients after the crash."},
    },
    {
        "name": "multi_sentence_quote",
        "text": (
            "“We are closing the factory in Leeds. Production will move to Poland. No worker will lose their job,” "
            "chief executive Mark Lee said. A union official said that 300 workers will lose their jobs when the "
            "Leeds factory closes."
        ),
        "speakers": {
            "“We are closing the factory": "Mark Lee",
            "Production will move": "Mark Lee",
            "No worker will lose": "Mark Lee",
        },
        "expect_any_denied": ["No worker will lose", "A union official said"],
    },
    {
        "name": "denial_of_contact_is_not_a_denial_of_the_plan",
        "text": (
            "The city will close four public libraries in March to save $2 million, Mayor Ana Ruiz announced on "
            "Monday. The mayor's office confirmed that she had signed the order.\n\n"
            "The librarians' union denied that it had been consulted. “Nobody from the city has spoken to us about "
            "closures,” said union president Tom Hale. City records show the union had been briefed on the plan in "
            "February."
        ),
        "expect": {"The city will close four public libraries": "unverified"},
        "no_contradictions": [("The city will close four public libraries", "Nobody from the city")],
        "content": {
            "The mayor's office confirmed": "Ruiz had signed the order.",
            "“Nobody from the city": "Nobody from the city has spoken to us about closures.",
        },
        "speakers": {"“Nobody from the city": "Tom Hale", "The librarians' union denied": "The librarians' union"},
    },
    {
        "name": "unverified_nothing_related",
        "text": (
            "The museum will reopen in June, its director said. "
            "Visitors will be able to see a new dinosaur exhibit on the second floor."
        ),
        "expect": {"The museum will reopen": "unverified"},
    },
]


def find(claims: list[dict], substring: str) -> dict | None:
    hits = [c for c in claims if substring in c["text"]]
    return hits[0] if len(hits) == 1 else None


def check(case: dict, body: dict) -> list[tuple[str, bool]]:
    """Every expectation of ``case`` against an API response body, as (description, met)."""
    claims, out = body["claims"], []
    pairs = [set(c["claim_ids"]) for c in body["contradictions"]]

    def field(key: str, name: str):
        claim = find(claims, key)
        return claim[name] if claim else None

    for key, label in case.get("expect", {}).items():
        out.append((f"{key!r} is {label}", field(key, "label") == label))
    if "expect_any_denied" in case:
        labels = [field(k, "label") for k in case["expect_any_denied"]]
        out.append((f"one of {case['expect_any_denied']} is denied", "denied" in labels))
    for a, b in case.get("contradictions", []):
        ids = {field(a, "id"), field(b, "id")}
        out.append((f"{a!r} contradicts {b!r}", None not in ids and ids in pairs))
    for a, b in case.get("no_contradictions", []):
        ids = {field(a, "id"), field(b, "id")}
        out.append((f"{a!r} is not paired with {b!r}", None not in ids and ids not in pairs))
    for key, hedge in case.get("non_committal", {}).items():
        evidence = field(key, "evidence") or []
        out.append(
            (
                f"{key!r} shows {hedge!r} as non-committal",
                any(hedge in e["text"] and e["relation"] == "non_committal" for e in evidence),
            )
        )
    for key, speaker in case.get("speakers", {}).items():
        out.append((f"{key!r} said by {speaker}", field(key, "speaker") == speaker))
    for key, content in case.get("content", {}).items():
        out.append((f"{key!r} asserts {content!r}", field(key, "content") == content))
    return out


# The seed's expectations (README's flagship case), checked by evaluation.quality like the articles above.
SEED_EXPECTATIONS = {
    "expect": {"he had talked with Russian President Vladimir Putin": "unverified"},
    "contradictions": [("no substantive talks on a possible meeting", "“advanced” arrangements for a meeting")],
    "max_pairs": 2,
}


def check_article(case: dict, result) -> tuple[int, int, list[str]]:
    """(expectations met, expectations, descriptions of the failed ones) for a pipeline result."""
    from claimcheck.contract.payload import result_to_json

    body = result_to_json(result)
    checks = check(case, body)
    if "max_pairs" in case:
        checks.append(
            (
                f"at most {case['max_pairs']} pairs (got {len(body['contradictions'])})",
                len(body["contradictions"]) <= case["max_pairs"],
            )
        )
    return sum(ok for _, ok in checks), len(checks), [what for what, ok in checks if not ok]
