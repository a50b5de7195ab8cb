-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "deviceCodeLifetime" INTEGER NOT NULL DEFAULT 600,
ADD COLUMN     "devicePollInterval" INTEGER NOT NULL DEFAULT 5;

-- AlterTable
ALTER TABLE "PersistedGrant" ADD COLUMN     "nextPollAt" TIMESTAMP(3),
ADD COLUMN     "pollInterval" INTEGER;
