-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "pushedRequestLifetime" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "requirePushedAuthorizationRequests" BOOLEAN NOT NULL DEFAULT false;
