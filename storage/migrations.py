"""Numbered schema migrations; the version reached is kept in ``PRAGMA user_version``.

Never edit a released migration: append a new one. Values that must stay exactly as typed
(realisations, targets, money) are stored as decimal text. The first two (the schema as
first released) are in ``storage.base_schema``; the changes since are here, in order.
"""

from __future__ import annotations

from storage.base_schema import M001_FOUNDATION, M002_QUARTER

# The newest realisation id when a report was returned: corrections made after it are the
# rows above the mark (timestamps alone can tie within one clock tick).
M003_RETURN_MARK = """
ALTER TABLE unit_reports ADD COLUMN return_mark INTEGER
"""

# Bumped by every import of a year's catalogue, so a copy read earlier is known to be stale.
M004_CATALOG_REVISION = """
ALTER TABLE catalog_years ADD COLUMN revision INTEGER NOT NULL DEFAULT 1
"""

# The Permendagri 86/2017 form asks two follow-ups: for the next quarter and for next
# year's Renja. SQLite cannot change a CHECK, so the notes table is rebuilt with the new field
# (its self-reference names the new table: the rename carries it over, and the old table's
# rows can be dropped without a reference from the new one pointing at them).
M005_RENJA_FOLLOW_UP = """
CREATE TABLE unit_notes_v5 (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    field TEXT NOT NULL CHECK (field IN (
        'kendala', 'faktor_pendorong', 'faktor_penghambat', 'tindak_lanjut', 'tindak_lanjut_renja'
    )),
    text TEXT NOT NULL,
    entered_by INTEGER NOT NULL REFERENCES people(id),
    entered_at TEXT NOT NULL,
    superseded_by INTEGER REFERENCES unit_notes_v5(id)
);
INSERT INTO unit_notes_v5 SELECT id, period_id, unit_code, field, text, entered_by, entered_at,
    superseded_by FROM unit_notes;
DROP TABLE unit_notes;
ALTER TABLE unit_notes_v5 RENAME TO unit_notes;
CREATE UNIQUE INDEX unit_notes_current ON unit_notes(period_id, unit_code, field)
    WHERE superseded_by IS NULL
"""

# Whether an indicator counts whole things (1) or measures (0); NULL: judged by its satuan.
M006_WHOLE_NUMBER = """
ALTER TABLE indicators ADD COLUMN whole_number INTEGER CHECK (whole_number IN (0, 1))
"""

# Issue 14. Earlier quarters' realisations loaded from a spreadsheet (``python -m bot history
# import``), keyed by code rather than catalogue id: last year's catalogue may never have been
# imported; a quarter collected in the bot wins over an imported one. And what the rules drafted
# for a period: the narrative (step 4) and suggested recommendations (step 6), with what became
# of each ('usul' offered, 'dipakai' kept as it was, 'diubah' kept after an edit).
M007_ANALYSIS = """
CREATE TABLE history_figures (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('indikator', 'anggaran')),
    code TEXT NOT NULL,
    year INTEGER NOT NULL,
    quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (kind, code, year, quarter)
);
CREATE TABLE drafted (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    kind TEXT NOT NULL CHECK (kind IN ('narasi', 'saran')),
    unit_code TEXT REFERENCES units(code),
    reason TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'usul' CHECK (state IN ('usul', 'dipakai', 'diubah', 'lama')),
    created_at TEXT NOT NULL
);
CREATE INDEX drafted_period ON drafted(period_id, kind)
"""

# A general recommendation concerns every unit, and each unit records its own follow-up
# (SOP step 8–9): a follow-up now names the unit it is for. Before, a general one was followed
# up by the Sekretariat alone, so an old follow-up counts for the recommendation's unit, or,
# for a general one, for the unit of the person who recorded it (the Sekretariat when that
# person held no unit role).
M008_FOLLOW_UP_PER_UNIT = """
ALTER TABLE follow_ups ADD COLUMN unit_code TEXT REFERENCES units(code);
UPDATE follow_ups SET unit_code = COALESCE(
    (SELECT r.unit_code FROM recommendations r WHERE r.id = follow_ups.recommendation_id),
    (SELECT ra.unit_code FROM role_assignments ra
        WHERE ra.person_id = follow_ups.recorded_by AND ra.unit_code IS NOT NULL
        ORDER BY ra.unit_code != 'sekretariat', ra.role != 'operator', ra.id LIMIT 1),
    (SELECT code FROM units WHERE code = 'sekretariat')
);
CREATE INDEX follow_ups_unit ON follow_ups(recommendation_id, unit_code)
"""

# Faults of a live bot: an update PTB cannot parse is set aside here (and confirmed) instead of
# stopping the polling loop; the poll loop's heartbeat tells `python -m bot check` it is alive.
M009_LIVE_FAULTS = """
CREATE TABLE parked_updates (
    update_id INTEGER PRIMARY KEY,
    parked_at TEXT NOT NULL,
    error TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE heartbeats (
    name TEXT PRIMARY KEY,
    at TEXT NOT NULL
)
"""

# People come and go: a deactivated person is kept (the audit and the steps name them) but
# answered as unregistered; an ended assignment records who ended it.
M010_PEOPLE_LIFECYCLE = """
ALTER TABLE people ADD COLUMN deactivated_at TEXT;
ALTER TABLE role_assignments ADD COLUMN ended_by INTEGER REFERENCES people(id)
"""

# Nobody waits for someone else's work: a file the outbox is to send may be queued as a
# recipe (what to build) and built after the transaction, off the event loop; an uploaded
# file is checked the same way, from the intake queue, after its update was confirmed; the
# messages of a step that carry the analysis (steps 4 to 6) are written from the `deferred`
# queue, after the step's transaction, from figures read and computed in a worker.
M011_OFF_THE_LOOP = """
CREATE TABLE deferred (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    period_id INTEGER NOT NULL REFERENCES periods(id),
    version INTEGER NOT NULL,
    args TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT
);
ALTER TABLE outbox ADD COLUMN recipe TEXT;
CREATE TABLE intake (
    id INTEGER PRIMARY KEY,
    telegram_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    full_name TEXT NOT NULL DEFAULT '',
    file_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_unbuilt ON outbox(id) WHERE recipe IS NOT NULL AND file_data IS NULL
    AND status = 'pending'
"""

# The Mini App's writes (bot/web/): each carries a request id chosen by the page; the
# first result is kept with it, in the write's own transaction, so a request sent again
# (a lost answer, a double tap) returns that result and changes nothing twice.
M012_WEBAPP_REQUESTS = """
CREATE TABLE webapp_requests (
    person_id INTEGER NOT NULL REFERENCES people(id),
    request_id TEXT NOT NULL,
    at TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (person_id, request_id)
)
"""

# Issue 19. A sub kegiatan's planned cumulative disbursement s.d. each triwulan (anggaran kas,
# Rp as text like pagu), from the catalogue's optional rencana_tw1..4 columns; NULL: no plan,
# and absorption is judged against the share of the year elapsed.
M_DISBURSEMENT_PLAN = """
ALTER TABLE activities ADD COLUMN plan_q1 TEXT;
ALTER TABLE activities ADD COLUMN plan_q2 TEXT;
ALTER TABLE activities ADD COLUMN plan_q3 TEXT;
ALTER TABLE activities ADD COLUMN plan_q4 TEXT
"""

# Issue 19: an indicator the bot can also compute (the catalogue's column ``pembanding``).
M_PEMBANDING = """
ALTER TABLE indicators ADD COLUMN pembanding TEXT
    CHECK (pembanding IN ('penyerapan_unit', 'penyerapan_dinas'))
"""

# Issue 20: the agency's own words. A unit's operator title from the organisation file (empty:
# the default for its kind); a person's form of address (Bapak/Ibu, empty: not yet asked), also
# carried by an invite so that the person never has to be asked.
M_TITLES_AND_ADDRESS = """
ALTER TABLE units ADD COLUMN operator_title TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN sapaan TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN sapaan TEXT NOT NULL DEFAULT ''
"""

# A follow-up is a status, not a sentence (issue 23): each unit's follow-up of a recommendation
# says direncanakan / dalam proses / selesai (an old free-text one was a plan); a recommendation
# has a due date (none: the end of the next quarter) and may be dropped by the Kepala Dinas;
# evidence is Telegram's file id with what the bot was told of the file, never its bytes;
# the leaders' recaps and the overdue reminders are remembered so that each is sent once.
M_FOLLOW_UP_STATUS = """
ALTER TABLE recommendations ADD COLUMN due_on TEXT;
ALTER TABLE recommendations ADD COLUMN dropped_at TEXT;
ALTER TABLE recommendations ADD COLUMN dropped_by INTEGER REFERENCES people(id);
ALTER TABLE recommendations ADD COLUMN dropped_reason TEXT;
ALTER TABLE follow_ups ADD COLUMN status TEXT NOT NULL DEFAULT 'direncanakan'
    CHECK (status IN ('direncanakan', 'dalam_proses', 'selesai'));
ALTER TABLE follow_ups ADD COLUMN reason TEXT;
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations(id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    kind TEXT NOT NULL CHECK (kind IN ('foto', 'pdf', 'lembar_kerja')),
    file_id TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sent_by INTEGER NOT NULL REFERENCES people(id),
    sent_at TEXT NOT NULL
);
CREATE INDEX evidence_for ON evidence(recommendation_id, unit_code);
CREATE TABLE follow_up_recaps (
    id INTEGER PRIMARY KEY,
    period_id INTEGER NOT NULL UNIQUE REFERENCES periods(id),
    sent_at TEXT NOT NULL
);
CREATE TABLE follow_up_reminders (
    recommendation_id INTEGER NOT NULL REFERENCES recommendations(id),
    unit_code TEXT NOT NULL REFERENCES units(code),
    sent_on TEXT NOT NULL,
    PRIMARY KEY (recommendation_id, unit_code, sent_on)
)
"""

# A worker process's death (killed, out of memory) is a passing failure of a document's check,
# counted apart from failures to fetch it: a document whose check kills its worker three
# times is refused, not retried for ever.
M_WORKER_DEATHS = """
ALTER TABLE intake ADD COLUMN worker_deaths INTEGER NOT NULL DEFAULT 0
"""

# Issue 20. The catalogue's optional nama_singkat: the name a chat line shows ('' → the
# official name cut at a word).
M_SHORT_NAME = """
ALTER TABLE indicators ADD COLUMN short_name TEXT NOT NULL DEFAULT ''
"""

MIGRATIONS: tuple[str, ...] = (
    M001_FOUNDATION,
    M002_QUARTER,
    M003_RETURN_MARK,
    M004_CATALOG_REVISION,
    M005_RENJA_FOLLOW_UP,
    M006_WHOLE_NUMBER,
    M007_ANALYSIS,
    M008_FOLLOW_UP_PER_UNIT,
    M009_LIVE_FAULTS,
    M010_PEOPLE_LIFECYCLE,
    M011_OFF_THE_LOOP,
    M012_WEBAPP_REQUESTS,
    M_DISBURSEMENT_PLAN,
    M_PEMBANDING,
    M_TITLES_AND_ADDRESS,
    M_FOLLOW_UP_STATUS,
    M_WORKER_DEATHS,
    M_SHORT_NAME,
)
