-- CreateTable
CREATE TABLE "audit_chain_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "legacy_until" BIGINT NOT NULL,

    CONSTRAINT "audit_chain_state_pkey" PRIMARY KEY ("id")
);


-- Events written so far were chained with plain SHA-256; they stay
-- verifiable as such. Everything after them must be keyed (HMAC-SHA256,
-- src/security/audit-chain.ts), so a rewrite with plain SHA-256 is detected.
ALTER TABLE "audit_chain_state" ADD CONSTRAINT "audit_chain_state_one_row" CHECK ("id" = 1);
INSERT INTO "audit_chain_state" ("id", "legacy_until") SELECT 1, COALESCE(MAX("id"), 0) FROM "security_events";

CREATE OR REPLACE FUNCTION audit_chain_state_fixed() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_chain_state is fixed at migration time';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_chain_state_no_change
  BEFORE UPDATE OR DELETE ON "audit_chain_state"
  FOR EACH ROW EXECUTE FUNCTION audit_chain_state_fixed();
