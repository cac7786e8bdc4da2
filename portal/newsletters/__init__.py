"""Newsletters: double opt-in subscriptions on every portal, issues written as Wagtail pages,
sent by Celery to a segment of subscribers, one row per recipient (resumable)."""
