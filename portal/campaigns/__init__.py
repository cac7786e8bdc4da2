"""Campaigns: landing pages on chosen portals, an offer or single-use codes, newsletter issues,
and their results counted without tracking people."""
