"""The nine steps of the SOP and their clock, from opening to follow-up and reminders."""
