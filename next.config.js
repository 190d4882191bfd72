/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The server talks to Kubernetes with client-node; keep it out of the bundler.
  serverExternalPackages: ['@kubernetes/client-node'],
  typedRoutes: false,
};

export default nextConfig;
