"""Both restitution documents of a content, with the file names that say what they are."""

from __future__ import annotations

from dataclasses import dataclass

from essaim.reports.content import document_file_name
from essaim.reports.model import ReportContent
from essaim.reports.pdf import render_pdf
from essaim.reports.pptx import render_pptx

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_MIME = "application/pdf"


@dataclass(frozen=True)
class Documents:
    title: str
    pptx: bytes
    pdf: bytes
    pptx_name: str  # essaim_restitution_<périmètre>[_<code>]_<date>.pptx
    pdf_name: str


def render_documents(content: ReportContent) -> Documents:
    """The deck and the PDF report of `content`, named after its scope, code and date."""
    return Documents(title=content.title, pptx=render_pptx(content), pdf=render_pdf(content),
                     pptx_name=document_file_name(content, "pptx"),
                     pdf_name=document_file_name(content, "pdf"))
