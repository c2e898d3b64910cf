"""Turns the YAML code records under data/ into a cross-linked MkDocs site."""
