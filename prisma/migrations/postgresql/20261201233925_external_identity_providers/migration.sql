-- AlterTable
ALTER TABLE "ExternalLogin" ADD COLUMN     "email" TEXT;

-- CreateTable
CREATE TABLE "IdentityProvider" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IdentityProvider_pkey" PRIMARY KEY ("id")
);
