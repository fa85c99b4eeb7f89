-- The contact linker asks, for a batch of new leads, which contacts already hold each email and phone. With the
-- contact id in the key index that is answered from the index alone: a key shared by thousands of leads (a
-- placeholder phone number, say) used to cost a table read per lead and slowed every intake batch down as the
-- table grew. The search by email or phone uses the same index by its first two columns.
DROP INDEX IF EXISTS ix_leads_workspace_id_email_normalized;
DROP INDEX IF EXISTS ix_leads_workspace_id_phone_normalized;
CREATE INDEX ix_leads_workspace_id_email_normalized_contact_id ON leads (workspace_id, email_normalized, contact_id);
CREATE INDEX ix_leads_workspace_id_phone_normalized_contact_id ON leads (workspace_id, phone_normalized, contact_id);
