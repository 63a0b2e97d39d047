"""Spreadsheets in and out of chat: uploads, previews, templates, downloads, the report."""
