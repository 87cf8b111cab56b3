"""Rendering: services return data; this turns it into rich tables, JSON, CSV, Markdown, HTML."""
