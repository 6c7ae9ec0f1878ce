// Certificates made for a test with the openssl CLI: a CA, a server certificate for 127.0.0.1 and a
// given name, and a client certificate (for mTLS), all valid for one day in a fresh temp dir.
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export async function makeTestCerts(serverName: string, clientName: string): Promise<TestCerts> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-test-certs-'));
  const p = (f: string) => join(dir, f);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=ferry-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const leaf = async (name: string, ext: string) => {
    await writeFile(p(`${name}.ext`), ext);
    openssl('req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=${name}`);
    openssl(
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p(`${name}.pem`),
      '-days',
      '1',
      '-extfile',
      p(`${name}.ext`),
    );
  };
  await leaf(serverName, `subjectAltName=DNS:${serverName},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`);
  await leaf(clientName, `subjectAltName=DNS:${clientName}\nextendedKeyUsage=clientAuth\n`);
  return {
    dir,
    ca: p('ca.pem'),
    serverCert: p(`${serverName}.pem`),
    serverKey: p(`${serverName}.key`),
    clientCert: p(`${clientName}.pem`),
    clientKey: p(`${clientName}.key`),
  };
}
