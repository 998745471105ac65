/** The ZNS test server in a process of its own (bench:notify): a remote provider takes no CPU from the app. */
import { startZnsServer } from '../src/server/test-support/message-servers.ts';

const server = await startZnsServer(process.argv[2] ?? 'bench-oa-token');
process.send?.({ url: server.url });
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
