// A real Apollo Gateway in front of the example subgraphs.
//
//   node gateway.mjs [--port 4000] [--host 127.0.0.1] [--exit-on-stdin-close] [--max-seconds N] \
//       users=http://127.0.0.1:4001/graphql posts=http://127.0.0.1:4002/graphql products=http://127.0.0.1:4003/graphql
//
// The subgraphs can also come from the SUBGRAPHS environment variable ("name=url,name=url").
// Composes the supergraph from each subgraph's _service SDL (IntrospectAndCompose), listens on the host
// and port given (port 0: any free port) and prints one line "Gateway ready at <url>" on stdout.
// With --exit-on-stdin-close it stops when its standard input closes (how the JUnit test stops it);
// with --max-seconds it stops after that long whatever happens.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';

const args = process.argv.slice(2);
let port = Number(process.env.GATEWAY_PORT ?? 4000);
let host = process.env.GATEWAY_HOST ?? '127.0.0.1';
let exitOnStdinClose = false;
let maxSeconds = 0;
const subgraphs = [];

for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--port') port = Number(args[++i]);
  else if (a === '--host') host = args[++i];
  else if (a === '--exit-on-stdin-close') exitOnStdinClose = true;
  else if (a === '--max-seconds') maxSeconds = Number(args[++i]);
  else if (a.includes('=')) {
    const [name, url] = a.split(/=(.*)/s);
    subgraphs.push({ name, url });
  } else {
    console.error(`unexpected argument: ${a}`);
    process.exit(2);
  }
}
for (const pair of (process.env.SUBGRAPHS ?? '').split(',').filter(Boolean)) {
  const [name, url] = pair.split(/=(.*)/s);
  subgraphs.push({ name, url });
}
if (subgraphs.length === 0) {
  subgraphs.push(
    { name: 'users', url: 'http://127.0.0.1:4001/graphql' },
    { name: 'posts', url: 'http://127.0.0.1:4002/graphql' },
    { name: 'products', url: 'http://127.0.0.1:4003/graphql' },
  );
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be 0..65535, was ${port}`);
  process.exit(2);
}

let server;
let stopping = false;
async function stop(code, why) {
  if (stopping) return;
  stopping = true;
  console.error(`gateway stopping: ${why}`);
  try {
    if (server) await server.stop();
  } finally {
    process.exit(code);
  }
}

if (exitOnStdinClose) {
  process.stdin.on('end', () => stop(0, 'stdin closed'));
  process.stdin.on('error', () => stop(0, 'stdin error'));
  process.stdin.resume();
}
if (maxSeconds > 0) {
  setTimeout(() => stop(0, `ran ${maxSeconds} s`), maxSeconds * 1000).unref();
}
process.on('SIGINT', () => stop(0, 'SIGINT'));
process.on('SIGTERM', () => stop(0, 'SIGTERM'));

try {
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({ subgraphs }),
  });
  server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host, port } });
  console.log(`Gateway ready at ${url}`);
  console.error(`composed ${subgraphs.map((s) => `${s.name}=${s.url}`).join(' ')}`);
} catch (e) {
  console.error(`gateway failed to start: ${e?.stack ?? e}`);
  process.exit(1);
}
