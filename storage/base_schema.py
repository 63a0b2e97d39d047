"""Migrations 1 and 2: the schema as first released (people and the outbox; the quarter)."""

from __future__ import annotations

M001_FOUNDATION = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sekretariat', 'bidang')),
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    telegram_id INTEGER NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    username TEXT,
    nip TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0,
    blocked_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE role_assignments (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    unit_code TEXT REFERENCES units(code),
    acting TEXT NOT NULL DEFAULT '' CHECK (acting IN ('', 'plt', 'plh')),
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    created_by INTEGER REFERENCES people(id),
    created_at TEXT NOT NULL
);
CREATE INDEX role_assignments_person ON role_assignments(person_id);
CREATE INDEX role_assignments_role ON role_assignments(role, unit_code);
CREATE TABLE invites (
    token TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    unit_code TEXT REFERENCES units(code),
    name TEXT,
    is_admin INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES people(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by INTEGER REFERENCES people(id),
    used_at TEXT,
    revoked_at TEXT
);
CREATE TABLE group_chats (
    chat_id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    registered_by INTEGER REFERENCES people(id),
    registered_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    person_id INTEGER,
    chat_id INTEGER,
    update_id INTEGER,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TABLE processed_updates (
    update_id INTEGER PRIMARY KEY,
    processed_at TEXT NOT NULL
);
CREATE TABLE dialogs (
    telegram_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    key TEXT UNIQUE,
    chat_id INTEGER NOT NULL,
    method TEXT NOT NULL,
    payload TEXT NOT NULL,
    file_name TEXT,
    file_data BLOB,
    tag TEXT,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    maybe_sent INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    message_id INTEGER
);
CREATE INDEX outbox_pending ON outbox(status, id);
CREATE INDEX outbox_tag ON outbox(tag) WHERE tag IS NOT NULL
"""

M002_QUARTER = """
CREATE TABLE catalog_years (
    year INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL,
    imported_by INTEGER REFERENCES people(id)
);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('program', 'kegiatan', 'sub_kegiatan')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units(code),
    parent_code TEXT,
    pagu TEXT,
    position INTEGER NOT NULL,
    UNIQUE (year, code)
);
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES units(code),
    activity_code TEXT NOT NULL,
    satuan TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('naik', 'turun')),
    aggregation TEXT NOT NULL CHECK (aggregation IN ('jumlah', 'posisi')),
    target_annual TEXT,
    target_q1 TEXT,
    target_q2 TEXT,
    target_q3 TEXT,
    target_q4 TEXT,
    sasaran TEXT NOT NULL DEFAULT '',
    renstra_target TEXT,
    renstra_target_rp TEXT,
    renstra_realisasi_lalu TEXT,
    renstra_realisasi_lalu_rp TEXT,
    position INTEGER NOT NULL,
    UNIQUE (year, code)
);
CREATE INDEX indicators_unit ON indicators(year, unit_code, position);
CREATE TABLE periods (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    state TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    opened_by INTEGER NOT NULL REFERENCES people(id),
    deadline TEXT,
    narrative TEXT NOT NULL DEFAULT '',
    return_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX periods_live ON periods(year, quarter) WHERE state != 'dibatalkan';
CREATE TABLE unit_reports (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    state TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    submitted_by INTEGER REFERENCES people(id),
    submitted_at TEXT,
    approver_role TEXT,
    approver_unit TEXT,
    returned_at TEXT,
    return_reason TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (period_id, unit_code)
);
CREATE TABLE realisations (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    value TEXT NOT NULL,
    explanation TEXT NOT NULL DEFAULT '',
    soft TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('chat', 'upload')),
    entered_by INTEGER NOT NULL REFERENCES people(id),
    entered_at TEXT NOT NULL,
    superseded_by INTEGER REFERENCES realisations(id)
);
CREATE UNIQUE INDEX realisations_current ON realisations(period_id, indicator_id)
    WHERE superseded_by IS NULL;
CREATE TABLE budget_realisations (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    value TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('chat', 'upload')),
    entered_by INTEGER NOT NULL REFERENCES people(id),
    entered_at TEXT NOT NULL,
    superseded_by INTEGER REFERENCES budget_realisations(id)
);
CREATE UNIQUE INDEX budget_realisations_current ON budget_realisations(period_id, activity_id)
    WHERE superseded_by IS NULL;
CREATE TABLE unit_notes (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    field TEXT NOT NULL
        CHECK (field IN ('kendala', 'faktor_pendorong', 'faktor_penghambat', 'tindak_lanjut')),
    text TEXT NOT NULL,
    entered_by INTEGER NOT NULL REFERENCES people(id),
    entered_at TEXT NOT NULL,
    superseded_by INTEGER REFERENCES unit_notes(id)
);
CREATE UNIQUE INDEX unit_notes_current ON unit_notes(period_id, unit_code, field)
    WHERE superseded_by IS NULL;
CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    unit_code TEXT REFERENCES units(code),
    text TEXT NOT NULL,
    given_by INTEGER NOT NULL REFERENCES people(id),
    given_at TEXT NOT NULL
);
CREATE TABLE follow_ups (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations(id),
    text TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES people(id),
    recorded_at TEXT NOT NULL
);
CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    unit_code TEXT REFERENCES units(code),
    step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 9),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    ended_by INTEGER REFERENCES people(id),
    actor_label TEXT,
    outcome TEXT
);
CREATE INDEX steps_open ON steps(period_id, unit_code, step) WHERE ended_at IS NULL
"""
