import type { Customer, IncomingLead, Lead } from '../../src/leads/lead.js';

/** A complete, realistic lead; override what a test is about. */
export function makeLead(
  overrides: Omit<Partial<Lead>, 'customer'> & { customer?: Partial<Customer> } = {},
): Lead {
  const { customer, ...rest } = overrides;
  return {
    id: 'L-7K3Q9',
    receivedAt: '2026-11-24T10:00:00.000Z',
    source: {
      storefront: 'AppSource',
      action: 'PLT',
      raw: 'SPZA-PLT|pub.offer',
      rawActionCode: 'PLT',
      offerId: 'pub.offer',
    },
    offerTitle: 'Fabrikam Field Service for Teams',
    description: 'We want to pilot in Q3.',
    customer: {
      firstName: 'Avery',
      lastName: 'Lindqvist',
      email: 'avery.lindqvist@contoso.example.com',
      phone: '+1 425 555 0142',
      country: 'US',
      company: 'Contoso Manufacturing',
      title: 'IT Operations Manager',
      ...customer,
    },
    isTest: false,
    doNotContact: false,
    raw: '{}',
    fingerprint: 'fp',
    status: 'new',
    history: [],
    deliveries: [],
    version: 1,
    ...rest,
  };
}

/** A parsed lead, not yet stored; `n` makes its customer and fingerprint unique. */
export function makeIncoming(n: number): IncomingLead {
  return {
    source: { storefront: 'AppSource', action: 'PLT', raw: 'SPZA-PLT|pub.offer', rawActionCode: 'PLT' },
    offerTitle: 'Fabrikam Field Service',
    description: '',
    customer: {
      firstName: `Ann${n}`,
      lastName: 'Lee',
      email: `ann${n}@example.com`,
      phone: '',
      country: 'PT',
      company: 'Contoso',
      title: '',
    },
    isTest: false,
    doNotContact: false,
    raw: `{"n":${n}}`,
    fingerprint: `fp-${n}`,
  };
}

let nextStoredId = 0;

/** An incoming lead as intake would store it: a fresh id each time, new, a card pending in one channel. */
export function storedLead(incoming: IncomingLead): Lead {
  return {
    ...incoming,
    id: `L-${String(nextStoredId++).padStart(5, '0')}`,
    receivedAt: '2026-11-24T10:00:00.000Z',
    status: 'new',
    history: [],
    deliveries: [{ teamId: 't', conversationId: '19:c@thread.tacv2', state: 'pending', attempts: 0 }],
    version: 1,
  };
}
