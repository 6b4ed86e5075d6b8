"""Families of codes: what an event becomes as the object of intent, threat, demand or refusal.

"offered to negotiate" (046) is an intent to meet (036); "threatened to impose sanctions" (163)
a threat of sanctions (1312); "urged Russia to withdraw" (0874) a demand for withdrawal (106);
"refused to release" (0841) a refusal to release (1243). The most specific prefix of the event's
code in the family's table gives the new code, else the family's default.
"""

from __future__ import annotations

INTENT = {
    "04": "036", "045": "039", "05": "032", "06": "031", "061": "0311", "062": "0312",
    "063": "0313", "064": "0314", "07": "033", "071": "0331", "072": "0332", "073": "0333",
    "074": "0334", "08": "035", "081": "0351", "083": "034", "0831": "0341", "0832": "0342",
    "0833": "0343", "0834": "0344", "0841": "0353", "0842": "0353", "085": "0354",
    "086": "0355", "087": "0356", "0871": "0356", "0874": "0356",
}  # fmt: skip
THREAT = {
    "18": "138", "180": "1383", "181": "1383", "183": "1383", "186": "1383", "19": "138",
    "190": "1384", "191": "1381", "192": "1382", "195": "1384", "20": "138", "204": "1385",
    "2041": "1385", "2042": "1385", "16": "131", "161": "1313", "162": "1311", "163": "1312",
    "164": "134", "165": "135", "166": "136", "17": "137", "172": "132", "1721": "1321",
    "1722": "1322", "1723": "1323", "1724": "1324", "175": "137", "14": "133",
}  # fmt: skip
DEMAND = {
    "04": "108", "045": "105", "05": "102", "06": "1011", "062": "1012", "063": "1013",
    "064": "1014", "07": "103", "071": "1031", "072": "1032", "073": "1033", "074": "1034",
    "08": "100", "081": "1051", "082": "1052", "083": "104", "0831": "1041", "0832": "1042",
    "0833": "1043", "0834": "1044", "084": "1053", "0841": "1053", "0842": "1053",
    "085": "1054", "086": "1055", "087": "1056", "0871": "107", "0874": "106", "09": "101",
}  # fmt: skip
REFUSE = {
    "04": "125", "045": "126", "06": "121", "061": "1211", "062": "1212", "07": "122",
    "071": "1221", "072": "1222", "073": "1223", "074": "1224", "08": "124", "081": "1241",
    "082": "1242", "083": "123", "0831": "1231", "0832": "1232", "0833": "1233",
    "0834": "1234", "0841": "1243", "0842": "1243", "085": "1244", "086": "1245",
    "087": "1246", "0871": "1246", "0874": "1246",
}  # fmt: skip

FAMILIES: dict[str, tuple[dict[str, str], str]] = {
    **{
        verb: (INTENT, "030")
        for verb in (
            "agree",
            "offer",
            "pledge",
            "promise",
            "vow",
            "decide",
            "plan",
            "intend",
            "commit",
            "undertake",
        )
    },
    "threaten": (THREAT, "130"),
    **{
        verb: (DEMAND, "100")
        for verb in (
            "demand",
            "urge",
            "call",
            "press",
            "ask",
            "order",
            "appeal",
            "implore",
            "insist",
            "pressure",
            "push",
            "request",
        )
    },
    **{verb: (REFUSE, "120") for verb in ("refuse", "reject", "decline")},
}


def family_code(table: dict[str, str], default: str, code: str) -> str:
    for prefix in (code, code[:3], code[:2]):
        if prefix in table:
            return table[prefix]
    return default


def demand_code(code: str) -> str:
    """The code of a demand that ``code``'s event happen ("must withdraw": 106)."""
    return family_code(DEMAND, "100", code)


def is_demand(lemma: str) -> bool:
    family = FAMILIES.get(lemma)
    return family is not None and family[0] is DEMAND


# Adjectives of readiness: "is willing to withdraw" is an intent (or a threat), as "will".
READINESS = frozenset({"willing", "ready", "prepared", "determined", "eager", "poised"})


def future_code(code: str) -> str:
    """The code of an announced future act: intent for cooperation, threat for conflict."""
    if code.startswith(("01", "02", "03", "10", "11", "12", "13")):
        return code  # statements, appeals and threats are already speech acts
    table, default = (THREAT, "130") if int(code[:2]) >= 14 else (INTENT, "030")
    return family_code(table, default, code)
