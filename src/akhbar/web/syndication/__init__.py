"""Syndication: the portal's RSS 2.0 and Atom feeds, sitemaps and robots.txt, built as well-formed XML."""
