"""Reusable Streamlit pieces shared by the pages (frame, data access, tables, map)."""
