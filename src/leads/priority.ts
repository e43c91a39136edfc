// How urgent a lead is, and why: High, Medium or Low from a few signals, each with a weight the
// README documents. Do-not-contact leads are for information only and are not ranked.
import { createRequire } from 'node:module';
import type { ActionCode, Customer, Lead } from './lead.js';
import { type ContactField, PRIORITY_LEVELS, type Priority, type PriorityReason } from './priority-levels.js';

let freeMail: ReadonlySet<string> | undefined;
/** 2 MB of free-mail domains (0.15 s to load): read on the first lead's e-mail, not at every start. */
function freeMailDomains(): ReadonlySet<string> {
  freeMail ??= (
    createRequire(import.meta.url)('free-email-domains-list/build/src/constants.js') as {
      DOMAINS: ReadonlySet<string>;
    }
  ).DOMAINS;
  return freeMail;
}

export * from './priority-levels.js';

/** The weights, in one place (the README's table copies them). */
export const WEIGHTS = {
  intent: 2,
  weakIntent: 0,
  companyEmail: 1,
  freeEmail: -1,
  academicEmail: -2,
  domainFitsCompany: 1,
  seniorTitle: 2,
  juniorTitle: -2,
  completeContact: 1,
  missingContact: -1,
  seenAgain: 1,
} as const;

/** Score at or above which a lead is High; Medium from MEDIUM_FROM; Low below. */
export const HIGH_FROM = 4;
export const MEDIUM_FROM = 1;

const INTENT: Partial<Record<ActionCode, number>> = {
  Create: WEIGHTS.intent,
  PLT: WEIGHTS.intent,
  StartTestDrive: WEIGHTS.intent,
  INS: WEIGHTS.weakIntent,
};

/** What the priority is computed from: the first sighting and any repeats. */
export type PriorityInput = Pick<Lead, 'customer' | 'doNotContact' | 'source' | 'repeats'>;

export function computePriority(lead: PriorityInput): Priority {
  if (lead.doNotContact) return { level: 'fyi', score: 0, reasons: [{ code: 'do-not-contact', weight: 0 }] };
  const reasons = [
    ...intentReasons(lead),
    ...emailReasons(lead.customer),
    ...titleReasons(lead.customer.title),
    ...completenessReasons(lead.customer),
  ];
  const score = reasons.reduce((sum, r) => sum + r.weight, 0);
  const level = score >= HIGH_FROM ? 'high' : score >= MEDIUM_FROM ? 'medium' : 'low';
  return { level, score, reasons: reasons.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)) };
}

/** The stored priority, or (a lead from before priorities) the one its data gives now. */
export function priorityOf(lead: Lead): Priority {
  if (lead.priority) return lead.priority;
  // Sorting 100k old leads by priority asks for each many times: compute each lead object once.
  let computed = computedFor.get(lead);
  if (!computed) {
    computed = computePriority(lead);
    computedFor.set(lead, computed);
  }
  return computed;
}

const computedFor = new WeakMap<Lead, Priority>();

/** High first, FYI last: for lists that put the most urgent lead on top. */
export function priorityRank(lead: Lead): number {
  return PRIORITY_LEVELS.indexOf(priorityOf(lead).level);
}

function intentReasons(lead: PriorityInput): PriorityReason[] {
  // The strongest call to action of any sighting counts; a repeat adds its own point.
  const sightings = [lead.source, ...(lead.repeats ?? []).map((r) => r.source)];
  const known = sightings.filter((s) => INTENT[s.action] !== undefined);
  const best = known.sort((a, b) => (INTENT[b.action] ?? 0) - (INTENT[a.action] ?? 0))[0];
  const reasons: PriorityReason[] = [];
  if (best) {
    const weight = INTENT[best.action] ?? 0;
    reasons.push({ code: weight > 0 ? 'intent' : 'weak-intent', weight, action: best.action });
  }
  if ((lead.repeats ?? []).length > 0) reasons.push({ code: 'seen-again', weight: WEIGHTS.seenAgain });
  return reasons;
}

function emailReasons(customer: Customer): PriorityReason[] {
  const at = customer.email.lastIndexOf('@');
  const domain =
    at < 0
      ? ''
      : customer.email
          .slice(at + 1)
          .trim()
          .toLowerCase();
  if (domain === '') return [];
  if (/\.(edu|ac)(\.[a-z]{2})?$/.test(domain))
    return [{ code: 'academic-email', weight: WEIGHTS.academicEmail }];
  if (freeMailDomains().has(domain)) return [{ code: 'free-email', weight: WEIGHTS.freeEmail }];
  const reasons: PriorityReason[] = [{ code: 'company-email', weight: WEIGHTS.companyEmail }];
  if (domainFitsCompany(domain, customer.company))
    reasons.push({ code: 'domain-fits-company', weight: WEIGHTS.domainFitsCompany });
  return reasons;
}

// Legal forms and words that say nothing about which company it is.
const COMPANY_NOISE = new Set(
  'inc ltd llc lda ltda sa sl bv ag gmbh plc corp corporation co company limited group the de da do'.split(
    ' ',
  ),
);
const DOMAIN_NOISE = new Set('www mail email com net org co gov biz info'.split(' '));

/** `contoso.com` for "Contoso Ltd", `mail.fabrikam.co.uk` for "Fabrikam, Inc.". */
export function domainFitsCompany(domain: string, company: string): boolean {
  const words = plainWords(company).filter((w) => !COMPANY_NOISE.has(w));
  const first = words[0];
  if (first === undefined) return false;
  const compact = words.join('');
  const labels = domain
    .split('.')
    .slice(0, -1)
    .filter((l) => l.length >= 3 && !DOMAIN_NOISE.has(l));
  return labels.some((label) => {
    const bare = label.replace(/-/g, '');
    return compact.includes(bare) || bare.includes(compact) || (first.length >= 4 && bare.startsWith(first));
  });
}

function plainWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

// English, Portuguese and Spanish, without accents (titles are compared without them).
const SENIOR = new Set(
  [
    'chief ceo cto cio cfo coo cmo cdo cso cro cpo ciso vp svp evp president director head owner founder',
    'cofounder partner principal',
    'diretor diretora presidente fundador fundadora socio socia proprietario proprietaria dono dona',
    'gerente administrador administradora chefe',
    'directora jefe jefa dueno duena propietario propietaria',
  ]
    .join(' ')
    .split(' '),
);
const JUNIOR = new Set(
  'student intern trainee apprentice estudante aluno aluna estagiario estagiaria estudiante alumno alumna becario becaria pasante'.split(
    ' ',
  ),
);

function titleReasons(title: string): PriorityReason[] {
  const words = plainWords(title);
  // A student who calls themselves "founder" of a side project is still a student.
  if (words.some((w) => JUNIOR.has(w))) return [{ code: 'junior-title', weight: WEIGHTS.juniorTitle }];
  if (words.some((w) => SENIOR.has(w))) return [{ code: 'senior-title', weight: WEIGHTS.seniorTitle }];
  return [];
}

function completenessReasons(customer: Customer): PriorityReason[] {
  const given: Record<ContactField, string> = {
    name: `${customer.firstName}${customer.lastName}`,
    email: customer.email,
    phone: customer.phone,
    company: customer.company,
    title: customer.title,
    country: customer.country,
  };
  const missing = (Object.keys(given) as ContactField[]).filter((field) => given[field].trim() === '');
  if (missing.length === 0) return [{ code: 'complete-contact', weight: WEIGHTS.completeContact }];
  if (missing.length >= 2) return [{ code: 'missing-contact', weight: WEIGHTS.missingContact, missing }];
  return [];
}
