-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "backchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "backchannelLogoutUri" TEXT,
ADD COLUMN     "deviceCodeLifetime" INTEGER NOT NULL DEFAULT 600,
ADD COLUMN     "devicePollInterval" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "dpopBoundAccessTokens" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "frontchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "frontchannelLogoutUri" TEXT,
ADD COLUMN     "profile" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN     "registrationAccessTokenHash" TEXT,
ADD COLUMN     "requestObjectSigningAlg" TEXT,
ADD COLUMN     "requireSignedRequestObject" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "sectorIdentifier" TEXT,
ADD COLUMN     "subjectType" TEXT NOT NULL DEFAULT 'public',
ADD COLUMN     "tokenExchange" JSONB;

-- AlterTable
ALTER TABLE "PersistedGrant" ADD COLUMN     "nextPollAt" TIMESTAMP(3),
ADD COLUMN     "pollInterval" INTEGER;

-- CreateTable
CREATE TABLE "SessionClient" (
    "sessionId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SessionClient_pkey" PRIMARY KEY ("sessionId","clientId")
);

-- CreateTable
CREATE TABLE "LogoutDelivery" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "doneAt" TIMESTAMP(3),
    "delivered" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "LogoutDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InitialAccessToken" (
    "id" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "description" TEXT,
    "expiresAt" TIMESTAMP(3),
    "maxUses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" TIMESTAMP(3),
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InitialAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LogoutDelivery_doneAt_dueAt_idx" ON "LogoutDelivery"("doneAt", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "LogoutDelivery_sessionId_clientId_key" ON "LogoutDelivery"("sessionId", "clientId");

-- CreateIndex
CREATE UNIQUE INDEX "InitialAccessToken_hash_key" ON "InitialAccessToken"("hash");

-- CreateIndex
CREATE UNIQUE INDEX "Client_registrationAccessTokenHash_key" ON "Client"("registrationAccessTokenHash");

-- AddForeignKey
ALTER TABLE "SessionClient" ADD CONSTRAINT "SessionClient_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
