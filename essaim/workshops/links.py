"""Links to a workshop, built from the address people actually use."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from essaim.site_map import page_paths


def base_url(browser_url: str | None, public_url: str = "") -> str:
    """Scheme, host and path prefix of the app: the configured public address if any, else the
    one the facilitator's browser used (page path removed)."""
    if public_url:
        return public_url.rstrip("/")
    if not browser_url:
        return ""
    parts = urlsplit(browser_url)
    path = parts.path.rstrip("/")
    for page in page_paths():
        if path.endswith("/" + page):
            path = path[: -len(page) - 1]
            break
    return f"{parts.scheme}://{parts.netloc}{path}"


def join_url(base: str, code: str) -> str:
    """The link (and QR code) participants open to join a session."""
    return f"{base}/participer?{urlencode({'seance': code})}"


def projection_url(base: str, code: str) -> str:
    return f"{base}/projection?{urlencode({'seance': code})}"


def facilitator_url(base: str, code: str, token: str) -> str:
    """The private facilitator link: whoever has it can run the session."""
    return f"{base}/animer?{urlencode({'seance': code, 'cle': token})}"
