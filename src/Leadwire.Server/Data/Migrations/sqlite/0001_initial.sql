-- Leadwire schema v1 (SQLite). Column types follow EF Core's SQLite mapping.
CREATE TABLE pages (
    id INTEGER NOT NULL CONSTRAINT pk_pages PRIMARY KEY AUTOINCREMENT,
    meta_page_id TEXT NOT NULL,
    name TEXT NOT NULL,
    access_token_protected TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    token_updated_at TEXT NOT NULL,
    forms_synced_at TEXT NULL
);
CREATE UNIQUE INDEX ix_pages_meta_page_id ON pages (meta_page_id);

CREATE TABLE forms (
    id INTEGER NOT NULL CONSTRAINT pk_forms PRIMARY KEY AUTOINCREMENT,
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
    meta_form_id TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    locale TEXT NULL,
    questions_json TEXT NOT NULL,
    meta_created_time TEXT NULL,
    synced_at TEXT NOT NULL,
    reconciled_through TEXT NULL,
    last_reconciled_at TEXT NULL
);
CREATE UNIQUE INDEX ix_forms_meta_form_id ON forms (meta_form_id);
CREATE INDEX ix_forms_page_id ON forms (page_id);

CREATE TABLE leads (
    id INTEGER NOT NULL CONSTRAINT pk_leads PRIMARY KEY AUTOINCREMENT,
    meta_lead_id TEXT NOT NULL,
    page_id INTEGER NOT NULL REFERENCES pages (id) ON DELETE RESTRICT,
    form_id INTEGER NULL REFERENCES forms (id) ON DELETE SET NULL,
    meta_page_id TEXT NOT NULL,
    meta_form_id TEXT NULL,
    ad_id TEXT NULL,
    ad_name TEXT NULL,
    adset_id TEXT NULL,
    adset_name TEXT NULL,
    campaign_id TEXT NULL,
    campaign_name TEXT NULL,
    platform TEXT NULL,
    partner_name TEXT NULL,
    is_organic INTEGER NOT NULL,
    is_test INTEGER NOT NULL,
    created_time TEXT NOT NULL,
    full_name TEXT NULL,
    first_name TEXT NULL,
    last_name TEXT NULL,
    email TEXT NULL,
    phone TEXT NULL,
    street_address TEXT NULL,
    city TEXT NULL,
    state TEXT NULL,
    zip TEXT NULL,
    country TEXT NULL,
    company_name TEXT NULL,
    job_title TEXT NULL,
    answers_json TEXT NOT NULL,
    disclaimer_responses_json TEXT NULL,
    raw_json TEXT NOT NULL,
    source TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_leads_meta_lead_id ON leads (meta_lead_id);
CREATE INDEX ix_leads_created_time_id ON leads (created_time, id);
CREATE INDEX ix_leads_page_id_created_time ON leads (page_id, created_time);
CREATE INDEX ix_leads_form_id_created_time ON leads (form_id, created_time);

CREATE TABLE webhook_deliveries (
    id INTEGER NOT NULL CONSTRAINT pk_webhook_deliveries PRIMARY KEY AUTOINCREMENT,
    received_at TEXT NOT NULL,
    signature_status TEXT NOT NULL,
    body BLOB NOT NULL,
    status TEXT NOT NULL,
    error TEXT NULL,
    change_count INTEGER NOT NULL,
    processed_at TEXT NULL
);

CREATE TABLE jobs (
    id INTEGER NOT NULL CONSTRAINT pk_jobs PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    dedupe_key TEXT NULL,
    page_id INTEGER NULL,
    run_after TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    lease_owner TEXT NULL,
    lease_expires_at TEXT NULL,
    last_error TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT NULL
);
CREATE UNIQUE INDEX ix_jobs_dedupe_key ON jobs (dedupe_key);
CREATE INDEX ix_jobs_status_run_after ON jobs (status, run_after);
CREATE INDEX ix_jobs_page_id_status ON jobs (page_id, status);

CREATE TABLE data_protection_keys (
    id INTEGER NOT NULL CONSTRAINT pk_data_protection_keys PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT NOT NULL,
    xml TEXT NOT NULL
);
