-- AlterTable
ALTER TABLE "Client" ADD COLUMN "defaultMaxAge" INTEGER;
ALTER TABLE "Client" ADD COLUMN "metadata" JSONB;
ALTER TABLE "Client" ADD COLUMN "tokenEndpointAuthSigningAlg" TEXT;

-- CreateTable
CREATE TABLE "TokenRevocation" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "TokenRevocation_expiresAt_idx" ON "TokenRevocation"("expiresAt");
