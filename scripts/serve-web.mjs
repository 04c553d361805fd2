// Production web server for `npm start`: Next.js on PORT/HOSTNAME, exits with its launcher.
import http from "node:http";
import next from "next";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "127.0.0.1";
const app = next({ dev: false, dir: process.cwd(), hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => void handle(req, res));
server.keepAliveTimeout = 5_000;
server.listen(port, hostname, () => {
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), name: "web", msg: "web listening", url: `http://${hostname}:${port}` })}\n`);
});

let closing = false;
function shutdown() {
  if (closing) return;
  closing = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
// A SIGKILLed launcher cannot stop us: leave when we are re-parented.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) shutdown();
}, 500).unref();
