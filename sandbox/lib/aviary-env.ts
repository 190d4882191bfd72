import { paths, urls } from './config';
import { identities } from './pki';
import { sandboxSignInEnv } from './oidc';

/**
 * The environment of an Aviary server run against the sandbox (`npm run dev`, `npm run demo`, the
 * e2e web server): its own kubeconfig (user `aviary`), Prometheus, and sign-in through the sandbox's identity provider.
 */
export function aviaryServerEnv(port: number): Record<string, string> {
  return {
    // Aviary's own identity, not the sandbox admin: what it may do is what the deploy RBAC grants.
    KUBECONFIG: paths.kubeconfigFor(identities.aviary.name),
    AVIARY_PROMETHEUS_URL: urls.prometheus,
    AVIARY_PROMETHEUS_SCRAPE_INTERVAL: '5',
    ...sandboxSignInEnv(port),
  };
}
