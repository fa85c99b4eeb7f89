-- A sample of the per-lead failures of a bulk operation (invalid transitions, leads not found), for people to read.
ALTER TABLE bulk_operations ADD COLUMN errors_json TEXT NULL;
