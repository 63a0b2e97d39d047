"""Who may do what: invites, members, acting officials, hand-over, admins, the group."""
