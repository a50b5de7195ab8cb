// Security headers: proxy.ts (pages) and lib/oidc/routes.ts (protocol), from lib/oidc/security-headers.ts.

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // proxy.ts redirects "/path/" to "/path" itself, with the security headers.
  skipTrailingSlashRedirect: true,
  experimental: { authInterrupts: true },
  reactStrictMode: true,
  serverExternalPackages: ["better-sqlite3", "pg", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg"],
};

export default nextConfig;
