// A priority as data: what the card, the tab (in the browser) and the lead events share. Kept
// apart from priority.ts so the tab's bundle does not carry the free-mail domain list.
import type { ActionCode } from './lead.js';

export const PRIORITY_LEVELS = ['high', 'medium', 'low', 'fyi'] as const;
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number];

export type PriorityReasonCode =
  | 'do-not-contact'
  | 'intent'
  | 'weak-intent'
  | 'company-email'
  | 'free-email'
  | 'academic-email'
  | 'domain-fits-company'
  | 'senior-title'
  | 'junior-title'
  | 'complete-contact'
  | 'missing-contact'
  | 'seen-again';

export type ContactField = 'name' | 'email' | 'phone' | 'company' | 'title' | 'country';

export interface PriorityReason {
  code: PriorityReasonCode;
  /** Points added to (or taken from) the score. */
  weight: number;
  /** The call to action behind `intent` / `weak-intent`. */
  action?: ActionCode;
  /** The fields `missing-contact` lacks. */
  missing?: ContactField[];
}

export interface Priority {
  level: PriorityLevel;
  score: number;
  /** Strongest first. */
  reasons: PriorityReason[];
}
