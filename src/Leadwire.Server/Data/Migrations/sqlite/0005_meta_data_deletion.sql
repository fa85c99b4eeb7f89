-- Meta's data-deletion callback: one row per request, looked up by its public confirmation code.
CREATE TABLE data_deletion_requests (
    id INTEGER NOT NULL CONSTRAINT pk_data_deletion_requests PRIMARY KEY AUTOINCREMENT,
    confirmation_code TEXT NOT NULL,
    meta_user_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL,
    leads_erased INTEGER NOT NULL,
    completed_at TEXT NULL
);
CREATE UNIQUE INDEX ix_data_deletion_requests_confirmation_code ON data_deletion_requests (confirmation_code);
