import type { Lead, Person } from '../leads/lead.js';

/**
 * Shares one copy of the values that repeat across thousands of leads (offer, source, status,
 * team and channel ids, owners) when a month is loaded: JSON.parse gives each lead its own.
 * At 100k leads this is tens of megabytes. Only freshly parsed leads are touched.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();
  private readonly people = new Map<string, Person>();

  intern(lead: Lead): Lead {
    const s = (value: string) => this.string(value);
    lead.offerTitle = s(lead.offerTitle);
    lead.status = s(lead.status) as Lead['status'];
    const source = lead.source;
    source.storefront = s(source.storefront) as typeof source.storefront;
    source.action = s(source.action) as typeof source.action;
    source.raw = s(source.raw);
    source.rawActionCode = s(source.rawActionCode);
    lead.customer.country = s(lead.customer.country);
    lead.customer.company = s(lead.customer.company);
    lead.customer.title = s(lead.customer.title);
    if (lead.owner) lead.owner = this.person(lead.owner);
    for (const entry of lead.history) {
      entry.action = s(entry.action);
      if (entry.by.aadObjectId !== 'system') entry.by = this.person(entry.by as Person);
      if (entry.from) entry.from = s(entry.from) as Lead['status'];
      if (entry.to) entry.to = s(entry.to) as Lead['status'];
    }
    for (const delivery of lead.deliveries) {
      delivery.teamId = s(delivery.teamId);
      delivery.conversationId = s(delivery.conversationId);
      delivery.state = s(delivery.state) as typeof delivery.state;
    }
    return lead;
  }

  private string(value: string): string {
    if (typeof value !== 'string' || value.length > 200) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  private person(person: Person): Person {
    const key = JSON.stringify(person);
    const known = this.people.get(key);
    if (known) return known;
    this.people.set(key, person);
    return person;
  }
}
