-- AlterTable
ALTER TABLE "security_events" ADD COLUMN     "hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "prev_hash" TEXT;


-- Append-only: the application never updates or deletes audit rows. A
-- database owner can still disable this trigger; the hash chain is what
-- detects that kind of tampering.
CREATE OR REPLACE FUNCTION security_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'security_events is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER security_events_no_update_delete
  BEFORE UPDATE OR DELETE ON "security_events"
  FOR EACH ROW EXECUTE FUNCTION security_events_append_only();
