-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "requestObjectSigningAlg" TEXT,
ADD COLUMN     "requireSignedRequestObject" BOOLEAN NOT NULL DEFAULT false;
