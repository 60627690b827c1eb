-- Token values are stored under a keyed hash from now on (src/oidc/at-rest.ts).
-- SQL cannot compute that hash (its key derives from the master secret, which
-- the database never sees), so rows stored under their clear value are
-- deleted instead of converted: sessions, tokens, codes and interactions in
-- flight are invalidated once on upgrade (docs/security.md, "Tokens at rest").
-- Grants keep their ids in clear and stay.
DELETE FROM "oidc_objects" WHERE "model" <> 'Grant';
