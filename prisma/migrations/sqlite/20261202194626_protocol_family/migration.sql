-- AlterTable
ALTER TABLE "PersistedGrant" ADD COLUMN "nextPollAt" DATETIME;
ALTER TABLE "PersistedGrant" ADD COLUMN "pollInterval" INTEGER;

-- CreateTable
CREATE TABLE "SessionClient" (
    "sessionId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("sessionId", "clientId"),
    CONSTRAINT "SessionClient_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LogoutDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "doneAt" DATETIME,
    "delivered" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "InitialAccessToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "hash" TEXT NOT NULL,
    "description" TEXT,
    "expiresAt" DATETIME,
    "maxUses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" DATETIME,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Client" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "clientName" TEXT NOT NULL,
    "description" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "kind" TEXT NOT NULL DEFAULT 'machine',
    "tokenEndpointAuthMethod" TEXT NOT NULL DEFAULT 'client_secret_basic',
    "grantTypes" JSONB NOT NULL,
    "responseTypes" JSONB NOT NULL,
    "redirectUris" JSONB NOT NULL,
    "postLogoutRedirectUris" JSONB NOT NULL,
    "allowedScopes" JSONB NOT NULL,
    "jwks" JSONB,
    "jwksUri" TEXT,
    "clientUri" TEXT,
    "logoUri" TEXT,
    "policyUri" TEXT,
    "tosUri" TEXT,
    "accessTokenFormat" TEXT NOT NULL DEFAULT 'jwt',
    "accessTokenLifetime" INTEGER NOT NULL DEFAULT 3600,
    "idTokenLifetime" INTEGER NOT NULL DEFAULT 300,
    "authorizationCodeLifetime" INTEGER NOT NULL DEFAULT 60,
    "refreshTokenAbsoluteLifetime" INTEGER NOT NULL DEFAULT 2592000,
    "refreshTokenSlidingLifetime" INTEGER NOT NULL DEFAULT 1296000,
    "refreshTokenReuseGrace" INTEGER NOT NULL DEFAULT 5,
    "allowOfflineAccess" BOOLEAN NOT NULL DEFAULT false,
    "requirePkce" BOOLEAN NOT NULL DEFAULT true,
    "requireConsent" BOOLEAN NOT NULL DEFAULT true,
    "allowRememberConsent" BOOLEAN NOT NULL DEFAULT true,
    "idTokenUserClaims" BOOLEAN NOT NULL DEFAULT true,
    "requireMfa" BOOLEAN NOT NULL DEFAULT false,
    "requirePushedAuthorizationRequests" BOOLEAN NOT NULL DEFAULT false,
    "pushedRequestLifetime" INTEGER NOT NULL DEFAULT 60,
    "requestObjectSigningAlg" TEXT,
    "requireSignedRequestObject" BOOLEAN NOT NULL DEFAULT false,
    "subjectType" TEXT NOT NULL DEFAULT 'public',
    "sectorIdentifier" TEXT,
    "deviceCodeLifetime" INTEGER NOT NULL DEFAULT 600,
    "devicePollInterval" INTEGER NOT NULL DEFAULT 5,
    "backchannelLogoutUri" TEXT,
    "backchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false,
    "frontchannelLogoutUri" TEXT,
    "frontchannelLogoutSessionRequired" BOOLEAN NOT NULL DEFAULT false,
    "dpopBoundAccessTokens" BOOLEAN NOT NULL DEFAULT false,
    "profile" TEXT NOT NULL DEFAULT 'default',
    "tokenEndpointAuthSigningAlg" TEXT,
    "defaultMaxAge" INTEGER,
    "metadata" JSONB,
    "tokenExchange" JSONB,
    "registrationAccessTokenHash" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Client" ("accessTokenFormat", "accessTokenLifetime", "allowOfflineAccess", "allowRememberConsent", "allowedScopes", "authorizationCodeLifetime", "clientId", "clientName", "clientUri", "createdAt", "defaultMaxAge", "description", "enabled", "grantTypes", "id", "idTokenLifetime", "idTokenUserClaims", "jwks", "jwksUri", "kind", "logoUri", "metadata", "policyUri", "postLogoutRedirectUris", "pushedRequestLifetime", "redirectUris", "refreshTokenAbsoluteLifetime", "refreshTokenReuseGrace", "refreshTokenSlidingLifetime", "requireConsent", "requireMfa", "requirePkce", "requirePushedAuthorizationRequests", "responseTypes", "tokenEndpointAuthMethod", "tokenEndpointAuthSigningAlg", "tosUri", "updatedAt") SELECT "accessTokenFormat", "accessTokenLifetime", "allowOfflineAccess", "allowRememberConsent", "allowedScopes", "authorizationCodeLifetime", "clientId", "clientName", "clientUri", "createdAt", "defaultMaxAge", "description", "enabled", "grantTypes", "id", "idTokenLifetime", "idTokenUserClaims", "jwks", "jwksUri", "kind", "logoUri", "metadata", "policyUri", "postLogoutRedirectUris", "pushedRequestLifetime", "redirectUris", "refreshTokenAbsoluteLifetime", "refreshTokenReuseGrace", "refreshTokenSlidingLifetime", "requireConsent", "requireMfa", "requirePkce", "requirePushedAuthorizationRequests", "responseTypes", "tokenEndpointAuthMethod", "tokenEndpointAuthSigningAlg", "tosUri", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
CREATE UNIQUE INDEX "Client_registrationAccessTokenHash_key" ON "Client"("registrationAccessTokenHash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LogoutDelivery_doneAt_dueAt_idx" ON "LogoutDelivery"("doneAt", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "LogoutDelivery_sessionId_clientId_key" ON "LogoutDelivery"("sessionId", "clientId");

-- CreateIndex
CREATE UNIQUE INDEX "InitialAccessToken_hash_key" ON "InitialAccessToken"("hash");
