-- AlterTable
ALTER TABLE "Client" ADD COLUMN "registrationAccessTokenHash" TEXT;
ALTER TABLE "Client" ADD COLUMN "tokenExchange" JSONB;

-- CreateTable
CREATE TABLE "InitialAccessToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hash" TEXT NOT NULL,
    "description" TEXT,
    "expiresAt" DATETIME,
    "maxUses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" DATETIME,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "InitialAccessToken_hash_key" ON "InitialAccessToken"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "Client_registrationAccessTokenHash_key" ON "Client"("registrationAccessTokenHash");
