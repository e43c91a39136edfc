// The words of the pages the Teams manifest links to (websiteUrl, privacyUrl, termsOfUseUrl).
// Fixed text written here, never anything a request carries, so it is trusted HTML.
// Keep the privacy page true to what the code does: change it with the code. Its sentences that
// depend on the settings (where data is kept, which services it reaches) are in privacy-facts.ts,
// in place of the markers WHERE and SERVICES below.

import type { Locale } from '../config/config.js';

export type PageName = 'home' | 'privacy' | 'terms';

export interface PageText {
  title: string;
  body: string;
}

export interface PageChrome {
  nav: Record<PageName, string>;
  otherLanguage: { label: string; lang: Locale };
}

export const CHROME: Record<Locale, PageChrome> = {
  en: {
    nav: { home: 'Lead Assistant', privacy: 'Privacy', terms: 'Terms of use' },
    otherLanguage: { label: 'Português', lang: 'pt-PT' },
  },
  'pt-PT': {
    nav: { home: 'Lead Assistant', privacy: 'Privacidade', terms: 'Termos de utilização' },
    otherLanguage: { label: 'English', lang: 'en' },
  },
};

export const PAGES: Record<Locale, Record<PageName, PageText>> = {
  en: {
    home: {
      title: 'Lead Assistant',
      body: `
<p>Lead Assistant is a Microsoft Teams app for software publishers that sell on Azure Marketplace
and Microsoft AppSource. It receives the leads Partner Center sends when a customer clicks
<em>Contact me</em>, <em>Get it now</em>, <em>Free trial</em> or <em>Test drive</em>, keeps them,
and posts each one as a card in the publisher's sales channel, where the team claims and works it.</p>
<p>This server is a Lead Assistant run by the organisation that installed the app in its Teams.
There is nothing to sign in to here: the app is used inside Microsoft Teams.</p>
<p>If you are a customer and a publisher contacted you about one of its offers, that publisher is the
one to ask about your data. How this app handles it is on the <a href="/privacy?lang=en">privacy page</a>.</p>`,
    },
    privacy: {
      title: 'Privacy',
      body: `
<p>Lead Assistant is software that a publisher runs for itself. That publisher (the organisation
that installed the app in Microsoft Teams) decides what happens to the data below and answers
questions about it. The authors of the software receive none of it.</p>
<h2>What it stores</h2>
<ul>
<li><strong>Leads from Partner Center</strong> (Azure Marketplace and AppSource): the customer's name,
e-mail address, phone number, company, job title and country, the offer and what they clicked,
their comment, and the lead exactly as Partner Center sent it.</li>
<li><strong>The sales team's work on each lead</strong>: who claimed it or was assigned it, status
changes, notes and opportunity figures, with the Teams name and Microsoft Entra ID of whoever acted.</li>
<li><strong>What it needs to post in Teams</strong>: the teams and channels it was added to, the
team's member list (names and ids, to assign leads), and the ids of the cards it posted.</li>
</ul>
<h2>Where</h2>
<p><!--WHERE--> Leads are shown as cards in the Teams channels the operator chose,
posted through Microsoft's Bot Framework service.</p>
<p>Its logs carry e-mail addresses and phone numbers only redacted (<code>a***@contoso.com</code>,
<code>***0142</code>), and never the body of a request.</p>
<h2>How long, and how it is erased</h2>
<ul>
<li>A manager can write <code>forget someone@example.com</code> to the bot: that person's contact
details, comment, the lead as received and the notes written about it are wiped from every lead, and
the cards say so. The history keeps who erased it and when, without the data.</li>
<li>With <code>RETENTION_DAYS</code> set, the same happens by itself to leads closed longer ago than
that. Without it, data is kept until someone erases it.</li>
<li>Backups the operator makes of the data folder are outside the app's reach.</li>
</ul>
<h2>Nobody else</h2>
<!--SERVICES-->
<h2>No tracking</h2>
<p>No analytics, no advertising, no tracking of any kind. These pages set no cookies, run no
scripts and load nothing from anywhere else.</p>
<h2>Your data</h2>
<p>If a publisher has your details through one of its offers, ask that publisher to see or erase
them; with this app, erasing takes them one command.</p>`,
    },
    terms: {
      title: 'Terms of use',
      body: `
<p>Lead Assistant is free software published under the MIT licence. It is provided
<strong>"as is", without warranty of any kind</strong>: its authors are not liable for any claim,
damage or other liability arising from its use.</p>
<p>This server is run by the organisation that installed the app in its Teams. That organisation is
responsible for how it uses the app and the leads in it, under its own agreements with its people and
with Microsoft (Microsoft Teams, Partner Center).</p>
<ul>
<li>Use the leads only as the customer agreed when they shared their details on the marketplace.</li>
<li>A lead marked <em>Do not contact</em> is shown for information only: do not contact that customer.</li>
<li>Erase a person's data when they ask (<code>forget</code> their e-mail address); see the
<a href="/privacy?lang=en">privacy page</a>.</li>
</ul>`,
    },
  },
  'pt-PT': {
    home: {
      title: 'Lead Assistant',
      body: `
<p>O Lead Assistant é uma aplicação do Microsoft Teams para editores de software que vendem no Azure
Marketplace e no Microsoft AppSource. Recebe as leads que o Partner Center envia quando um cliente
clica em <em>Contact me</em>, <em>Get it now</em>, <em>Free trial</em> ou <em>Test drive</em>,
guarda-as e publica cada uma como um cartão no canal de vendas do editor, onde a equipa a assume e
trabalha.</p>
<p>Este servidor é um Lead Assistant gerido pela organização que instalou a aplicação no seu Teams.
Não há nada em que iniciar sessão aqui: a aplicação usa-se dentro do Microsoft Teams.</p>
<p>Se é cliente e um editor o contactou sobre uma das suas ofertas, é a esse editor que deve perguntar
pelos seus dados. A forma como esta aplicação os trata está na
<a href="/privacy?lang=pt-PT">página de privacidade</a>.</p>`,
    },
    privacy: {
      title: 'Privacidade',
      body: `
<p>O Lead Assistant é software que um editor gere para si próprio. Esse editor (a organização que
instalou a aplicação no Microsoft Teams) decide o que acontece aos dados abaixo e responde a
perguntas sobre eles. Os autores do software não recebem nenhum deles.</p>
<h2>O que guarda</h2>
<ul>
<li><strong>Leads do Partner Center</strong> (Azure Marketplace e AppSource): o nome do cliente, o
endereço de e-mail, o número de telefone, a empresa, o cargo e o país, a oferta e aquilo em que
clicou, o seu comentário, e a lead tal como o Partner Center a enviou.</li>
<li><strong>O trabalho da equipa de vendas em cada lead</strong>: quem a assumiu ou a quem foi
atribuída, mudanças de estado, notas e valores de oportunidade, com o nome no Teams e o ID do
Microsoft Entra de quem agiu.</li>
<li><strong>O que precisa para publicar no Teams</strong>: as equipas e canais a que foi adicionada,
a lista de membros da equipa (nomes e IDs, para atribuir leads) e os IDs dos cartões que publicou.</li>
</ul>
<h2>Onde</h2>
<p><!--WHERE--> As leads são mostradas como cartões nos canais do Teams
que o operador escolheu, publicados através do serviço Bot Framework da Microsoft.</p>
<p>Os registos (logs) só contêm endereços de e-mail e números de telefone ocultados
(<code>a***@contoso.com</code>, <code>***0142</code>) e nunca o corpo de um pedido.</p>
<h2>Durante quanto tempo, e como se apaga</h2>
<ul>
<li>Um gestor pode escrever <code>forget alguem@example.com</code> ao bot: os contactos dessa
pessoa, o seu comentário, a lead tal como foi recebida e as notas escritas sobre ela são apagados de
todas as leads, e os cartões indicam-no. O histórico guarda quem apagou e quando, sem os dados.</li>
<li>Com <code>RETENTION_DAYS</code> definido, o mesmo acontece automaticamente às leads fechadas há
mais tempo do que isso. Sem ele, os dados ficam guardados até alguém os apagar.</li>
<li>As cópias de segurança que o operador faça da pasta de dados estão fora do alcance da aplicação.</li>
</ul>
<h2>Mais ninguém</h2>
<!--SERVICES-->
<h2>Sem rastreio</h2>
<p>Sem estatísticas de utilização, sem publicidade, sem rastreio de qualquer tipo. Estas páginas não
criam cookies, não executam scripts e não carregam nada de outro lado.</p>
<h2>Os seus dados</h2>
<p>Se um editor tem os seus dados através de uma das suas ofertas, peça a esse editor para os ver ou
apagar; com esta aplicação, apagá-los é um só comando.</p>`,
    },
    terms: {
      title: 'Termos de utilização',
      body: `
<p>O Lead Assistant é software livre publicado sob a licença MIT. É fornecido
<strong>«tal como está», sem garantia de qualquer tipo</strong>: os seus autores não são responsáveis
por qualquer reclamação, dano ou outra responsabilidade resultante da sua utilização.</p>
<p>Este servidor é gerido pela organização que instalou a aplicação no seu Teams. Essa organização é
responsável pela forma como usa a aplicação e as leads que ela contém, ao abrigo dos seus próprios
acordos com as suas pessoas e com a Microsoft (Microsoft Teams, Partner Center).</p>
<ul>
<li>Use as leads apenas como o cliente aceitou quando partilhou os seus dados no marketplace.</li>
<li>Uma lead marcada <em>Do not contact</em> é mostrada só para informação: não contacte esse cliente.</li>
<li>Apague os dados de uma pessoa quando ela o pedir (<code>forget</code> e o seu endereço de e-mail);
veja a <a href="/privacy?lang=pt-PT">página de privacidade</a>.</li>
</ul>`,
    },
  },
};

/** The lead link's page (`/leads/<id>`): where it sends the browser, never anything about the lead. */
export interface LeadPageText {
  title: (id: string) => string;
  /** Trusted HTML around `id` (a checked lead id) and `link` (the escaped tab URL, or none in local mode). */
  body: (id: string, link: string | undefined) => string;
  notALink: { title: string; body: string };
}

export const LEAD_PAGE: Record<Locale, LeadPageText> = {
  en: {
    title: (id) => `Lead ${id}`,
    body: (id, link) =>
      link
        ? `<p>This link opens lead <strong>${id}</strong> in the Leads tab of Lead Assistant, in Microsoft Teams.
If nothing happens, <a href="${link}">open it in Teams</a>.</p>
<p>Only people who may see the lead in Lead Assistant see it there; this page shows nothing about it.</p>`
        : `<p>This link is for lead <strong>${id}</strong>. Open the Leads tab of Lead Assistant in Microsoft Teams
and look for it there.</p>
<p>Only people who may see the lead in Lead Assistant see it there; this page shows nothing about it.</p>`,
    notALink: {
      title: 'Not a lead link',
      body: '<p>This address does not name a lead. A lead link looks like <code>/leads/L-7K3Q9</code>.</p>',
    },
  },
  'pt-PT': {
    title: (id) => `Contacto ${id}`,
    body: (id, link) =>
      link
        ? `<p>Esta ligação abre o contacto <strong>${id}</strong> no separador Contactos do Lead Assistant, no
Microsoft Teams. Se nada acontecer, <a href="${link}">abra-o no Teams</a>.</p>
<p>Só quem pode ver o contacto no Lead Assistant o vê lá; esta página não mostra nada sobre ele.</p>`
        : `<p>Esta ligação é do contacto <strong>${id}</strong>. Abra o separador Contactos do Lead Assistant no
Microsoft Teams e procure-o lá.</p>
<p>Só quem pode ver o contacto no Lead Assistant o vê lá; esta página não mostra nada sobre ele.</p>`,
    notALink: {
      title: 'Não é uma ligação de contacto',
      body: '<p>Este endereço não indica um contacto. Uma ligação de contacto tem a forma <code>/leads/L-7K3Q9</code>.</p>',
    },
  },
};
