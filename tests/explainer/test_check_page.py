"""The page "Tjek din udbetaling", driven by Streamlit's testing API: the hand-computed cases give the same
differences and causes as the core, Danish amounts are read, a typo names its field and keeps the others,
the draft is offered for download, and the page's text is plain Danish (LIX ≤ 35)."""

from __future__ import annotations

import re
from pathlib import Path

import textstat
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "explainer" / "pages" / "30_tjek_din_udbetaling.py")


def run(**inputs: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in inputs.items():
        at.session_state[key] = value
    return at.run()


def verdict(at: AppTest) -> str:
    return next(s.value for s in at.subheader if s.value.startswith("I alt"))


def lix(text: str) -> float:
    textstat.set_lang("da")
    text = text.replace(" kr.", " kroner").replace("\u00a0kr.", " kroner")
    text = re.sub(r"(\d)\. ", r"\1 ", text)
    return float(textstat.lix(text))


def texts(at: AppTest) -> list[str]:
    return ([m.value for m in at.markdown] + [w.value for w in at.warning] + [s.value for s in at.success]
            + [s.value for s in at.subheader] + [t.value for t in at.title] + [c.value for c in at.caption]
            + [i.value for i in at.info])


PENSION = {"check_month_0": "2024-03", "check_paid_0": "15.452", "check_used_wage_0": "15.000",
           "check_wage_0": "16.800", "check_pension_0": "1.800", "check_ceiling_0": "32.000"}


def test_pension_missing_through_the_page_with_danish_amounts() -> None:
    at = run(**PENSION)
    assert not at.exception and not at.error
    assert verdict(at) == "I alt har du fået 659,25\u00a0kr. for meget."
    table = at.table[0].value
    assert table.loc["marts 2024"]["Rigtigt tilskud"] == "14.792,75\u00a0kr."
    assert table.loc["marts 2024"]["Forskel"] == "-659,25\u00a0kr."
    assert any("Pensionen mangler i lønnen" in m.value for m in at.markdown)
    assert any("vidste eller burde vide" in w.value for w in at.warning)
    labels = [b.label for b in at.get("download_button")]
    assert "Hent udkastet som PDF" in labels and "Hent udkastet som tekst" in labels


def test_ferietillaeg_in_the_wrong_month_through_the_page() -> None:
    at = run(check_count="2", check_month_0="2024-06", check_paid_0="15092", check_used_wage_0="16200",
             check_wage_0="18.000", check_pension_0="1.200", check_holiday_0="1.800", check_ceiling_0="34.000",
             check_month_1="2024-07", check_paid_1="14132,75", check_used_wage_1="18.000", check_wage_1="16.200",
             check_pension_1="1.200", check_ceiling_1="34.000", check_received="2024-08-05")
    assert not at.exception and not at.error
    table = at.table[0].value
    assert table.loc["juni 2024"]["Forskel"] == "-959,25\u00a0kr."
    assert table.loc["juli 2024"]["Forskel"] == "+959,25\u00a0kr."
    assert sum("Ferietillæg i den forkerte måned" in m.value for m in at.markdown) == 2
    assert verdict(at) == "I alt passer udbetalingen."


def test_a_typo_names_the_field_in_danish_and_keeps_the_others() -> None:
    at = run(**{**PENSION, "check_used_wage_0": "15.OOO"})
    assert [e.value for e in at.error] == ["Måned 1: løn kommunen brugte, i kr.: '15.OOO' er ikke et beløb i kroner"]
    assert at.text_input(key="check_wage_0").value == "16.800"
    assert at.text_input(key="check_paid_0").value == "15.452"


def test_no_two_fields_share_a_label_and_every_label_is_danish() -> None:
    at = run(check_count="3")
    assert not at.exception
    labels = [w.label for w in at.text_input]
    # three months of eight fields each are drawn (an empty page would pass the checks below)
    for n in (1, 2, 3):
        assert f"Måned {n}: lønloft kommunen brugte, i kr." in labels
        assert sum(label.startswith(f"Måned {n}: ") for label in labels) == 8, labels
    assert len(labels) == len(set(labels))
    assert all(re.search(r"[a-zæøå]", label) for label in labels)


def test_the_page_is_plain_danish() -> None:
    at = run(**PENSION)
    figure = lix(" ".join(texts(at)))
    assert figure <= 35, figure


def test_adviser_file_only_with_consent() -> None:
    at = run(**PENSION)
    labels = [b.label for b in at.get("download_button")]
    assert "Hent tjekfilen (YAML)" not in labels
    at = run(**PENSION, check_adviser="Rådgiver R", check_citizen="Borger B", check_consent_date="2024-04-02")
    assert "Hent tjekfilen (YAML)" not in [b.label for b in at.get("download_button")]
    at.checkbox(key="check_consent").check().run()
    assert "Hent tjekfilen (YAML)" in [b.label for b in at.get("download_button")]
