"""The letters' error messages, in English and Danish, keyed by code (the catalogue style of
``flexcalc.parsing.inputs.MESSAGES``). Each names its field; the CLI exits 2 on them, the API answers by the
error's class (``KINDS``: 404 for an unknown correction, case or letter; 409 for a letter approved or sent
already, superseded or not the version seen; else 422)."""

from __future__ import annotations

from typing import Any

from flexcalc.errors import ConflictError, InputError, NotFoundError
from flexcalc.parsing.inputs import Message

MESSAGES: dict[str, Message] = {
    "unknown_correction": Message("there is no correction {id}", "der er ingen efterregulering {id}"),
    "unknown_case": Message("there is no case {id}", "der er ingen sag {id}"),
    "unknown_letter": Message("there is no letter {id}", "der er intet brev {id}"),
    "not_repayment": Message(
        "correction {id} is not a possible repayment (it is {status}): hearing and decision letters are only for a "
        "possible repayment",
        "efterregulering {id} er ikke en mulig tilbagebetaling (den er {status_da}): høringsbrev og afgørelsesbrev "
        "skrives kun om en mulig tilbagebetaling"),
    "decided": Message("correction {id} has a decision already ({outcome}): write the decision letter instead",
                       "efterregulering {id} er allerede afgjort ({outcome_da}): skriv afgørelsesbrevet i stedet"),
    "not_decided": Message(
        "correction {id} has no decision yet: record it first (flexcalc corrections decide {id} ...)",
        "efterregulering {id} er ikke afgjort endnu: registrér afgørelsen først (flexcalc corrections decide {id} "
        "...)"),
    "other_case": Message("correction {id} belongs to case {other}, not {case}: one letter is about one case",
                          "efterregulering {id} hører til sag {other}, ikke {case}: et brev handler om én sag"),
    "duplicate": Message("correction {id} is named twice", "efterregulering {id} er nævnt to gange"),
    "too_many": Message("at most {limit} corrections in one letter", "højst {limit} efterreguleringer i ét brev"),
    "before_correction": Message(
        "the letter's date {date} is before the correction {id} was recorded ({known})",
        "brevets dato {date_da} ligger før efterregulering {id} blev registreret ({known_da})"),
    "before_decision": Message(
        "the letter's date {date} is before the decision was made ({known})",
        "brevets dato {date_da} ligger før afgørelsen blev truffet ({known_da})"),
    "before_payment": Message(
        "the letter's date {date} is before {month} was paid ({known})",
        "brevets dato {date_da} ligger før {month_da} blev udbetalt ({known_da})"),
    "reply_not_after": Message("the reply date {reply_by} must be after the letter's date {date}",
                               "svarfristen {reply_by_da} skal ligge efter brevets dato {date_da}"),
    "reply_too_far": Message("the reply date {reply_by} is more than {days} days after the letter's date",
                             "svarfristen {reply_by_da} ligger mere end {days} dage efter brevets dato"),
    "not_paid": Message("case {case} has no payment for {month}: a specification is written for a paid month",
                        "sag {case} har ingen udbetaling for {month_da}: en specifikation skrives for en udbetalt "
                        "måned"),
    "held": Message("{month} of case {case} is held awaiting a report: it has no payment to specify yet",
                    "{month_da} i sag {case} er tilbageholdt og afventer indberetning: der er ingen udbetaling endnu"),
    "missing": Message("is required", "skal udfyldes"),
    "format": Message("must be text, html, pdf or memo", "skal være text, html, pdf eller memo"),
    "pdf_needs_output": Message("a PDF is written to a file: give --output FILE",
                                "en PDF skrives til en fil: angiv --output FIL"),
    "output": Message("cannot write {path}", "kan ikke skrive {path}"),
    "channel": Message("must be digital_post, post or in_person",
                       "skal være digital_post (Digital Post), post (brev) eller in_person (udleveret)"),
    "already_approved": Message("letter {id} is approved already ({by}, {at})",
                                "brev {id} er allerede godkendt ({by}, {at})"),
    "not_approved": Message("letter {id} is a draft: approve it before it is sent",
                            "brev {id} er en kladde: godkend det, før det sendes"),
    "already_sent": Message("letter {id} is marked sent already ({by}, {at})",
                            "brev {id} er allerede markeret som sendt ({by}, {at})"),
    "sent_before_approval": Message("the letter cannot have been sent ({at}) before it was approved ({approved})",
                                    "brevet kan ikke være sendt ({at}) før det blev godkendt ({approved})"),
    "sent_in_future": Message("{at} is in the future", "{at} ligger i fremtiden"),
    "no_municipality": Message(
        "no municipality profile is set: set {env} to the profile file (README, Letters), or to demo for the demo data",
        "der er ingen kommuneprofil: sæt {env} til profilens fil (README, Letters), eller til demo for demodata"),
    "municipality_unreadable": Message("cannot read the municipality profile {path}",
                                       "kan ikke læse kommuneprofilen {path}"),
    "municipality_invalid": Message("the municipality profile {path} is not valid: {reason}",
                                    "kommuneprofilen {path} er ikke gyldig: {reason}"),
    "draft_channel": Message("must be digital_post or paper (how the letter will be sent decides its deadline)",
                             "skal være digital_post (Digital Post) eller paper (papirbrev): det afgør brevets frist"),
    "channel_mismatch": Message(
        "letter {id} was written for {drafted}; it cannot be recorded as sent by {channel} (its deadline would be "
        "wrong): draft it again for that channel",
        "brev {id} er skrevet til {drafted_da}; det kan ikke registreres som sendt med {channel_da} (fristen i "
        "brevet ville være forkert): lav et nyt udkast til den kanal"),
    "superseded": Message("letter {id} has a newer draft ({newer}): approve or send that one",
                          "brev {id} har et nyere udkast ({newer}): godkend eller send det"),
    "stale_letter": Message(
        "letter {id} is not the version you saw (its content is {actual}, you saw {expected}): reload it",
        "brev {id} er ikke den udgave, du så (indholdet er {actual}, du så {expected}): hent det igen"),
}


KINDS: dict[str, type[InputError]] = {
    "unknown_correction": NotFoundError, "unknown_case": NotFoundError, "unknown_letter": NotFoundError,
    "already_approved": ConflictError, "already_sent": ConflictError, "superseded": ConflictError,
    "stale_letter": ConflictError,
}
"""The messages that are not plain bad input: the thing named does not exist, or the letter is past that
step already (every other message is an ``InputError``)."""


def letter_error(field: str, key: str, **params: Any) -> InputError:
    """The catalogue's message ``key`` for ``field``; the error's code is the key, its class the kind."""
    message = MESSAGES[key]
    kind = KINDS.get(key, InputError)
    return kind(field, message.en.format(**params), message.da.format(**params), code=key)
