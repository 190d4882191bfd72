/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Several builds share one checkout (tests, a developer's dev server): each may pick its own output folder.
  distDir: process.env.AVIARY_DIST_DIR ?? '.next',
  // The server talks to Kubernetes with client-node; keep it out of the bundler.
  serverExternalPackages: ['@kubernetes/client-node'],
  typedRoutes: false,
};

export default nextConfig;
