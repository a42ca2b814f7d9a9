"""Shared input widgets of the explainer pages: every input has a visible Danish label, amounts are
typed as text and parsed by the core (``flexcalc.parsing.inputs.parse_amount``, never float), and a bad value
shows the field and the reason in Danish."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flexcalc.citizen.scenarios import Hours, check_hours  # noqa: E402
from flexcalc.errors import InputError  # noqa: E402
from flexcalc.law.params import current_month, rates_for  # noqa: E402
from flexcalc.parsing.danish import parse_amount_da  # noqa: E402
from flexcalc.period import Month  # noqa: E402
from flexcalc.text_da.citizen_pages import without_file_names  # noqa: E402
from flexcalc.text_da.format import month_name  # noqa: E402  # noqa: E402

NBSP = "\u00a0"

PAGE_CSS = """
<style>
/* Notes (st.caption) carry key information: dark grey on white, contrast 7,5:1 (WCAG AA needs 4,5:1). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {
  color: #4b4d57 !important; opacity: 1 !important;
}
/* Metric deltas and help text likewise. */
[data-testid="stMetricLabel"] * { color: #31333f !important; }
/* Wide tables scroll inside themselves; the page never scrolls sideways (390 px phones). */
[data-testid="stTable"] { overflow-x: auto; max-width: 100%; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"], .block-container { padding-left: 0.75rem; padding-right: 0.75rem; }
  h1 { font-size: 1.6rem !important; }
}
/* English status text of the framework ("Running…", "Stop") is not shown. */
[data-testid="stStatusWidget"] { display: none !important; }
/* "Press Enter to apply" under a text field: English, and the field applies when it loses focus anyway. */
[data-testid="InputInstructions"] { display: none !important; }
</style>
<script>
/* The page is Danish: screen readers must pronounce it so (Streamlit writes lang="en"); the framework's own
   few English words are put in Danish; every chart gets an accessible name from its title. */
(function () {
  const root = document.documentElement;
  const DANISH = {"Skip to main content": "Gå til indholdet", "Sidebar": "Sidepanel", "App pages": "Sider",
                  "Collapse sidebar": "Skjul sidepanel", "Expand sidebar": "Vis sidepanel",
                  "Open sidebar": "Vis sidepanel", "Close sidebar": "Skjul sidepanel",
                  "View fullscreen": "Vis i fuld skærm", "Exit fullscreen": "Luk fuld skærm",
                  "Show data": "Vis data", "Help": "Hjælp", "Download as CSV": "Hent som CSV",
                  "Search": "Søg", "Clear all": "Ryd alt", "Remove file": "Fjern filen", "Delete": "Slet"};
  /* Streamlit's own words in an upload box, written in Danish (the size limit is in the box's own label). */
  const TEXTS = [[/^Drag and drop (a )?files? here$/, "Træk filen hertil"],
                 [/^Drag and drop directories here$/, "Træk mappen hertil"],
                 [/^(Limit )?\\d+(\\.\\d+)?\\s?[KMG]?B per file$/, ""], [/^ • (.*)$/, "Filtype: $1"],
                 [/^(Browse files|Upload)$/, "Vælg fil"], [/^Choose options?$/, "Vælg"],
                 [/^Choose an option$/, "Vælg"], [/^Press (Ctrl|⌘)\\+Enter to apply$/, ""]];
  const danishText = (node) => {
    const text = node.nodeValue;
    for (const [pattern, da] of TEXTS) {
      if (pattern.test(text)) {
        const next = text.replace(pattern, da);
        if (next !== text) { node.nodeValue = next; }
        return;
      }
    }
  };
  const fix = () => {
    if (root.lang !== "da") { root.lang = "da"; }
    document.querySelectorAll("[aria-label]").forEach((el) => {
      const label = el.getAttribute("aria-label");
      const da = DANISH[label] || (label.startsWith("Help for ") ? "Hjælp til " + label.slice(9) : null);
      if (da) { el.setAttribute("aria-label", da); }
    });
    document.querySelectorAll("[data-testid=stFileUploader], [data-baseweb=select], [data-baseweb=tag]")
      .forEach((box) => {
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) { danishText(node); }
      });
    document.querySelectorAll("input[placeholder^='Choose'], [data-testid=stFileUploader] button").forEach((el) => {
      if (el.placeholder && /^Choose/.test(el.placeholder)) { el.placeholder = "Vælg"; }
    });
    document.querySelectorAll("a[href='#stMain'], a[href='#main']").forEach((el) => {
      const da = DANISH[el.textContent.trim()];
      if (da) { el.textContent = da; }
    });
    document.querySelectorAll("[data-testid=stVegaLiteChart] svg.marks, [data-testid=stVegaLiteChart] canvas")
      .forEach((chart) => {
        const title = [...chart.querySelectorAll(".role-title-text text, .role-title text")]
          .map((t) => t.textContent.trim()).filter(Boolean).join(" ");
        const name = "Figur: " + (title || "diagram") + ". Alle tal står også i tabellen på siden.";
        if (chart.getAttribute("aria-label") !== name) {
          chart.setAttribute("role", "img");
          chart.setAttribute("aria-label", name);
        }
      });
    /* A table wider than the screen scrolls in its own box: that box must be reachable by keyboard
       (WCAG 2.1.1; axe "scrollable-region-focusable"), so it gets a tab stop and a name. Streamlit's own
       box always (whether it scrolls depends on the fonts and the width, which may settle after this
       runs); the outer box when it scrolls. */
    document.querySelectorAll("[data-testid=stTable], [data-testid=stTable] > div").forEach((box) => {
      const inner = box.parentElement && box.parentElement.matches("[data-testid=stTable]");
      if ((inner || box.scrollWidth > box.clientWidth + 1) && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Tabel. Den kan rulles til siden.");
      }
    });
  };
  fix();
  /* On a phone the menu covers the page: it closes when a page is chosen in it. */
  if (!window.flexcalcMenuCloses) {
    window.flexcalcMenuCloses = true;
    document.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest("[data-testid=stSidebar] a");
      if (!link || window.innerWidth >= 768) { return; }
      const close = () => {
        const sidebar = document.querySelector("[data-testid=stSidebar]");
        const button = document.querySelector("[data-testid=stSidebarCollapseButton] button");
        if (sidebar && sidebar.getAttribute("data-collapsed") === "false" && button) { button.click(); }
      };
      setTimeout(close, 300);
      setTimeout(close, 1500);
    }, true);
  }
  window.addEventListener("resize", () => requestAnimationFrame(fix));
  let queued = false;
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fix(); }); }
  }).observe(root, {attributes: true, attributeFilter: ["lang"], childList: true, subtree: true, characterData: true});
})();
</script>
"""


PAGE_TITLE = "Fleksløntilskud forklaret"


_MARKDOWN_SPECIAL = set("\\`*_{}[]#+!|<>~$")
"""What makes inline Markdown (emphasis, code, links and images, raw HTML, tables, strike-through, formulas,
Streamlit's ``:red[...]`` colours); "(", "-", "." and ":" alone make nothing inside a line and stay as typed."""


def plain(value: object) -> str:
    """Stored free text (a decision's reason, who decided, a hearing summary, an id) for ``st.markdown`` and its
    kin: every Markdown character escaped, so text written by someone else is shown as typed and never
    becomes a link, an image the browser fetches, a colour or a formula. Line breaks become spaces."""
    text = " ".join(str(value).split())
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def page_setup() -> None:
    """Danish page language, readable notes and no sideways scrolling. Called by ``app.py`` and by each page
    itself: a page opened by its own address (``/udbetaling``) is run without ``app.py`` (Streamlit's
    ``pages/`` folder), and must still be Danish. Twice in one run is harmless (the script is idempotent)."""
    st.set_page_config(page_title=PAGE_TITLE, page_icon="💶", layout="wide", menu_items={})
    st.html(PAGE_CSS, unsafe_allow_javascript=True)


def nbsp(text: str) -> str:
    """Keep "kr." and "%" on the line of their number, and a sign with its amount (non-breaking spaces); and
    no reference to the project's files ("(docs/decisions.md)" in a citation) in what a citizen reads."""
    text = without_file_names(text)
    return (text.replace(" kr.", NBSP + "kr.").replace(" %", NBSP + "%").replace("+ ", "+" + NBSP)
            .replace("− ", "−" + NBSP))


def default_month(today: dt.date | None = None) -> Month:
    """The current benefit month (today's), within the rates table: never an older year because a later
    rate is computed or assumed; the page says so in plain Danish (``flexcalc.law.params.rates_note_da``)."""
    return current_month(today or dt.date.today())


def show_error(label: str, error: InputError) -> None:
    st.error(f"{label}: {error.reason_da}", icon="⚠️")


def amount_input(label: str, key: str, default: str, *, help: str | None = None, optional: bool = False,
                 allow_negative: bool = False, maximum: Decimal | None = None) -> tuple[Decimal | None, bool]:
    """A text field for an amount in kroner. Returns (amount or None, ok)."""
    st.session_state.setdefault(key, default)  # the value may come from the link (query params) or a test
    text = st.text_input(label, key=key, help=help, placeholder="Lad feltet stå tomt" if optional else None)
    if optional and not text.strip():
        return None, True
    try:
        kwargs = {"maximum": maximum} if maximum is not None else {}
        return parse_amount_da(text, key, allow_negative=allow_negative, **kwargs), True
    except InputError as error:
        show_error(label, error)
        return None, False


def month_input(label: str, key: str, default: Month, *, help: str | None = None) -> Month | None:
    """A text field for a month ("2024-03" or "marts 2024", as Danes write it) that the rates table covers."""
    from flexcalc.parsing.danish import parse_month_da

    st.session_state.setdefault(key, str(default))
    text = st.text_input(label, key=key, help=help)
    try:
        month = parse_month_da(text, key)
        rates_for(month)
    except InputError as error:
        show_error(label, error)
        return None
    st.caption(f"{month_name(month)}")
    return month


def hours_input(label: str, key: str, default: str, *, help: str | None = None,
                allow_zero: bool = False) -> Hours | None:
    """A text field for weekly hours, 1–37 in half-hour steps ("12,5"); a bad value gets a Danish message
    and no result is shown for it (never a silently corrected value). With ``allow_zero`` a typed 0 is
    returned as 0 (the page answers it: no wage, no subsidy) instead of being refused."""
    st.session_state.setdefault(key, default)
    text = st.text_input(label, key=key, help=help)
    if allow_zero and text.strip() in ("0", "0,0", "0.0", "00"):
        return 0
    try:
        return check_hours(text, key)
    except InputError as error:
        show_error(label, error)
        return None


def keep_fields(keys: list[str] | tuple[str, ...]) -> None:
    """Keep what was typed in every field of the page, also in a run that stops before drawing some of them
    (a typo higher up): Streamlit forgets a widget's value when a run does not draw it."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def load_link(fields: dict[str, str]) -> None:
    """On the first run of a session, fill the inputs from the page's address (``?timeloen=200&…``):
    ``fields`` maps the address's names to the widgets' keys. Only text is read; every value is then
    parsed by the core like a typed one."""
    if st.session_state.get("_link_loaded"):
        return
    st.session_state["_link_loaded"] = True
    for name, key in fields.items():
        if name in st.query_params:
            st.session_state[key] = st.query_params[name]


def save_link(fields: dict[str, str]) -> None:
    """Write the inputs into the page's address, so the link shows exactly this calculation."""
    wanted = {name: str(st.session_state.get(key, "")) for name, key in fields.items()}
    if {k: st.query_params.get(k) for k in wanted} != wanted:
        st.query_params.from_dict(wanted)


def share_url(fields: dict[str, str]) -> str:
    """A link to this page with its inputs (relative when the page's own address is not known)."""
    from urllib.parse import urlencode

    query = urlencode({name: str(st.session_state.get(key, "")) for name, key in fields.items()})
    base = ""
    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:
        base = ""
    return f"{base}?{query}"


def staff_key_inputs(what_da: str) -> None:
    """The caseworker pages' opening fields: the user's own API key and initials. Without a key the page says how
    to get one (to see ``what_da``) and stops."""
    key_col, by_col = st.columns(2)
    key_col.text_input("Din API-nøgle", type="password", key="api_key")
    by_col.text_input("Dine initialer", key="by", help="Registreres som den, der handler (fx sb-17).")
    if not st.session_state.get("api_key", "").strip():
        st.info(f"Skriv din API-nøgle for at se {what_da}. Har du ingen, laver en administrator en med kommandoen: "
                "flexcalc keys create --role caseworker")
        st.stop()


def explained_example_page(title: str, paragraphs: tuple[str, ...], example_title: str,
                           defaults: dict[str, str]) -> None:
    """The opening of a page that explains a scheme and then lets the reader work an example (the old scheme,
    the self-employed): the page set up, the title, the plain-Danish explanation, the example's heading and the
    example fields' first values (kept when the reader has typed)."""
    page_setup()
    st.title(title)
    for paragraph in paragraphs:
        st.write(paragraph)
    st.subheader(example_title)
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def key_and_month(key: str, month_text: str, role: str) -> Month:
    """A month page's two first fields read: without a key the page says how to get one (for ``role``) and
    stops; a month that is not one ("2024-05", "maj 2024") stops the page with its reason in Danish."""
    from flexcalc.parsing.danish import parse_month_da

    if not key.strip():
        st.info("Skriv din API-nøgle for at se måneden. Har du ingen, laver en administrator en med kommandoen: "
                f"flexcalc keys create --role {role}")
        st.stop()
    try:
        return parse_month_da(month_text, "month")
    except InputError as error:
        st.error(f"Måned: {error.reason_da}")
        st.stop()
        raise  # st.stop() ends the run; kept so the type checker sees no fall-through


def past_date(text: str, key: str, label: str) -> tuple[dt.date | None, bool]:
    """An optional date typed on a page (2024-03-15), not after today: (the date or None, ok). A bad date is
    shown in Danish under its label and gives (None, False); an empty field gives (None, True)."""
    from flexcalc.parsing.inputs import parse_date

    if not text.strip():
        return None, True
    try:
        return parse_date(text, key, latest=dt.date.today()), True
    except InputError as error:
        st.error(f"{label}: {error.reason_da}", icon="⚠️")
        return None, False
