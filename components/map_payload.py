"""Drawing a folium map through streamlit-folium with its rendering cached.

`st_folium` renders the whole map to JavaScript on every run (~250 ms for the territory map) and
mutates the map while doing so, so neither the map nor its rendering can be reused through it.
`render_map_payload` does the same preparation once, with streamlit-folium's own helpers, and
returns plain strings that Streamlit caches; `draw_map_payload` sends them to the same component.
streamlit-folium is pinned in requirements.txt; tests/test_pages.py checks what reaches it.
"""

from __future__ import annotations

from collections.abc import Iterable

import branca
import folium
import folium.elements
import streamlit_folium
from streamlit_folium import _get_header, _get_html, _get_map_string, generate_js_hash, get_full_id


def _elements(element) -> Iterable:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def render_map_payload(fmap: folium.Map) -> dict:
    """Everything the streamlit-folium component needs to draw `fmap` (consumes the map)."""
    fmap.get_root().render()
    fmap.render()
    html, header = _get_html(fmap), _get_header(fmap)
    script = _get_map_string(fmap)
    css_links: list[str] = []
    js_links: list[str] = []
    for element in _elements(fmap):
        if isinstance(element, branca.colormap.ColorMap):
            raise ValueError("Les légendes branca chargent d3 depuis internet : dessinez-les hors carte.")
        if isinstance(element, folium.elements.JSCSSMixin):
            css_links += [href for _, href in element.default_css]
            js_links += [src for _, src in element.default_js]
    (south, west), (north, east) = fmap.get_bounds()
    return {
        "script": script,
        "html": html,
        "header": header,
        "id": get_full_id(fmap),
        "css_links": list(dict.fromkeys(css_links)),
        "js_links": list(dict.fromkeys(js_links)),
        "bounds": {"_southWest": {"lat": south, "lng": west},
                   "_northEast": {"lat": north, "lng": east}},
        "zoom": fmap.options.get("zoom"),
    }


def draw_map_payload(payload: dict, *, key: str, height: int, center, zoom,
                     returned_objects: list[str]) -> dict:
    """Send a prepared map to the streamlit-folium component; returns what the browser reported
    (only `returned_objects`, so other interactions such as pan and zoom do not rerun)."""
    defaults = {"last_object_clicked": None, "last_clicked": None, "bounds": payload["bounds"],
                "zoom": payload["zoom"]}
    return streamlit_folium._component_func(
        script=payload["script"],
        header=payload["header"],
        html=payload["html"],
        id=payload["id"],
        key=generate_js_hash(payload["script"], key, False),
        height=height,
        width=None,
        returned_objects=returned_objects,
        default={name: defaults.get(name) for name in returned_objects},
        zoom=zoom,
        center=center,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=payload["css_links"],
        js_links=payload["js_links"],
        wrap_longitude=False,
    )
