-- CreateTable
CREATE TABLE "resource_servers" (
    "indicator" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scopes" TEXT[],
    "access_token_ttl" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "resource_servers_pkey" PRIMARY KEY ("indicator")
);

