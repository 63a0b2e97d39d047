"""Every sentence a user reads, in Indonesian: one module per area, shared helpers in ``common``."""
