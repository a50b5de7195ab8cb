-- AlterTable
ALTER TABLE "ExternalLogin" ADD COLUMN "email" TEXT;

-- CreateTable
CREATE TABLE "IdentityProvider" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "displayName" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "issuer" TEXT,
    "authorizationEndpoint" TEXT,
    "tokenEndpoint" TEXT,
    "userinfoEndpoint" TEXT,
    "tenant" TEXT,
    "clientId" TEXT NOT NULL,
    "clientSecret" TEXT,
    "scope" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "claims" JSONB NOT NULL,
    "trustEmail" BOOLEAN NOT NULL DEFAULT false,
    "firstLogin" TEXT NOT NULL DEFAULT 'create_or_link',
    "emailDomains" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
