"""Scripts that measure Essaim through the interfaces people use; run as `python -m bench.NAME`."""
