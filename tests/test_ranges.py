"""The values a figure can take (essaim.numbers.ranges) and the one reader of typed numbers
(essaim.numbers.entry): every rule, as every entry path applies it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from essaim.numbers.entry import read_number
from essaim.numbers.ranges import ValueRule, check_year, is_unusual, rules_of

RATE = ValueRule("rate", "%")
PER_THOUSAND = ValueRule("rate", "‰")
COUNT = ValueRule("count", "personnes")
AMOUNT = ValueRule("amount", "€")
AVERAGE = ValueRule("average", "€/mois")
SCORE_10 = ValueRule("score", "score /10", 0, 10)
OPEN_SCORE = ValueRule("score", "indice")


@pytest.mark.parametrize("rule,value,allowed", [
    (RATE, 0, True), (RATE, 100, True), (RATE, 100.1, False), (RATE, -0.1, False),
    (RATE, 49.8, True), (PER_THOUSAND, 999, True), (PER_THOUSAND, 1001, False),
    (COUNT, 12, True), (COUNT, 12.5, False), (COUNT, -3, False), (COUNT, 0, True),
    (AMOUNT, 1234.5, True), (AMOUNT, -1, False), (AVERAGE, 2083.4, True), (AVERAGE, -5, False),
    (SCORE_10, 10, True), (SCORE_10, 10.5, False), (SCORE_10, -1, False),
    (OPEN_SCORE, -7, True), (OPEN_SCORE, 1e6, True),
    (ValueRule("rate", "%", minimum=20), 10, False),  # a declared minimum tightens the range
    (ValueRule("count", "jours", 1, 730), 731, False), (ValueRule("count", "jours", 1, 730), 1, True),
])
def test_each_measure_allows_only_possible_values(rule, value, allowed):
    assert (rule.check(value) is None) == allowed


def test_a_refusal_states_the_rule_in_french():
    assert RATE.check(150) == "150 n'est pas possible : un taux en % va de 0 à 100"
    assert COUNT.check(12.5) == ("12,5 n'est pas possible : un effectif est un nombre entier et "
                                 "n'est jamais négatif")
    assert AVERAGE.check(-5) == "−5 n'est pas possible : une moyenne n'est jamais négative"
    assert SCORE_10.check(11) == "11 n'est pas possible : un score va de 0 à 10"
    assert PER_THOUSAND.describe() == "un taux en ‰ va de 0 à 1\u00a0000"


def test_a_rule_is_read_from_an_indicator_definition(dataset):
    rules = rules_of(dataset.indicators)
    assert rules["taux_sortie_emploi"] == RATE
    assert rules["bien_etre"].bounds() == (0.0, 10.0)
    assert rules["appropriation"].bounds() == (1.0, 5.0)
    assert rules["beneficiaires"].measure == "count"


@pytest.mark.parametrize("period,founded,reason", [
    ("2026", None, None), ("2027", None, "n'est pas encore arrivée"),
    ("2035", None, "n'est pas encore arrivée"), ("1989", None, "antérieure à 1990"),
    ("2011", 2012, "précède la création de TAPAJ (2012)"), ("2012", 2012, None),
    ("22", None, "quatre chiffres"), ("-0", None, "quatre chiffres"),
])
def test_a_year_is_neither_future_nor_before_the_innovation(period, founded, reason):
    found = check_year(period, founded_year=founded, today=dt.date(2026, 12, 7), what="TAPAJ")
    assert (found is None) if reason is None else (reason in found)


def test_a_value_far_from_the_other_territories_is_unusual_not_refused():
    others = pd.Series(range(13))  # a count whose values run from 0 to 12
    assert is_unusual(250, others) and not is_unusual(14, others)
    assert not is_unusual(250, pd.Series([1, 2, 3]))  # too few to compare with
    assert is_unusual(50, pd.Series([5, 5, 5, 5, 5, 5])) and not is_unusual(5, pd.Series([5] * 6))


@pytest.mark.parametrize("typed,rule,value,error", [
    ("12,5", RATE, 12.5, None), ("1 234", COUNT, 1234, None), ("1\u00a0234,5", AMOUNT, 1234.5, None),
    ("49,8 %", RATE, 49.8, None), ("0,5", RATE, 0.5, None), ("12.5", RATE, 12.5, None),
    ("1.234", AMOUNT, None, "ambigu"), ("2035", RATE, None, "va de 0 à 100"),
    ("-3", COUNT, None, "jamais négatif"), ("\u22123", OPEN_SCORE, -3, None),
    ("150", RATE, None, "va de 0 à 100"), ("beaucoup", None, None, "nombre non reconnu"),
    ("", RATE, None, "valeur à saisir"),
])
def test_one_reader_for_every_typed_number(typed, rule, value, error):
    entry = read_number(typed, rule)
    assert entry.value == value
    assert (entry.error is None) if error is None else (error in entry.error)
