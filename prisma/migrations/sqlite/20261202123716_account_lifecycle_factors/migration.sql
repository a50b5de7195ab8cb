-- AlterTable
ALTER TABLE "User" ADD COLUMN "passwordChangedAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "pendingEmail" TEXT;

-- CreateTable
CREATE TABLE "UserActionToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "email" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "UserActionToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TotpFactor" (
    "userId" TEXT NOT NULL PRIMARY KEY,
    "secretSealed" TEXT NOT NULL,
    "confirmedAt" DATETIME,
    "lastStep" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "TotpFactor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecoveryCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "usedAt" DATETIME,
    CONSTRAINT "RecoveryCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Passkey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "credentialId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "publicKey" BLOB NOT NULL,
    "counter" BIGINT NOT NULL DEFAULT 0,
    "transports" JSONB NOT NULL,
    "deviceType" TEXT NOT NULL,
    "backedUp" BOOLEAN NOT NULL DEFAULT false,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    CONSTRAINT "Passkey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PortalSetting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" JSONB NOT NULL,
    "updatedAt" DATETIME NOT NULL
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
    "tokenEndpointAuthSigningAlg" TEXT,
    "defaultMaxAge" INTEGER,
    "metadata" JSONB,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Client" ("accessTokenFormat", "accessTokenLifetime", "allowOfflineAccess", "allowRememberConsent", "allowedScopes", "authorizationCodeLifetime", "clientId", "clientName", "clientUri", "createdAt", "defaultMaxAge", "description", "enabled", "grantTypes", "id", "idTokenLifetime", "idTokenUserClaims", "jwks", "jwksUri", "kind", "logoUri", "metadata", "policyUri", "postLogoutRedirectUris", "redirectUris", "refreshTokenAbsoluteLifetime", "refreshTokenReuseGrace", "refreshTokenSlidingLifetime", "requireConsent", "requirePkce", "responseTypes", "tokenEndpointAuthMethod", "tokenEndpointAuthSigningAlg", "tosUri", "updatedAt") SELECT "accessTokenFormat", "accessTokenLifetime", "allowOfflineAccess", "allowRememberConsent", "allowedScopes", "authorizationCodeLifetime", "clientId", "clientName", "clientUri", "createdAt", "defaultMaxAge", "description", "enabled", "grantTypes", "id", "idTokenLifetime", "idTokenUserClaims", "jwks", "jwksUri", "kind", "logoUri", "metadata", "policyUri", "postLogoutRedirectUris", "redirectUris", "refreshTokenAbsoluteLifetime", "refreshTokenReuseGrace", "refreshTokenSlidingLifetime", "requireConsent", "requirePkce", "responseTypes", "tokenEndpointAuthMethod", "tokenEndpointAuthSigningAlg", "tosUri", "updatedAt" FROM "Client";
DROP TABLE "Client";
ALTER TABLE "new_Client" RENAME TO "Client";
CREATE UNIQUE INDEX "Client_clientId_key" ON "Client"("clientId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "UserActionToken_tokenHash_key" ON "UserActionToken"("tokenHash");

-- CreateIndex
CREATE INDEX "UserActionToken_userId_purpose_idx" ON "UserActionToken"("userId", "purpose");

-- CreateIndex
CREATE INDEX "UserActionToken_expiresAt_idx" ON "UserActionToken"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecoveryCode_codeHash_key" ON "RecoveryCode"("codeHash");

-- CreateIndex
CREATE INDEX "RecoveryCode_userId_idx" ON "RecoveryCode"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Passkey_credentialId_key" ON "Passkey"("credentialId");

-- CreateIndex
CREATE INDEX "Passkey_userId_idx" ON "Passkey"("userId");
