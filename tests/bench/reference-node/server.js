// The benchmark kit's Node reference: fastify + better-sqlite3 answering the same point read as
// paroletrack (GET /parole-requests/:id, the row by id as JSON, read-only), what a team would
// build instead. No authentication, no audit. Binds 127.0.0.1 on a free port, prints
// "listening on http://127.0.0.1:PORT" and runs until the kit stops it (SIGTERM).
//
// usage: node server.js DATABASE [PORT]
'use strict';
const Database = require('better-sqlite3');
const fastify = require('fastify')({ logger: false });

const db = new Database(process.argv[2], { readonly: true, fileMustExist: true });
const read = db.prepare('SELECT * FROM parole_requests WHERE id = ?');

fastify.get('/parole-requests/:id', (request, reply) => {
  const row = read.get(Number(request.params.id));
  if (row === undefined) {
    reply.code(404).send();
    return;
  }
  reply.send(row);
});

fastify.listen({ host: '127.0.0.1', port: Number(process.argv[3] || 0) }, (err, address) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  console.log('listening on ' + address);
});
process.on('SIGTERM', () => fastify.close().then(() => process.exit(0)));
