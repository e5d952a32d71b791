"""Essaim's domain package: data model, reference data, store and statistics.

Nothing in this package imports Streamlit, so all of it can be used and tested without a browser.
"""
