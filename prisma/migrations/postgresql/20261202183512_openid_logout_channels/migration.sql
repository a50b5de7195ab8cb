-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "backchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "backchannelLogoutUri" TEXT,
ADD COLUMN     "frontchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "frontchannelLogoutUri" TEXT;

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

-- CreateIndex
CREATE INDEX "LogoutDelivery_doneAt_dueAt_idx" ON "LogoutDelivery"("doneAt", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "LogoutDelivery_sessionId_clientId_key" ON "LogoutDelivery"("sessionId", "clientId");

-- AddForeignKey
ALTER TABLE "SessionClient" ADD CONSTRAINT "SessionClient_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
