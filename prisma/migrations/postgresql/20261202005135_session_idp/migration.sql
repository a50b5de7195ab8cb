-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "idp" TEXT;
