// pg.mjs - a PostgreSQL cluster for the tests that need one whatever store the
// suite runs on (copying SQLite into PostgreSQL, several nodes on one
// database): E2E_PG_URL's cluster when set, else a throwaway one started with
// scripts/pg-test-cluster.sh and stopped by stop().
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.resolve(here, '../../../scripts/pg-test-cluster.sh');

let n = 0;
export function startPg() {
  let folder = null;
  let admin = process.env.E2E_PG_URL;
  if (!admin) {
    const r = spawnSync('bash', [script, 'start'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg-test-cluster: ${r.stderr}`);
    folder = r.stdout.trim();
    admin = fs.readFileSync(path.join(folder, 'url'), 'utf8').trim();
  }
  const psql = (url, query) => {
    const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atqc', query], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
    return r.stdout.trim();
  };
  return {
    admin,
    psql,
    /** A new empty database; returns its URL. */
    database(prefix = 'saldo_mn') {
      const name = `${prefix}_${process.pid}_${Date.now()}_${++n}`;
      psql(admin, `CREATE DATABASE ${name}`);
      return admin.replace(/\/[^/]*$/, `/${name}`);
    },
    stop() {
      if (folder) spawnSync('bash', [script, 'stop', folder]);
    },
  };
}
