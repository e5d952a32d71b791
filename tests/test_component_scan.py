"""The shared component scan (tests/component_scan.py) is used by AppTest and changes nothing."""

from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from tests.component_scan import SCANNER_NAME


def test_every_apptest_asks_the_shared_scan():
    scan = getattr(manifest_scanner, SCANNER_NAME)
    assert scan.shared_by_essaim_tests  # installed by conftest.pytest_configure
    asked = scan.cache_info().hits + scan.cache_info().misses
    for _ in range(2):  # two AppTests, each with a component manager of its own
        at = AppTest.from_string("import streamlit as st\nst.write('bonjour')").run()
        assert not at.exception
    info = scan.cache_info()
    assert info.hits + info.misses == asked + 2
    assert info.misses <= 1  # scanned once for the whole process


def test_the_shared_scan_finds_what_a_fresh_scan_finds():
    scan = getattr(manifest_scanner, SCANNER_NAME)
    shared = [(manifest.name, root) for manifest, root in scan()]
    fresh = [(manifest.name, root) for manifest, root in scan.uncached()]
    assert shared == fresh
