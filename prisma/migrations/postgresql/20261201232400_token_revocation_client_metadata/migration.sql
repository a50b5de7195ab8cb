-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "defaultMaxAge" INTEGER,
ADD COLUMN     "metadata" JSONB,
ADD COLUMN     "tokenEndpointAuthSigningAlg" TEXT;

-- CreateTable
CREATE TABLE "TokenRevocation" (
    "key" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TokenRevocation_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "TokenRevocation_expiresAt_idx" ON "TokenRevocation"("expiresAt");
