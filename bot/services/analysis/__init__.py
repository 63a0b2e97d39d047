"""The drafted analysis in chat: drafts, figures computed after a step, imported history."""
