"""Restitution documents: their content (one model), then the PDF and the PowerPoint deck."""
