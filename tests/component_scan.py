"""One scan of the installed packages for Streamlit components per test process.

Why a private API: every `AppTest` builds its own component manager, which reads the metadata of
every installed distribution (about 200 here) looking for Streamlit « v2 » component manifests —
half a second per AppTest, more than most pages take to run, paid some 300 times by the fast
tier. Streamlit offers no public way to share that scan, so this module, and only this one,
replaces `streamlit.components.v2.manifest_scanner.scan_component_manifests` (the function
`BidiComponentManager.discover_and_register_components` looks up at call time) with a cached
copy. Installed packages do not change during a test run, so the result is the same.
tests/test_component_scan.py pins the behaviour: if Streamlit stops calling the function through
that name, or the cached result differs from a fresh scan, it fails.
"""

from __future__ import annotations

import functools

from streamlit.components.v2 import manifest_scanner

SCANNER_NAME = "scan_component_manifests"


def share_component_scan() -> None:
    """Make every AppTest of this process reuse the first scan (idempotent)."""
    scan = getattr(manifest_scanner, SCANNER_NAME)
    if getattr(scan, "shared_by_essaim_tests", False):
        return
    cached = functools.cache(scan)
    cached.shared_by_essaim_tests = True
    cached.uncached = scan
    setattr(manifest_scanner, SCANNER_NAME, cached)
