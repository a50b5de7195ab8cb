-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "sectorIdentifier" TEXT,
ADD COLUMN     "subjectType" TEXT NOT NULL DEFAULT 'public';
