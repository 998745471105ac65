import type { FastifyInstance } from 'fastify';
import { DEMO_BANNER_TEXT_VI } from '../../core/demo.ts';

/**
 * While demo data is on (MOTCUA_DEMO, the default of `npm start`), every page says so at its top: the
 * accounts have a published password and the demo certificate authority is trusted, so nobody must
 * take it for a real centre. The web app translates the line once it has started (src/web/app/demo-banner.ts).
 */
export const DEMO_BANNER_ID = 'demo-banner';

const BANNER = `<div id="${DEMO_BANNER_ID}" role="note" style="background:#fff3bf;color:#5c3c00;border-bottom:2px solid #e8590c;padding:.45rem 1rem;font:600 1rem/1.4 system-ui,sans-serif;text-align:center"><style>@media print{#${DEMO_BANNER_ID}{display:none}}</style><span>${DEMO_BANNER_TEXT_VI}</span></div>`;

/** The page with the banner as the first thing in its body (once). */
export function withDemoBanner(html: string): string {
  if (html.includes(`id="${DEMO_BANNER_ID}"`)) return html;
  return html.replace(/<body[^>]*>/i, (body) => `${body}${BANNER}`);
}

/** Every HTML answer the server writes itself gets the banner (the app's index.html has it built in). */
export function registerDemoBanner(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.hasHeader('content-encoding')) return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    if (typeof payload === 'string') return withDemoBanner(payload);
    if (Buffer.isBuffer(payload)) {
      return payload.includes(`id="${DEMO_BANNER_ID}"`)
        ? payload
        : Buffer.from(withDemoBanner(payload.toString('utf8')));
    }
    return payload;
  });
}
