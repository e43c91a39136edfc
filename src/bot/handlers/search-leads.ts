import type { MessagingExtensionResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { askerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { resultList } from '../cards/result-attachment.js';
import { resultAttachments } from './result-view.js';

/** manifest.json's `composeExtensions[0].commands[0]`: its id and its one parameter. */
export const SEARCH_COMMAND_ID = 'searchLeads';
export const SEARCH_PARAMETER = 'query';

// Teams asks for 25 at a time; more is never answered, whatever the invoke says.
const PAGE_MAX = 25;
const TEXT_MAX = 100;
const SKIP_MAX = 10_000;

const whole = (max: number) => z.coerce.number().int().min(0).max(max);

const queryValue = z.object({
  commandId: z.string().max(64),
  parameters: z
    .array(z.object({ name: z.string().max(64), value: z.unknown() }))
    .max(5)
    .default([]),
  queryOptions: z
    .object({
      skip: whole(SKIP_MAX).optional().catch(undefined),
      count: whole(1000).optional().catch(undefined),
    })
    .optional(),
});

export interface SearchRequest {
  /** What was typed; empty for Teams' initialRun (the extension just opened). */
  text: string;
  skip: number;
  count: number;
}

/** The invoke's value as a search, or undefined for anything that is not our command's. */
export function parseSearch(value: unknown): SearchRequest | undefined {
  const parsed = queryValue.safeParse(value);
  if (!parsed.success || parsed.data.commandId !== SEARCH_COMMAND_ID) return undefined;
  const { parameters, queryOptions } = parsed.data;
  const initialRun = parameters.some((p) => p.name === 'initialRun' && String(p.value) === 'true');
  const typed = parameters.find((p) => p.name === SEARCH_PARAMETER)?.value;
  if (typed !== undefined && typeof typed !== 'string') return undefined;
  const text = !initialRun && typeof typed === 'string' ? typed.trim().slice(0, TEXT_MAX) : '';
  const count = Math.min(queryOptions?.count || PAGE_MAX, PAGE_MAX);
  return { text, skip: queryOptions?.skip ?? 0, count };
}

/**
 * `composeExtension/query`: the leads the person may see that match what they typed (as `find`),
 * or, with nothing typed, their open leads and then the newest unclaimed; one page of them.
 * Anything else (another command, a malformed invoke) is an empty list, never an error.
 */
export async function searchLeads(context: TurnContext, deps: BotDeps): Promise<MessagingExtensionResponse> {
  const search = parseSearch(context.activity.value);
  if (!search) return resultList([]);
  const asker = askerOf(context.activity);
  const { leads } = search.text ? await deps.door.find(asker, search.text) : await deps.door.suggested(asker);
  const page = leads.slice(search.skip, search.skip + search.count);
  return resultList(resultAttachments(context, page, deps));
}
