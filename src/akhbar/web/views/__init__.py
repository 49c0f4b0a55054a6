"""Reader page views, one module per page family; pages.py registers them in every edition."""
