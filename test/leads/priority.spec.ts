import assert from 'node:assert/strict';
import { countryCode, countryName } from '../../src/leads/countries.js';
import type { ActionCode, Customer } from '../../src/leads/lead.js';
import { parseMarketplaceLead } from '../../src/leads/marketplace-payload.js';
import { computePriority, domainFitsCompany, priorityOf } from '../../src/leads/priority.js';
import { attachRepeat } from '../../src/leads/repeats.js';
import { makeLead } from '../fakes/lead-factory.js';

const complete: Customer = {
  firstName: 'Ana',
  lastName: 'Silva',
  email: 'ana@contoso.com',
  phone: '+351 912 345 678',
  country: 'PT',
  company: 'Contoso',
  title: 'Analyst',
};

interface Row {
  name: string;
  action: ActionCode;
  customer: Partial<Customer>;
  doNotContact?: boolean;
  level: string;
  reasons: string[];
  country?: string;
}

// The table: each signal alone and together, with the level and reasons expected.
const table: Row[] = [
  {
    name: 'free-mail, Get it now',
    action: 'INS',
    customer: { email: 'ana.silva@gmail.com' },
    level: 'low',
    reasons: ['free-email', 'complete-contact', 'weak-intent'],
  },
  {
    name: '.edu student, Contact me',
    action: 'PLT',
    customer: { email: 'sam@stanford.edu', title: 'Student', company: 'Stanford University' },
    level: 'low',
    reasons: ['intent', 'academic-email', 'junior-title', 'complete-contact'],
  },
  {
    name: 'CTO with the company’s own domain, Contact me',
    action: 'PLT',
    customer: { email: 'li@contoso.com', company: 'Contoso Ltd', title: 'CTO' },
    level: 'high',
    reasons: ['intent', 'senior-title', 'company-email', 'domain-fits-company', 'complete-contact'],
  },
  {
    name: 'Portuguese Diretor, Get it now, country by name',
    action: 'INS',
    customer: {
      email: 'joao@fabrikam.pt',
      company: 'Fabrikam, Lda.',
      title: 'Diretor de Sistemas de Informação',
      country: 'Estados Unidos',
    },
    country: 'US',
    level: 'high',
    reasons: ['senior-title', 'company-email', 'domain-fits-company', 'complete-contact', 'weak-intent'],
  },
  {
    name: 'Spanish Jefa on free-mail, Contact me, country by ISO-3',
    action: 'PLT',
    customer: { email: 'lucia@hotmail.com', title: 'Jefa de Compras', country: 'ESP' },
    country: 'ES',
    level: 'high',
    reasons: ['intent', 'senior-title', 'free-email', 'complete-contact'],
  },
  {
    name: 'Azure portal Create, a domain that is not the company’s, phone and title missing',
    action: 'Create',
    customer: { email: 'li@northwind.com', phone: '', title: '' },
    level: 'medium',
    reasons: ['intent', 'company-email', 'missing-contact'],
  },
  {
    name: 'Contact me on free-mail, no title',
    action: 'PLT',
    customer: { email: 'ana@outlook.com', title: '' },
    level: 'medium',
    reasons: ['intent', 'free-email'],
  },
  {
    name: 'Test drive, Estudante on free-mail',
    action: 'StartTestDrive',
    customer: { email: 'ana@sapo.pt', title: 'Estudante de Engenharia' },
    level: 'low',
    reasons: ['intent', 'junior-title', 'free-email', 'complete-contact'],
  },
  {
    name: 'Marketing intern at the company',
    action: 'PLT',
    customer: { title: 'Marketing Intern' },
    level: 'medium',
    reasons: ['intent', 'junior-title', 'company-email', 'domain-fits-company', 'complete-contact'],
  },
  {
    name: 'missing fields',
    action: 'INS',
    customer: { email: '', phone: '', company: '', title: '' },
    level: 'low',
    reasons: ['missing-contact', 'weak-intent'],
  },
  {
    name: 'do-not-contact, however senior',
    action: 'DNC',
    customer: { title: 'CEO' },
    doNotContact: true,
    level: 'fyi',
    reasons: ['do-not-contact'],
  },
];

describe('lead priority', () => {
  for (const row of table)
    it(`${row.name} → ${row.level}`, () => {
      const lead = makeLead({
        source: { storefront: 'AppSource', action: row.action, raw: '', rawActionCode: row.action },
        customer: { ...complete, ...row.customer },
        doNotContact: row.doNotContact ?? false,
      });
      const priority = computePriority(lead);
      assert.deepEqual(
        { level: priority.level, reasons: priority.reasons.map((r) => r.code) },
        { level: row.level, reasons: row.reasons },
      );
      if (row.country) assert.equal(countryCode(lead.customer.country), row.country);
    });

  it('names the missing fields', () => {
    const priority = computePriority(makeLead({ customer: { ...complete, phone: '', title: ' ' } }));
    assert.deepEqual(priority.reasons.find((r) => r.code === 'missing-contact')?.missing, ['phone', 'title']);
  });

  it('a repeat adds to it: a stronger call to action and the interest shown again', () => {
    const first = makeLead({
      source: { storefront: 'AppSource', action: 'INS', raw: '', rawActionCode: 'INS' },
      customer: { ...complete, email: 'ana@gmail.com' },
    });
    const before = computePriority(first);
    assert.equal(before.level, 'low');
    const again = parseMarketplaceLead(
      JSON.stringify({
        UserDetails: { Email: 'ana@gmail.com' },
        ActionCode: 'PLT',
        OfferTitle: first.offerTitle,
      }),
    );
    const merged = attachRepeat({ ...first, priority: before }, again, new Date('2026-11-25T10:00:00Z'));
    assert.equal(merged.priority?.level, 'medium');
    assert.deepEqual(
      merged.priority?.reasons.map((r) => [r.code, r.action]),
      [
        ['intent', 'PLT'],
        ['seen-again', undefined],
        ['free-email', undefined],
        ['complete-contact', undefined],
      ],
    );
  });

  it('a lead stored before priorities gets one when read', () => {
    const old = makeLead();
    assert.equal(old.priority, undefined);
    assert.equal(priorityOf(old).level, 'high');
    const stored = { ...old, priority: { level: 'low' as const, score: 0, reasons: [] } };
    assert.equal(priorityOf(stored).level, 'low', 'the stored one is kept');
  });

  it('the e-mail domain fits the company only when it names it', () => {
    assert.equal(domainFitsCompany('mail.fabrikam.co.uk', 'Fabrikam, Inc.'), true);
    assert.equal(domainFitsCompany('contoso-group.com', 'Contoso'), true);
    assert.equal(domainFitsCompany('northwind.com', 'Contoso'), false);
    assert.equal(domainFitsCompany('co.uk', 'Co'), false);
    assert.equal(domainFitsCompany('contoso.com', ''), false);
  });
});

describe('countries', () => {
  it('reads ISO alpha-2, alpha-3 and names in English, Portuguese and Spanish as one code', () => {
    for (const [text, code] of <Array<[string, string]>>[
      ['US', 'US'],
      ['us', 'US'],
      ['USA', 'US'],
      ['United States', 'US'],
      ['Estados Unidos', 'US'],
      ['Portugal', 'PT'],
      [' PRT ', 'PT'],
      ['Alemanha', 'DE'],
      ['España', 'ES'],
    ])
      assert.equal(countryCode(text), code, text);
    for (const text of ['', 'XX', 'Atlantis', 'ZZZ', 'x'.repeat(500)])
      assert.equal(countryCode(text), undefined, text);
  });

  it('shows a country by name in the reader’s language, and an unknown one as sent', () => {
    assert.equal(countryName('USA', 'pt-PT'), 'Estados Unidos');
    assert.equal(countryName('Estados Unidos', 'en-GB'), 'United States');
    assert.equal(countryName('DEU', 'pt-PT'), 'Alemanha');
    assert.equal(countryName(' Atlantis ', 'en-GB'), 'Atlantis');
  });
});
