-- Workspaces, accounts and roles; the lead CRM (status, assignment, scoring, contacts, tags, timeline, bulk work).
CREATE TABLE workspaces (
    id INTEGER NOT NULL CONSTRAINT pk_workspaces PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    first_contact_sla_minutes INTEGER NOT NULL,
    retention_days INTEGER NULL,
    assignment_mode TEXT NOT NULL,
    last_round_robin_user_id INTEGER NULL,
    scoring_rules_json TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Pages registered before workspaces existed belong to a first workspace made for them.
INSERT INTO workspaces (id, name, time_zone, first_contact_sla_minutes, assignment_mode, created_at, updated_at)
SELECT 1, 'Default workspace', 'UTC', 60, 'Manual', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE EXISTS (SELECT 1 FROM pages);

CREATE TABLE users (
    id INTEGER NOT NULL CONSTRAINT pk_users PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    normalized_email TEXT NOT NULL,
    display_name TEXT NULL,
    password_hash TEXT NULL,
    security_stamp TEXT NOT NULL,
    access_failed_count INTEGER NOT NULL,
    lockout_enabled INTEGER NOT NULL,
    lockout_end_utc TEXT NULL,
    language TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT NULL
);
CREATE UNIQUE INDEX ix_users_normalized_email ON users (normalized_email);

CREATE TABLE memberships (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT pk_memberships PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX ix_memberships_user_id ON memberships (user_id);

CREATE TABLE api_tokens (
    id INTEGER NOT NULL CONSTRAINT pk_api_tokens PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT NULL,
    expires_at TEXT NULL,
    revoked_at TEXT NULL
);
CREATE UNIQUE INDEX ix_api_tokens_token_hash ON api_tokens (token_hash);
CREATE INDEX ix_api_tokens_user_id_workspace_id ON api_tokens (user_id, workspace_id);
CREATE INDEX ix_api_tokens_workspace_id ON api_tokens (workspace_id);

CREATE TABLE audit_log (
    id INTEGER NOT NULL CONSTRAINT pk_audit_log PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NULL,
    actor_user_id INTEGER NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NULL,
    target_id TEXT NULL,
    details TEXT NULL,
    ip_address TEXT NULL,
    at TEXT NOT NULL
);
CREATE INDEX ix_audit_log_workspace_id_id ON audit_log (workspace_id, id);

-- SQLite cannot add a column with a foreign key and a non-null default, so these two have no REFERENCES clause.
ALTER TABLE pages ADD COLUMN workspace_id INTEGER NOT NULL DEFAULT 1;
CREATE INDEX ix_pages_workspace_id ON pages (workspace_id);

CREATE TABLE contacts (
    id INTEGER NOT NULL CONSTRAINT pk_contacts PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    email_normalized TEXT NULL,
    phone_normalized TEXT NULL,
    name TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_contacts_workspace_id_email_normalized ON contacts (workspace_id, email_normalized);
CREATE INDEX ix_contacts_workspace_id_phone_normalized ON contacts (workspace_id, phone_normalized);

ALTER TABLE leads ADD COLUMN workspace_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE leads ADD COLUMN status TEXT NOT NULL DEFAULT 'New';
ALTER TABLE leads ADD COLUMN status_reason TEXT NULL;
ALTER TABLE leads ADD COLUMN status_changed_at TEXT NULL;
ALTER TABLE leads ADD COLUMN contacted_at TEXT NULL;
ALTER TABLE leads ADD COLUMN qualified_at TEXT NULL;
ALTER TABLE leads ADD COLUMN converted_at TEXT NULL;
ALTER TABLE leads ADD COLUMN assignee_user_id INTEGER NULL;
ALTER TABLE leads ADD COLUMN assigned_at TEXT NULL;
ALTER TABLE leads ADD COLUMN score INTEGER NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN score_reasons_json TEXT NULL;
ALTER TABLE leads ADD COLUMN scored_at TEXT NULL;
ALTER TABLE leads ADD COLUMN contact_id INTEGER NULL;
ALTER TABLE leads ADD COLUMN email_normalized TEXT NULL;
ALTER TABLE leads ADD COLUMN phone_normalized TEXT NULL;
ALTER TABLE leads ADD COLUMN name_normalized TEXT NULL;
ALTER TABLE leads ADD COLUMN sla_breached_at TEXT NULL;
ALTER TABLE leads ADD COLUMN deleted_at TEXT NULL;
ALTER TABLE leads ADD COLUMN erased_at TEXT NULL;
ALTER TABLE leads ADD COLUMN updated_at TEXT NULL;
UPDATE leads SET workspace_id = (SELECT p.workspace_id FROM pages p WHERE p.id = leads.page_id);
CREATE INDEX ix_leads_workspace_id_created_time_id ON leads (workspace_id, created_time, id);
CREATE INDEX ix_leads_workspace_id_status_created_time_id ON leads (workspace_id, status, created_time, id);
CREATE INDEX ix_leads_workspace_id_assignee_user_id_created_time_id ON leads (workspace_id, assignee_user_id, created_time, id);
CREATE INDEX ix_leads_workspace_id_score_id ON leads (workspace_id, score, id);
CREATE INDEX ix_leads_workspace_id_email_normalized ON leads (workspace_id, email_normalized);
CREATE INDEX ix_leads_workspace_id_phone_normalized ON leads (workspace_id, phone_normalized);
CREATE INDEX ix_leads_workspace_id_name_normalized ON leads (workspace_id, name_normalized);
CREATE INDEX ix_leads_contact_id ON leads (contact_id);

CREATE TABLE lead_events (
    id INTEGER NOT NULL CONSTRAINT pk_lead_events PRIMARY KEY AUTOINCREMENT,
    lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL,
    type TEXT NOT NULL,
    actor_user_id INTEGER NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    data_json TEXT NULL
);
CREATE INDEX ix_lead_events_lead_id_id ON lead_events (lead_id, id);
CREATE INDEX ix_lead_events_workspace_id_type_at ON lead_events (workspace_id, type, at);

CREATE TABLE lead_tags (
    lead_id INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    workspace_id INTEGER NOT NULL,
    CONSTRAINT pk_lead_tags PRIMARY KEY (lead_id, tag)
);
CREATE INDEX ix_lead_tags_workspace_id_tag_lead_id ON lead_tags (workspace_id, tag, lead_id);

CREATE TABLE assignment_rules (
    id INTEGER NOT NULL CONSTRAINT pk_assignment_rules PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    page_id INTEGER NULL,
    form_id INTEGER NULL,
    campaign_id TEXT NULL,
    assignee_user_id INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_assignment_rules_workspace_id_position ON assignment_rules (workspace_id, position);

CREATE TABLE bulk_operations (
    id INTEGER NOT NULL CONSTRAINT pk_bulk_operations PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    created_by_user_id INTEGER NULL,
    created_by TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    request_json TEXT NOT NULL,
    total INTEGER NOT NULL,
    processed INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    checkpoint INTEGER NULL,
    error TEXT NULL,
    result_path TEXT NULL,
    result_content_type TEXT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT NULL,
    finished_at TEXT NULL
);
CREATE INDEX ix_bulk_operations_workspace_id_id ON bulk_operations (workspace_id, id);
