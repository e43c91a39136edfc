import type { Customer, Lead } from '../../src/leads/lead.js';

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
