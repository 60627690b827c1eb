-- CreateTable
CREATE TABLE "exchange_policies" (
    "client_id" TEXT NOT NULL,
    "audiences" TEXT[],
    "may_impersonate" BOOLEAN NOT NULL DEFAULT false,
    "max_ttl" INTEGER,
    "allow_refresh_token_subject" BOOLEAN NOT NULL DEFAULT false,
    "allow_id_token_subject" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "exchange_policies_pkey" PRIMARY KEY ("client_id")
);

-- AddForeignKey
ALTER TABLE "exchange_policies" ADD CONSTRAINT "exchange_policies_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "clients"("client_id") ON DELETE CASCADE ON UPDATE CASCADE;

