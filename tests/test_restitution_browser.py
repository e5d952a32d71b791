"""Préparer une restitution in Chromium, through the real server, on both datasets: the documents
download under names that say what they are, open as a deck and a PDF, and nothing leaves the
machine. A phone width (390 px) keeps the buttons reachable."""

import io
import re
from pathlib import Path

from pptx import Presentation
from pypdf import PdfReader

NAME = r"essaim_restitution_territoire_{code}_\d{{4}}-\d{{2}}-\d{{2}}\.{extension}"


def test_documents_download_with_their_names(any_server, watched_page, request, dataset,
                                            second_dataset):
    data = dataset if request.node.callspec.params["any_server"] == "demo" else second_dataset
    watch, page = watched_page, watched_page.page
    watch.open(f"{any_server}/restitution")
    page.get_by_text("Un territoire").click()
    watch.wait_idle()
    territories = page.get_by_role("combobox", name="Territoire")
    territories.wait_for()
    labels = dict(zip(data.territories["name"] + " (" + data.territories["code_departement"]
                      + ")", data.territories["code"]))
    code = labels[territories.input_value()]
    page.get_by_role("button", name="Préparer les documents").click()
    page.get_by_role("button", name="Rapport (PDF)").wait_for(timeout=120_000)
    watch.wait_idle()
    for label, extension in (("Diaporama (PowerPoint)", "pptx"), ("Rapport (PDF)", "pdf")):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        assert re.fullmatch(NAME.format(code=code, extension=extension),
                            download.suggested_filename), download.suggested_filename
        content = Path(download.path()).read_bytes()
        if extension == "pdf":
            reader = PdfReader(io.BytesIO(content))
            assert "Restitution" in reader.pages[0].extract_text()
            assert reader.outline[0].title == "Synthèse"  # bookmarks of a tagged PDF
            assert "/StructTreeRoot" in reader.trailer["/Root"]
        else:
            assert len(Presentation(io.BytesIO(content)).slides) > 5
    assert watch.external == [] and watch.errors == []


def test_the_page_works_on_a_phone(server, browser):
    from tests.conftest import PageWatch

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    watch = PageWatch(context.new_page())
    try:
        watch.open(f"{server}/restitution")
        button = watch.page.get_by_role("button", name="Préparer les documents")
        button.wait_for()
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert watch.external == [] and watch.errors == []
    finally:
        context.close()
