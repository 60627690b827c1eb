#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql from the difference
# between the committed schema (HEAD) and the working-tree schema. We avoid
# `prisma migrate dev`: its shadow database does not work with driver adapters.
set -euo pipefail
name=${1:?usage: npm run migration:new -- <name>}
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
old=$(mktemp --suffix=.prisma)
git show "${BASE:-HEAD}":prisma/schema.prisma > "$old"   # BASE=<rev> if the schema change is already committed
mkdir -p "$dir"
timeout 120 npx prisma migrate diff --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script > "$dir/migration.sql"
rm -f "$old"
echo "wrote $dir/migration.sql"
