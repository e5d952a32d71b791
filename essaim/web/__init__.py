"""What the Essaim web server adds to Streamlit's own routes (no Streamlit import here)."""
