// The small settings file of the embedded store (`lead-assistant.json` in DATA_DIR): where the bot
// is installed, routing, digests, checkpoints, event endpoints and the months that hold leads. Leads
// live in `leads/YYYY-MM.json`. Opening it checks it against the leads folder and migrates version 1.
import { chmod, copyFile, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageError, StorageUnavailableError } from '../../errors.js';
import type { AutoAssign, Away } from '../../leads/auto-assign-data.js';
import type { EventEndpoint } from '../../leads/event-cursor.js';
import type { Lead } from '../../leads/lead.js';
import type { DigestSubscription, Installation, Routing } from '../../leads/store.js';
import { describeError } from '../../log.js';
import { DurableJsonFile, TEMP_SUFFIX } from '../durable-json-file.js';
import type { LeadPartitions } from '../lead-partitions.js';
import { PRIVATE_FILE_MODE } from '../private-files.js';

/** The small file: where the bot is installed, routing, digests. Leads live in `leads/YYYY-MM.json`. */
export interface Meta {
  schema: 2;
  installations: Installation[];
  routing: Routing;
  digests: DigestSubscription[];
  /** Every month that holds leads (`YYYY-MM`): a month whose files all vanish is noticed at start. */
  months?: string[];
  /** Lead events endpoints (EVENTS_URL), by the hash of their URL. */
  eventEndpoints?: EventEndpoint[];
  /** Sources' checkpoints (e.g. the MarketplaceLeads poller's), by name. */
  checkpoints?: Record<string, string>;
  /** Automatic assignment, per team: settings and the rotation's turns. */
  autoAssign?: AutoAssign[];
  /** Who is away (not assigned automatically until then). */
  away?: Away[];
}

/** Version 1 kept the leads in the same file; opening it moves them out. */
interface MetaV1 extends Omit<Meta, 'schema' | 'digests'> {
  schema: 1;
  leads: Lead[];
  digests?: DigestSubscription[];
}

export const FILE_NAME = 'lead-assistant.json';

/**
 * Reads (or creates) the settings file, refusing, changing nothing, when it or a month it lists is
 * missing while leads are there; moves a version 1 file's leads into their month files first.
 */
export async function openSettingsFile(
  dataDir: string,
  partitions: LeadPartitions,
): Promise<{ meta: Meta; file: DurableJsonFile<Meta> }> {
  const leadsDir = join(dataDir, 'leads');
  const path = join(dataDir, FILE_NAME);
  const file = new DurableJsonFile<Meta | MetaV1>(path);
  const found = await file.read();
  if (!found && partitions.keys.length > 0) {
    throw new StorageError(
      `${path} is missing, but ${leadsDir} holds leads: without it the bot would forget every team ` +
        'it is installed in, and where leads go. Nothing was changed. Restore it from your backup ' +
        'of DATA_DIR. If the bot was never added to a team, create it with the content ' +
        `${JSON.stringify(emptyMeta())} and start again.`,
    );
  }
  let meta = found ?? emptyMeta();
  if (!found) await file.write(meta); // from now on, leads without it mean it was lost
  if (meta.schema === 1 && Array.isArray(meta.leads)) {
    // Leads are durable in their month files before the old file stops holding them.
    await copyFile(path, `${path}.v1.bak`);
    await chmod(`${path}.v1.bak`, PRIVATE_FILE_MODE);
    await partitions.putAll(meta.leads);
    const { leads: _moved, ...rest } = meta;
    meta = { ...rest, schema: 2, digests: rest.digests ?? [] };
    await file.write(meta);
  }
  if (meta.schema !== 2) {
    throw new StorageError(`${path} is not a Lead Assistant data file (schema ${String(meta.schema)}).`);
  }
  const gone = (meta.months ?? []).filter((key) => !partitions.keys.includes(key));
  if (gone.length > 0) {
    throw new StorageError(
      `${path} lists the leads of ${gone.join(', ')}, but ${leadsDir} has no file for ` +
        `${gone.length > 1 ? 'those months' : 'that month'} (${gone.map((k) => `${k}.json, ${k}.changes.*.jsonl`).join('; ')}). ` +
        'Those leads would be lost. Nothing was changed. Restore the leads folder from your backup of DATA_DIR, then start again.',
    );
  }
  const months = [...new Set([...(meta.months ?? []), ...partitions.keys])].sort();
  if (months.length !== (meta.months ?? []).length) {
    meta = { ...meta, months }; // months written by a version that did not list them, or a crash
    await file.write(meta);
  }
  return { meta, file: file as DurableJsonFile<Meta> };
}

/**
 * The lead-event endpoints of the settings file, read before the leads so they are indexed against
 * them once; a file missing or damaged gives none here and is dealt with by openSettingsFile.
 */
export async function readEventEndpoints(dataDir: string): Promise<EventEndpoint[]> {
  const found = await new DurableJsonFile<Partial<Meta>>(join(dataDir, FILE_NAME)).read().catch(() => null);
  return Array.isArray(found?.eventEndpoints) ? found.eventEndpoints : [];
}

export function lockLost(dataDir: string): StorageUnavailableError {
  return new StorageUnavailableError(
    `This process no longer holds the lock on ${dataDir} (the lock file was deleted or taken), so it ` +
      'writes nothing more. Stop it, check that no other Lead Assistant uses that folder, and start it again.',
  );
}

/** Writes, syncs and removes a small file: can the data folder take writes again? */
export async function probeWrite(dir: string): Promise<void> {
  const path = join(dir, `.healthz-probe${TEMP_SUFFIX}`);
  try {
    const file = await open(path, 'w', PRIVATE_FILE_MODE);
    try {
      await file.writeFile(Buffer.alloc(4096));
      await file.sync();
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new StorageUnavailableError(`Could not write to ${dir}: ${describeError(error)}`);
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

export function emptyMeta(): Meta {
  return { schema: 2, installations: [], routing: { byStorefront: {} }, digests: [] };
}
