// English messages. Every user-facing string lives here and in pt-pt.ts; keys are typed from this file.
export const en = {
  'action.contactMe': 'Contact me',
  'action.getItNow': 'Get it now / Free trial',
  'action.testDrive': 'Test drive',
  'action.create': 'Azure portal create',
  'action.doNotContact': 'Do not contact',
  'action.unknown': 'Lead',
  'storefront.appSource': 'AppSource',
  'storefront.azureMarketplace': 'Azure Marketplace',
  'storefront.azurePortal': 'Azure portal',
  'storefront.testDrive': 'Test drive',
  'storefront.unknown': 'Marketplace',
  'status.new': 'New',
  'status.assigned': 'Assigned',
  'status.qualified': 'Qualified',
  'status.opportunity': 'Opportunity',
  'status.won': 'Won',
  'status.lost': 'Lost',
  'status.disqualified': 'Disqualified',

  'card.offer': 'Offer',
  'card.company': 'Company',
  'card.jobTitle': 'Job title',
  'card.country': 'Country',
  'card.email': 'E-mail',
  'card.phone': 'Phone',
  'card.note': 'Customer’s note',
  'card.received': 'Received {time}',
  'card.unassigned': 'Not claimed yet',
  'card.claimedBy': 'Claimed by {name} · {time}',
  'card.ownedBy': 'Owner: {name}',
  'card.noName': 'Name not given',
  'card.notGiven': '—',
  'card.claim': 'Claim',
  'card.refresh': 'Refresh',
  'card.doNotContact': 'The customer asked not to be contacted. Shown for your information only.',
  'card.testLead': 'Test lead from Partner Center. It is stored but not for sales.',
  'card.fallback': 'New lead: {action} · {offer}',

  'help.title': 'Lead Assistant',
  'help.intro':
    'I post every Azure Marketplace and AppSource lead into your sales channel as a card. Claim a lead on its card and everyone sees who has it.',
  'help.commands': 'Commands',
  'help.cmdHelp': 'What I can do (this card).',
  'help.cmdLead': 'Show a lead’s card, e.g. lead L-7K3Q9.',
  'help.cmdUseChannel': 'In a team channel: post new leads here (managers).',
  'help.cmdUseChannelFor':
    'In a team channel: post only these leads here (appsource, azure marketplace, azure portal, test drive).',

  'welcome.title': 'Lead Assistant is ready',
  'welcome.body':
    'New customer leads from Azure Marketplace and AppSource will appear in {channel} as cards. Claim a lead on its card and everyone sees who has it.',
  'welcome.thisChannel': 'this channel',
  'welcome.change':
    'To use another channel, write @Lead Assistant use this channel for leads there. Managers can also split leads by storefront, e.g. use this channel for appsource leads.',
  'welcome.connect':
    'Connect Partner Center: in each offer, Offer setup → Customer leads → HTTPS endpoint, paste the lead URL your admin set up, then Validate.',

  'command.unknown': 'I didn’t get that. Type help to see what I can do.',
  'command.invalidLeadId': '“{text}” is not a lead id. Lead ids look like L-7K3Q9.',
  'command.unknownStorefront':
    'I don’t know “{text}” leads. Use appsource, azure marketplace, azure portal or test drive, or leave it out for all leads.',
  'command.needsTeamChannel': 'Write this in the team channel that should get the leads.',
  'command.channelSet': 'New leads will now be posted in this channel.',
  'command.channelSetFor': '{storefront} leads will now be posted in this channel.',

  'refusal.guest': 'Guests can’t work on leads. Ask a member of the team.',
  'refusal.doNotContact': 'The customer asked not to be contacted, so this lead has no sales actions.',
  'refusal.testLead': 'This is a test lead from Partner Center; there is nothing to do with it.',
  'refusal.notClaimable': 'This lead is no longer new, so it can’t be claimed.',
  'refusal.managersOnly': 'Only managers can do that.',

  'notice.changed': 'This lead changed since your card was shown. Here it is now.',
  'notice.changedBy': '{name} changed this at {time}: it is now {status}.',

  'error.unknownAction': 'I don’t know that button. Type help to see what I can do.',
  'error.leadNotFound': 'There is no lead {id}. Check the id on the card.',
  'error.badCardData': 'This card is damaged or too old. Type lead followed by its id to get a fresh one.',
  'error.tryAgain': 'Something went wrong on my side and nothing was changed. Please try again.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
