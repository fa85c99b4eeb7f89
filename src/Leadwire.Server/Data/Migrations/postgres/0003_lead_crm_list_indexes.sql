-- The lead list's "recently updated" order reads updated leads by (updated_at, id) as an index range. Partial:
-- leads nobody has touched are read by created time instead, and must not be steered onto this index.
CREATE INDEX ix_leads_updated_workspace_id_updated_at_id ON leads (workspace_id, updated_at, id) WHERE updated_at IS NOT NULL;
-- The list of soft-deleted leads: few rows, so a partial index; the live list (deleted_at IS NULL) never uses it.
CREATE INDEX ix_leads_deleted_workspace_id_created_time_id ON leads (workspace_id, created_time, id) WHERE deleted_at IS NOT NULL;
-- Someone's leads by score: an agent's own list sorted best first, and "assignee + score range" filters.
CREATE INDEX ix_leads_workspace_id_assignee_user_id_score_id ON leads (workspace_id, assignee_user_id, score, id);
