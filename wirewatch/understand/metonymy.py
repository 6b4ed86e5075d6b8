"""Whether a place mention stands for its government or people as an agent.

"Moscow has denied", "Moscow's refusal", "Ukraine and the West accuse Moscow": the place acts,
says or is pressed, so it is ``metonymic``; "a visit to Kiev" is a location. Decided from the
dependency parse: the mention's role (subject, possessor, object, object of a preposition) and
the word that governs it.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

__all__ = ["is_metonymic"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs whose subject is an agent that says, decides or acts politically: a place as their
# subject is its government or people ("Moscow has denied", "Ukraine sees NATO accession").
_AGENT_VERBS = _words(
    """
    accept accuse acknowledge admit agree aim allow announce annex apologise apologize appeal
    apply approve argue arm arrest ask assert attack back ban bar battle blame block bomb
    boycott call campaign cancel capture charge claim close commit condemn confirm consider
    continue cooperate counter criticise criticize cut decide declare decline defend delay
    demand deny deploy deport detain dismiss dispute downplay drop ease echo expel express
    extradite fear fight file fund give grant halt help hit host impose increase inform insist
    intend intervene invade invite issue join keep lead launch lift lobby maintain mediate
    meet move negotiate nominate note object offer open oppose order pass pay plan pledge
    praise prepare press pressure promise propose protest provide push raise ratify react
    recall receive recognise recognize refuse reiterate reject release repeat reply request
    respond restore resume retaliate retract revoke rule sanction say seek seize send shell
    sign signal slam smuggle stand state stop strike submit suggest summon supply support
    suspend take talk target tell threaten train try update urge veto view violate vote vow
    want warn welcome withdraw
    """
)
# Verbs whose direct object is addressed or pressed as an agent ("accuse Moscow", "urged
# Moscow to take"), unlike the object of "visit" or "bomb", which is a location.
_ADDRESS_VERBS = _words(
    """
    accuse advise allow ask back blame call caution condemn congratulate convince criticise
    criticize encourage force help invite lobby persuade praise press pressure punish push
    reassure sanction support tell thank threaten urge warn
    """
)
# Nouns naming an act or stance: the possessor is its agent ("Moscow's refusal", "Russia's
# annexation of Crimea"), unlike "Ukraine's east" or "Ukraine's parliament".
_ACTION_NOUNS = _words(
    """
    accession acceptance accusation action agreement aggression aid annexation answer appeal
    approach approval argument assault attack attempt backing ban bid blockade call campaign
    claim commitment concern condemnation consent crackdown decision declaration defiance
    demand denial deployment detention effort embargo engagement incursion insistence
    intervention invasion involvement move objection offensive offer opposition plan pledge
    policy position posture pressure promise proposal protest push rapprochement reaction
    recognition refusal rejection reluctance request response retaliation stance statement
    strategy support suspension threat ultimatum veto view warning withdrawal
    """
)
# Nouns and verbs whose "with" or "between" partners are parties, not locations ("ties between
# Moscow and the West", "talks with Tehran").
_RELATION_WORDS = _words(
    """
    agreement alliance clash conflict cooperate cooperation deal dialogue dispute feud
    negotiate negotiation partnership rapprochement relation relationship rift row solidarity
    spat stand standoff talk tension tie treaty truce war
    """
)
# Nouns whose "on" object is the party pressed ("sanctions on Russia"), not a location.
_PRESSURE_NOUNS = _words(
    "ban blockade demand duty embargo pressure restriction sanction tariff war"
)
_SUPPORT_NOUNS = _words("aid assistance backing help solidarity support sympathy")
_PHYSICAL_ATTACKS = _words(
    "airstrike assault attack bombardment bombing offensive raid shelling strike"
)


def is_metonymic(doc: Doc, start: int, end: int) -> bool:
    """Whether the place named at ``text[start:end]`` acts, says or is pressed as an agent."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token = span.root
    # "Ukraine and the West accuse": every conjunct plays the first one's part; "former master
    # Moscow": an apposition plays its head's part.
    for _ in range(4):
        if token.dep_ in ("conj", "appos") and token.head.i != token.i:
            token = token.head
        else:
            break
    head = token.head
    dep = token.dep_
    if dep == "nsubj":
        return _acts(head)
    if dep == "nsubjpass":
        return head.lemma_.lower() in _ADDRESS_VERBS
    if dep == "poss":
        return head.lemma_.lower() in _ACTION_NOUNS
    if dep == "dobj":
        return head.lemma_.lower() in _ADDRESS_VERBS
    if dep == "pobj":
        return _party_of_preposition(head)
    return False


def _acts(verb: Token) -> bool:
    """Whether ``verb`` (or the verb it leads to: "has yet to apply", "is ready to join") says,
    decides or acts."""
    frontier = [verb]
    for _ in range(3):
        next_frontier: list[Token] = []
        for word in frontier:
            lemma = word.lemma_.lower()
            if lemma in _AGENT_VERBS:
                return True
            # "Ukraine sees NATO accession as a way": seeing something as something is a view.
            if lemma == "see" and any(_has_as(c) for c in (word, *word.children)):
                return True
            next_frontier.extend(c for c in word.children if c.dep_ in ("xcomp", "acomp", "ccomp"))
        frontier = next_frontier
    return False


def _has_as(token: Token) -> bool:
    return any(child.lower_ == "as" and child.dep_ == "prep" for child in token.children)


def _party_of_preposition(preposition: Token) -> bool:
    """Whether the object of ``preposition`` is a party rather than a location."""
    word = preposition.lower_
    governor = preposition.head
    lemma = governor.lemma_.lower()
    if preposition.dep_ == "agent":  # "was rejected by Moscow"
        return True
    if word == "by":  # "stand by Ukraine"
        return lemma == "stand"
    if word == "against":
        return lemma not in _PHYSICAL_ATTACKS
    if word in ("with", "between"):
        return lemma in _RELATION_WORDS
    if word == "on":
        return lemma in _PRESSURE_NOUNS
    if word == "for":
        return lemma in _SUPPORT_NOUNS
    return False
