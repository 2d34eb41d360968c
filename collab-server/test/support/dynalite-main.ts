/**
 * `node --import tsx collab-server/test/support/dynalite-main.ts <port> <path>`: the stack's
 * dynalite (`startDynalite`, LevelDB under `path`) as a process of its own, so a crash test can
 * kill -9 it with the gateway and start it again on the same data and port. Prints
 * `dynalite listening at <endpoint>` once it serves requests.
 */
import { startDynalite } from '../../src/local-stack/start-dynalite.js';

const [port, path] = process.argv.slice(2);
if (port === undefined || path === undefined) throw new Error('usage: dynalite-main.ts <port> <path>');
const dynamo = await startDynalite({ host: '127.0.0.1', port: Number(port), path });
console.log(`dynalite listening at ${dynamo.endpoint}`);
