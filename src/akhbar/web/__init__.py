"""The web side: app factory, pages, JSON API and feeds out."""
