import { paths, urls } from './config';
import { sandboxSignInEnv } from './oidc';

/**
 * The environment of an Aviary server run against the sandbox (`npm run dev`, `npm run demo`, the
 * e2e web server): its kubeconfig, Prometheus, and sign-in through the sandbox's identity provider.
 */
export function aviaryServerEnv(port: number): Record<string, string> {
  return {
    KUBECONFIG: paths.kubeconfig,
    AVIARY_PROMETHEUS_URL: urls.prometheus,
    AVIARY_PROMETHEUS_SCRAPE_INTERVAL: '5',
    ...sandboxSignInEnv(port),
  };
}
