import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { host, paths, urls } from './config';
import { run } from './run';

/** A client identity of the sandbox: who the API server will see (CN = user, O = groups). */
export interface Identity {
  name: string;
  user: string;
  groups: string[];
}

export const identities = {
  admin: { name: 'admin', user: 'aviary-sandbox-admin', groups: ['system:masters'] },
  controllerManager: { name: 'kube-controller-manager', user: 'system:kube-controller-manager', groups: [] },
  scheduler: { name: 'kube-scheduler', user: 'system:kube-scheduler', groups: [] },
  kwok: { name: 'kwok', user: 'kwok-controller', groups: ['system:masters'] },
  argo: { name: 'argo-rollouts', user: 'argo-rollouts-controller', groups: [] },
  simulator: { name: 'traffic-simulator', user: 'aviary-traffic-simulator', groups: [] },
  /** Aviary itself: reads, access reviews, impersonation, its audit trail (sandbox/manifests/system/aviary-rbac.yaml). */
  aviary: { name: 'aviary', user: 'aviary', groups: [] },
} satisfies Record<string, Identity>;

const pki = (file: string) => join(paths.pki, file);
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function signed(name: string, subject: string, extensions: string): Promise<void> {
  if (existsSync(pki(`${name}.crt`))) return;
  await run('openssl', ['req', '-new', ...ecKey, '-keyout', pki(`${name}.key`), '-out', pki(`${name}.csr`), '-subj', subject]);
  await writeFile(pki(`${name}.ext`), extensions);
  await run('openssl', [
    'x509', '-req', '-in', pki(`${name}.csr`), '-CA', pki('ca.crt'), '-CAkey', pki('ca.key'),
    '-CAcreateserial', '-out', pki(`${name}.crt`), '-days', '3650', '-sha256', '-extfile', pki(`${name}.ext`),
  ]);
}

function subjectOf(identity: Identity): string {
  return identity.groups.map((group) => `/O=${group}`).join('') + `/CN=${identity.user}`;
}

/** Creates the CA, serving certificate, client certificates and service-account keys once. */
export async function ensurePki(): Promise<void> {
  await mkdir(paths.pki, { recursive: true });
  if (!existsSync(pki('ca.crt'))) {
    await run('openssl', [
      'req', '-x509', ...ecKey, '-keyout', pki('ca.key'), '-out', pki('ca.crt'),
      '-days', '3650', '-subj', '/CN=aviary-sandbox-ca', '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  }
  await signed(
    'apiserver',
    '/CN=kube-apiserver',
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:${host},IP:10.96.0.1`,
      '',
    ].join('\n'),
  );
  for (const identity of Object.values(identities)) {
    await signed(
      identity.name,
      subjectOf(identity),
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
    );
  }
  if (!existsSync(pki('sa.key'))) {
    await run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pki('sa.key')]);
    await run('openssl', ['pkey', '-in', pki('sa.key'), '-pubout', '-out', pki('sa.pub')]);
  }
}

export const pkiFiles = {
  caCert: pki('ca.crt'),
  caKey: pki('ca.key'),
  serverCert: pki('apiserver.crt'),
  serverKey: pki('apiserver.key'),
  saKey: pki('sa.key'),
  saPub: pki('sa.pub'),
  clientCert: (identity: Identity) => pki(`${identity.name}.crt`),
  clientKey: (identity: Identity) => pki(`${identity.name}.key`),
};

async function base64(file: string): Promise<string> {
  return (await readFile(file)).toString('base64');
}

/** Writes a self-contained kubeconfig (certificates embedded) for one identity. */
export async function writeKubeconfig(identity: Identity, file: string): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'aviary-sandbox',
        cluster: { server: urls.apiserver, 'certificate-authority-data': await base64(pkiFiles.caCert) },
      },
    ],
    users: [
      {
        name: identity.user,
        user: {
          'client-certificate-data': await base64(pkiFiles.clientCert(identity)),
          'client-key-data': await base64(pkiFiles.clientKey(identity)),
        },
      },
    ],
    contexts: [{ name: 'aviary-sandbox', context: { cluster: 'aviary-sandbox', user: identity.user } }],
    'current-context': 'aviary-sandbox',
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, stringify(config), { mode: 0o600 });
}
