import { listMyDossiers } from '../../../api/citizen.ts';

export type Filed = { id: number; code: string; dueAt: string | null };

/** Clocks differ a little between the phone and the server. */
const SLACK_MS = 10 * 60_000;

/**
 * The dossier an earlier attempt filed, when its answer never arrived: the newest online dossier of this
 * procedure submitted since the attempt left. The server already removed the draft when it filed it.
 */
export async function findFiledDossier(code: string, since: string): Promise<Filed | null> {
  const list = await listMyDossiers(1, 10);
  const after = Date.parse(since) - SLACK_MS;
  const found = list.items.find(
    (d) => d.channel === 'online' && d.procedureCode === code && Date.parse(d.submittedAt) >= after,
  );
  return found ? { id: found.id, code: found.code, dueAt: found.dueAt } : null;
}
