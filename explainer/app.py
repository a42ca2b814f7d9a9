"""flexcalc explainer: ``streamlit run explainer/app.py``.

Every file in ``explainer/pages/`` is a page. Its first line is a comment naming its title,
``# title: Kan det betale sig at arbejde flere timer?``; pages are ordered by file name.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT.parent) not in sys.path:
    sys.path.insert(0, str(ROOT.parent))


def _title(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0] if path.stat().st_size else ""
    if first.startswith("# title:"):
        return first.removeprefix("# title:").strip()
    return path.stem.split("_", 1)[-1].replace("_", " ").capitalize()


# The menu's groups by the number in front of a page's file name: the citizen pages apart from the staff pages.
MENU_GROUPS = (("For borgere og rådgivere", 0, 40), ("For arbejdsgivere", 40, 60),
               ("For kommunens medarbejdere", 60, 100))


def group_of(path: Path) -> str:
    number = int(path.name.split("_", 1)[0]) if path.name[:1].isdigit() else 99
    return next(name for name, low, high in MENU_GROUPS if low <= number < high)


def pages() -> list[st.Page]:
    files = sorted(p for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
    return [st.Page(str(p), title=_title(p), default=(i == 0)) for i, p in enumerate(files)]


from explainer.components import page_setup  # noqa: E402

page_setup()
found = pages()
if found:
    current = st.navigation(found, position="hidden")
    # The menu is drawn here, in Danish: Streamlit's own sidebar menu is off (client.showSidebarNavigation),
    # because for a page opened by its own address it would list the pages/ folder's file names ("app").
    files = sorted(p for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_"))
    with st.sidebar:
        shown: set[str] = set()
        for path, page in zip(files, found, strict=True):
            group = group_of(path)
            if group not in shown:
                shown.add(group)
                st.markdown(f"**{group}**")
            st.page_link(page)
    current.run()
else:
    st.title("Fleksløntilskud forklaret")
    st.write("Der er endnu ingen sider.")
