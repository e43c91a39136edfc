import { CardFactory, type TurnContext, teamsGetTeamInfo } from 'botbuilder';
import type { MessageKey } from '../../i18n/translator.js';
import { looksLikeAddress, MAX_CAPACITY, type RuleField, ruleValue } from '../../leads/auto-assign.js';
import type { SettingsChange } from '../../leads/auto-assign-settings.js';
import type { AutoAssignView } from '../../leads/door.js';
import { viewerOf } from '../actor.js';
import type { BotDeps } from '../bot-deps.js';
import { renderAutoAssignCard, ruleText } from '../cards/auto-assign-card.js';
import { recordInstallation } from '../installation.js';
import { viewFor } from '../turn-helpers.js';

/** What the words after `auto-assign` ask for, or what is wrong with them. */
type Parsed =
  | { status: true }
  | { change: SettingsChange }
  | { problem: MessageKey; params?: Record<string, string> };

// The fields as typed in English or Portuguese.
const FIELD_WORDS: Record<string, RuleField> = {
  country: 'country',
  país: 'country',
  pais: 'country',
  offer: 'offer',
  oferta: 'offer',
  storefront: 'storefront',
  loja: 'storefront',
  priority: 'priority',
  prioridade: 'priority',
};

const MAX_TEXT = 2000;

/** Splits a list of e-mails, checking each (lower-cased). */
function addresses(text: string): string[] | { problem: MessageKey; params: Record<string, string> } {
  const names = text
    .split(/[\s,;]+/)
    .map((n) => n.trim().toLowerCase())
    .filter(Boolean);
  const wrong = names.find((n) => !looksLikeAddress(n));
  return wrong ? { problem: 'auto.invalid.address', params: { value: wrong.slice(0, 80) } } : names;
}

export function parseAutoAssign(text: string): Parsed {
  const words = text.replace(/\s+/g, ' ').trim();
  if (words.length > MAX_TEXT) return { problem: 'auto.invalid.usage' };
  const lower = words.toLowerCase();
  if (lower === '' || lower === 'status') return { status: true };
  if (lower === 'on') return { change: { kind: 'on' } };
  if (lower === 'off') return { change: { kind: 'off' } };
  if (lower === 'everyone' || lower === 'all') return { change: { kind: 'everyone' } };
  if (/^rules? clear$/.test(lower)) return { change: { kind: 'rules clear' } };
  const capacity = /^capacity (\S+)$/.exec(lower);
  if (capacity) {
    const value = capacity[1] ?? '';
    if (value === 'off') return { change: { kind: 'capacity', capacity: undefined } };
    return /^\d{1,6}$/.test(value)
      ? { change: { kind: 'capacity', capacity: Number(value) } }
      : { problem: 'auto.invalid.capacity', params: { limit: String(MAX_CAPACITY) } };
  }
  const only = /^only (.+)$/.exec(words);
  if (only) {
    const people = addresses(only[1] ?? '');
    return 'problem' in people ? people : { change: { kind: 'only', people } };
  }
  const rule = /^rule (\S+) (.+?) to (.+)$/i.exec(words);
  if (rule) {
    const field = FIELD_WORDS[(rule[1] ?? '').toLowerCase()];
    if (!field) return { problem: 'auto.invalid.field' };
    const values: string[] = [];
    for (const typed of (rule[2] ?? '').split(',')) {
      const value = ruleValue(field, typed);
      if (!value)
        return { problem: 'auto.invalid.value', params: { value: typed.trim().slice(0, 80), field } };
      values.push(value);
    }
    const to = addresses(rule[3] ?? '');
    return 'problem' in to ? to : { change: { kind: 'rule', field, values, to } };
  }
  if (/^rule\b/i.test(words)) return { problem: 'auto.invalid.field' };
  return { problem: 'auto.invalid.usage' };
}

/**
 * `auto-assign [on|off|only …|everyone|capacity …|rule …|rules clear]`, managers, in a team's
 * channel: the door changes the team's settings; the reply says what changed, then the status.
 */
export async function autoAssignCommand(
  context: TurnContext,
  [text = '']: string[],
  deps: BotDeps,
): Promise<void> {
  const { t } = viewFor(context, deps);
  const teamId = teamsGetTeamInfo(context.activity)?.id;
  if (!teamId) {
    await context.sendActivity(t('command.needsTeamChannel'));
    return;
  }
  const parsed = parseAutoAssign(text);
  if ('problem' in parsed) {
    const params = {
      ...parsed.params,
      ...(parsed.params?.field ? { field: t(`auto.field.${parsed.params.field as RuleField}`) } : {}),
    };
    await context.sendActivity(t(parsed.problem, params));
    return;
  }
  await recordInstallation(context, deps);
  const viewer = await viewerOf(context, deps);
  const result =
    'status' in parsed
      ? await deps.door.autoAssign(viewer, teamId)
      : await deps.door.changeAutoAssign(viewer, teamId, parsed.change);
  if (!result) {
    await context.sendActivity(t('auto.noMembers'));
    return;
  }
  if ('refused' in result) {
    await context.sendActivity(t('refusal.managersOnly'));
    return;
  }
  if ('invalid' in result) {
    await context.sendActivity(
      result.invalid === 'not_members'
        ? t('auto.invalid.notMembers', { names: t.formatList(result.names.slice(0, 10)) })
        : result.invalid === 'nobody'
          ? t('auto.invalid.nobody')
          : result.invalid === 'capacity'
            ? t('auto.invalid.capacity', { limit: result.limit })
            : t('auto.invalid.tooMany', { limit: result.limit }),
    );
    return;
  }
  const view = 'view' in result ? result.view : result;
  const line = 'change' in parsed ? savedLine(parsed.change, view, t) : undefined;
  if ('change' in parsed)
    deps.log.info('auto-assign changed', {
      team: teamId,
      change: parsed.change.kind,
      enabled: view.settings.enabled,
    });
  const card = renderAutoAssignCard(view, { t, timeZone: deps.config.timeZone, now: deps.now() });
  await context.sendActivity({
    ...(line ? { text: line } : {}),
    attachments: [CardFactory.adaptiveCard(card)],
  });
}

function savedLine(change: SettingsChange, view: AutoAssignView, t: ReturnType<typeof viewFor>['t']): string {
  const rotation = view.rotation.filter((r) => r.inRotation).map((r) => r.person.name);
  switch (change.kind) {
    case 'on':
      return rotation.length > 0
        ? t('auto.saved.on', { people: t.formatList(rotation) })
        : t('auto.saved.onNobody');
    case 'off':
      return t('auto.saved.off');
    case 'only':
      return t('auto.saved.only', { people: t.formatList(rotation) });
    case 'everyone':
      return t('auto.saved.everyone');
    case 'capacity':
      return change.capacity === undefined
        ? t('auto.saved.capacityOff')
        : t('auto.saved.capacity', { count: change.capacity });
    case 'rule': {
      const added = view.settings.rules.at(-1);
      return t('auto.saved.rule', { rule: added ? ruleText(added, t) : '' });
    }
    case 'rules clear':
      return t('auto.saved.rulesClear');
  }
}
