// The privacy page's sentences that depend on the configuration: where the data is kept and which
// services the server talks to. Fixed text chosen by settings, never anything a request carries.
import type { Config, Locale } from '../config/config.js';

export interface PrivacyFacts {
  store: 'lowdb' | 'azure-table';
  /** Lead events go to the operator's EVENTS_URL endpoints; undefined when none is set. */
  events: 'include' | 'omit' | undefined;
  /** Leads are also read from the Azure table Partner Center writes to. */
  marketplaceTable: boolean;
  /** Tab sign-in tokens are checked with keys fetched from Microsoft Entra ID. */
  entraKeys: boolean;
}

export const PLAIN_FACTS: PrivacyFacts = {
  store: 'lowdb',
  events: undefined,
  marketplaceTable: false,
  entraKeys: false,
};

export function privacyFacts(
  config: Pick<Config, 'store' | 'events' | 'marketplaceTable' | 'tab'>,
): PrivacyFacts {
  return {
    store: config.store.kind,
    events: config.events.endpoints.length > 0 ? config.events.contact : undefined,
    marketplaceTable: config.marketplaceTable !== undefined,
    entraKeys: config.tab.mode === 'entra',
  };
}

type Words = { where(f: PrivacyFacts): string; services(f: PrivacyFacts): string };

export const PRIVACY_WORDS: Record<Locale, Words> = {
  en: {
    where: (f) =>
      f.store === 'lowdb'
        ? 'In the data folder of the server that runs it (<code>DATA_DIR</code>), and nowhere else.'
        : 'In the Azure Table Storage account its operator configured (<code>STORE=azure-table</code>), in ' +
          'the operator’s own Azure subscription, and nowhere else.',
    services: (f) =>
      [
        '<p>The app sells nothing to third parties and sends data only to the services listed here, all ' +
          'chosen by its operator:</p>\n<ul>',
        `<li><strong>Partner Center</strong>, which sends the leads${f.marketplaceTable ? ' (the server also reads the Azure table Partner Center writes them into)' : ''}.</li>`,
        '<li><strong>Microsoft Teams</strong>, through Microsoft’s Bot Framework service, to post and update the cards.</li>',
        ...(f.store === 'azure-table'
          ? ['<li><strong>Azure Table Storage</strong>, where the data is kept (above).</li>']
          : []),
        ...(f.events
          ? [
              '<li><strong>The addresses its operator set to receive lead events</strong> (<code>EVENTS_URL</code>, ' +
                'for example a CRM or a Power Automate flow): every change to a lead is sent there, with the ' +
                `customer’s name, company and country${f.events === 'include' ? ', e-mail address and phone number' : ' (not their e-mail address or phone number)'}.</li>`,
            ]
          : []),
        ...(f.entraKeys
          ? [
              '<li><strong>Microsoft Entra ID</strong>, only to fetch the public keys that check sign-ins to the ' +
                'Leads tab; no data about anyone is sent.</li>',
            ]
          : []),
        '</ul>',
      ].join('\n'),
  },
  'pt-PT': {
    where: (f) =>
      f.store === 'lowdb'
        ? 'Na pasta de dados do servidor que a executa (<code>DATA_DIR</code>), e em mais lado nenhum.'
        : 'Na conta de Azure Table Storage que o operador configurou (<code>STORE=azure-table</code>), na ' +
          'subscrição do Azure do próprio operador, e em mais lado nenhum.',
    services: (f) =>
      [
        '<p>A aplicação não vende nada a terceiros e só envia dados aos serviços aqui indicados, todos ' +
          'escolhidos pelo operador:</p>\n<ul>',
        `<li><strong>Partner Center</strong>, que envia as leads${f.marketplaceTable ? ' (o servidor lê também a tabela do Azure onde o Partner Center as escreve)' : ''}.</li>`,
        '<li><strong>Microsoft Teams</strong>, através do serviço Bot Framework da Microsoft, para publicar e atualizar os cartões.</li>',
        ...(f.store === 'azure-table'
          ? ['<li><strong>Azure Table Storage</strong>, onde os dados são guardados (acima).</li>']
          : []),
        ...(f.events
          ? [
              '<li><strong>Os endereços que o operador definiu para receber eventos das leads</strong> ' +
                '(<code>EVENTS_URL</code>, por exemplo um CRM ou um fluxo do Power Automate): cada alteração a ' +
                `uma lead é enviada para lá, com o nome, a empresa e o país do cliente${f.events === 'include' ? ', o endereço de e-mail e o número de telefone' : ' (sem o endereço de e-mail nem o número de telefone)'}.</li>`,
            ]
          : []),
        ...(f.entraKeys
          ? [
              '<li><strong>Microsoft Entra ID</strong>, só para obter as chaves públicas que verificam as ' +
                'entradas no separador Contactos; não é enviado nenhum dado sobre ninguém.</li>',
            ]
          : []),
        '</ul>',
      ].join('\n'),
  },
};
