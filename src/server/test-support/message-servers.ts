import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Local servers that speak the providers' protocols, for the notification tests: Zalo ZNS's template API,
 * an SMS brandname gateway and SMTP. Each keeps what reached the "citizen", deduplicates on the
 * provider's id as the real ones do, and takes injected failures: an HTTP 5xx, a slow answer (a
 * timeout), an answer lost after the message was taken, a ZNS error code for a number.
 */
/** hang-after-accept: the message is taken and the answer never comes (the caller is killed meanwhile). */
export type Fault = 'http500' | 'slow' | 'drop-after-accept' | 'hang-after-accept';

/** A message the provider took, with its id and when it first arrived (ms since the epoch). */
type Delivered<T> = T & { providerId: string; at: number };

function listen(server: http.Server) {
  return new Promise<string>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      text += c;
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(text || '{}'));
      } catch (err) {
        reject(err);
      }
    });
  });
}

function common() {
  const faults: Fault[] = [];
  let requests = 0;
  return {
    faults,
    /** Queues failures for the next requests, in order. */
    fail(...next: Fault[]) {
      faults.push(...next);
    },
    get requests() {
      return requests;
    },
    count() {
      requests++;
    },
  };
}

/** POST /message/template with header access_token; answers `{ error, message, data: { msg_id } }`. */
export async function startZnsServer(accessToken: string) {
  const state = common();
  const delivered = new Map<
    string,
    Delivered<{ phone: string; template_id: string; template_data: Record<string, string> }>
  >();
  /** ZNS error codes by phone number (e.g. -118 not on Zalo, -115 out of quota). */
  const codes = new Map<string, number>();
  let seq = 0;
  const server = http.createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/_delivered') {
      // For a benchmark that runs this server in a process of its own: what arrived, and when.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ requests: state.requests, delivered: [...delivered.values()] }));
      return;
    }
    state.count();
    if (req.method !== 'POST' || req.url !== '/message/template') {
      res.writeHead(404).end();
      return;
    }
    const body = await readJson(req);
    const fault = state.faults.shift();
    if (fault === 'http500') {
      res.writeHead(500).end('{"error":-100}');
      return;
    }
    if (fault === 'slow') {
      setTimeout(() => res.destroy(), 3_000).unref();
      return;
    }
    if (req.headers.access_token !== accessToken) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"error":-124,"message":"Access token invalid"}');
      return;
    }
    const phone = String(body.phone);
    const code = codes.get(phone);
    if (code !== undefined) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: code, message: 'refused' }));
      return;
    }
    const tracking = String(body.tracking_id);
    let message = delivered.get(tracking);
    if (!message) {
      message = {
        phone,
        template_id: String(body.template_id),
        template_data: body.template_data as Record<string, string>,
        providerId: `zns-${++seq}`,
        at: Date.now(),
      };
      delivered.set(tracking, message);
    }
    if (fault === 'drop-after-accept') {
      res.destroy();
      return;
    }
    if (fault === 'hang-after-accept') return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        error: 0,
        message: 'Success',
        data: { msg_id: message.providerId, sent_time: String(Date.now()) },
      }),
    );
  });
  const url = await listen(server);
  return {
    url: `${url}/message/template`,
    faults: state.faults,
    fail: state.fail,
    /** Requests that reached the server (retries included). */
    get requests() {
      return state.requests;
    },
    codes,
    /** What reached citizens' Zalo, one per tracking id. */
    delivered: () => [...delivered.values()],
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** POST /send with a bearer API key: `{ to, text, requestId }`; 409 for a request id already sent. */
export async function startSmsServer(apiKey: string) {
  const state = common();
  const delivered = new Map<string, Delivered<{ to: string; text: string }>>();
  let seq = 0;
  const server = http.createServer(async (req, res) => {
    state.count();
    if (req.method !== 'POST' || req.url !== '/send') {
      res.writeHead(404).end();
      return;
    }
    const body = await readJson(req);
    const fault = state.faults.shift();
    if (fault === 'http500') {
      res.writeHead(503).end();
      return;
    }
    if (fault === 'slow') {
      setTimeout(() => res.destroy(), 3_000).unref();
      return;
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      res.writeHead(401).end();
      return;
    }
    const id = String(body.requestId);
    if (delivered.has(id)) {
      res.writeHead(409, { 'content-type': 'application/json' }).end('{"error":"duplicate requestId"}');
      return;
    }
    const message = {
      to: String(body.to),
      text: String(body.text),
      providerId: `sms-${++seq}`,
      at: Date.now(),
    };
    delivered.set(id, message);
    if (fault === 'drop-after-accept') {
      res.destroy();
      return;
    }
    if (fault === 'hang-after-accept') return;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ messageId: message.providerId }));
  });
  const url = await listen(server);
  return {
    url: `${url}/send`,
    faults: state.faults,
    fail: state.fail,
    /** Requests that reached the server (retries included). */
    get requests() {
      return state.requests;
    },
    delivered: () => [...delivered.values()],
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** An SMTP server (smtp-server) that keeps every mail it accepts; a queued fault answers 451 once. */
export async function startSmtpServer() {
  const mails: { to: string[]; raw: string }[] = [];
  let tempFailures = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (c: string) => {
        raw += c;
      });
      stream.on('end', () => {
        if (tempFailures > 0) {
          tempFailures--;
          const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
          callback(err);
          return;
        }
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    failNext(n = 1) {
      tempFailures += n;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
