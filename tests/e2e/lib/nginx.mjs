// nginx.mjs - Debian's nginx as a round-robin load balancer on loopback in
// front of several saldo nodes: a temporary prefix and configuration, nginx
// in the foreground (-p PREFIX -c CONF, no root paths), stopped by stop().
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { tempDir } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The configuration of docs/OPERATIONS.md ("Several nodes"), on loopback. */
export function nginxConf(prefix, port, nodes) {
  const user = process.getuid() === 0 ? 'user root root;\n' : '';
  return `${user}daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 512; }
http {
  access_log ${prefix}/access.log;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  upstream saldo {
${nodes.map((u) => `    server ${new URL(u).host} max_fails=0;`).join('\n')}
    keepalive 16;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 20m;
    location / {
      proxy_pass http://saldo;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`;
}

/** Starts nginx on port in front of the node base URLs. */
export async function startNginx(port, nodes) {
  const prefix = tempDir('saldo-nginx-');
  fs.mkdirSync(path.join(prefix, 'tmp'));
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, nginxConf(prefix, port, nodes));
  const proc = spawn('/usr/sbin/nginx', ['-p', prefix, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((r) => proc.once('exit', r));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (i > 200 || proc.exitCode !== null) {
      const err = fs.existsSync(path.join(prefix, 'error.log')) ? fs.readFileSync(path.join(prefix, 'error.log')) : '';
      throw new Error(`nginx did not start:\n${log}${err}`);
    }
    await sleep(50);
  }
  return {
    url,
    accessLog: () => fs.readFileSync(path.join(prefix, 'access.log'), 'utf8'),
    async stop() {
      proc.kill('SIGQUIT');
      await exited;
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}
