"""Essaim: router and frame, and the server that serves them.

`streamlit run app.py` finds `app = st.App(...)` at the bottom: Streamlit's own server then also
serves the light phone page and its small JSON API (essaim.web: a tap on a phone is one HTTP
request, not a script run) and the map libraries. For every browser tab it runs this same file
as the Streamlit script, where __name__ is "__main__": the router declares the pages, draws the
shared frame and runs the chosen page (AppTest and components.routing run it the same way).
"""

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).parent / "pages"


def build_navigation() -> dict[str, list]:
    """The pages grouped by audience, with French titles (essaim.site_map)."""
    from essaim.site_map import SITE_MAP

    groups: dict[str, list] = {}
    for spec in SITE_MAP:
        groups.setdefault(spec.group, []).append(st.Page(
            PAGES_DIR / spec.file, title=spec.title, icon=spec.icon,
            url_path=spec.url_path or None, default=not spec.url_path))
    return groups


def run_router() -> None:
    """Page config, navigation, the frame (a lighter one for the projected screen), the page."""
    from components.frame import draw_frame
    from components.live_room import PROJECTION_URL_PATH, draw_projection_frame

    st.set_page_config(page_title="Essaim", page_icon=str(Path(__file__).parent / "static" / "essaim.png"),
                       layout="wide")
    page = st.navigation(build_navigation())
    if page.url_path == PROJECTION_URL_PATH:
        draw_projection_frame()
    else:
        draw_frame()
    page.run()


if __name__ == "__main__":
    from essaim.logs import configure_logging

    configure_logging()
    run_router()
else:
    from essaim.logs import configure_logging
    from essaim.web.room_server import RoomServer
    from essaim.web.routes import room_lifespan, web_middleware, web_routes

    configure_logging()
    _room_server = RoomServer()
    _base_url_path = st.get_option("server.baseUrlPath")
    app = st.App(__file__, routes=web_routes(_room_server, _base_url_path),
                 middleware=web_middleware(_room_server, _base_url_path),
                 lifespan=room_lifespan(_room_server))
