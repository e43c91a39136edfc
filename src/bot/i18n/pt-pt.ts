import type { Messages } from './en.js';

// Português europeu.
export const ptPT: Messages = {
  'action.contactMe': 'Contacte-me',
  'action.getItNow': 'Obter agora / Avaliação gratuita',
  'action.testDrive': 'Test drive',
  'action.create': 'Criação no portal do Azure',
  'action.doNotContact': 'Não contactar',
  'action.unknown': 'Oportunidade',
  'storefront.appSource': 'AppSource',
  'storefront.azureMarketplace': 'Azure Marketplace',
  'storefront.azurePortal': 'Portal do Azure',
  'storefront.testDrive': 'Test drive',
  'storefront.unknown': 'Marketplace',
  'status.new': 'Novo',
  'status.assigned': 'Atribuído',
  'status.qualified': 'Qualificado',
  'status.opportunity': 'Oportunidade',
  'status.won': 'Ganho',
  'status.lost': 'Perdido',
  'status.disqualified': 'Desqualificado',

  'card.offer': 'Oferta',
  'card.company': 'Empresa',
  'card.jobTitle': 'Cargo',
  'card.country': 'País',
  'card.email': 'E-mail',
  'card.phone': 'Telefone',
  'card.note': 'Nota do cliente',
  'card.received': 'Recebido {time}',
  'card.unassigned': 'Ainda ninguém o assumiu',
  'card.claimedBy': 'Assumido por {name} · {time}',
  'card.ownedBy': 'Responsável: {name}',
  'card.noName': 'Nome não indicado',
  'card.notGiven': '—',
  'card.claim': 'Assumir',
  'card.refresh': 'Atualizar',
  'card.doNotContact': 'O cliente pediu para não ser contactado. Apenas para informação.',
  'card.testLead': 'Contacto de teste do Partner Center. Fica guardado, mas não é para vendas.',
  'card.fallback': 'Novo contacto: {action} · {offer}',

  'help.title': 'Lead Assistant',
  'help.intro':
    'Publico cada contacto comercial do Azure Marketplace e do AppSource no canal de vendas, como um cartão. Assuma um contacto no cartão e toda a equipa vê quem o tem.',
  'help.commands': 'Comandos',
  'help.cmdHelp': 'O que sei fazer (este cartão).',
  'help.cmdLead': 'Mostra o cartão de um contacto, p. ex. lead L-7K3Q9.',
  'help.cmdUseChannel': 'Num canal da equipa: publicar aqui os novos contactos (gestores).',
  'help.cmdUseChannelFor':
    'Num canal da equipa: publicar aqui só estes contactos (appsource, azure marketplace, azure portal, test drive).',

  'welcome.title': 'O Lead Assistant está pronto',
  'welcome.body':
    'Os novos contactos de clientes do Azure Marketplace e do AppSource vão aparecer em {channel} como cartões. Assuma um contacto no cartão e toda a equipa vê quem o tem.',
  'welcome.thisChannel': 'este canal',
  'welcome.change':
    'Para usar outro canal, escreva lá @Lead Assistant use this channel for leads. Os gestores podem separar por loja, p. ex. use this channel for appsource leads.',
  'welcome.connect':
    'Ligue o Partner Center: em cada oferta, Configuração da oferta → Contactos de clientes → Ponto final HTTPS, cole o URL que o administrador configurou e clique em Validar.',

  'command.unknown': 'Não percebi. Escreva help para ver o que sei fazer.',
  'command.invalidLeadId': '“{text}” não é um identificador de contacto. Têm este aspeto: L-7K3Q9.',
  'command.unknownStorefront':
    'Não conheço contactos “{text}”. Use appsource, azure marketplace, azure portal ou test drive, ou omita para todos.',
  'command.needsTeamChannel': 'Escreva isto no canal da equipa que deve receber os contactos.',
  'command.channelSet': 'Os novos contactos passam a ser publicados neste canal.',
  'command.channelSetFor': 'Os contactos {storefront} passam a ser publicados neste canal.',

  'refusal.guest': 'Os convidados não podem trabalhar contactos. Peça a um membro da equipa.',
  'refusal.doNotContact':
    'O cliente pediu para não ser contactado, por isso este contacto não tem ações de venda.',
  'refusal.testLead': 'Este é um contacto de teste do Partner Center; não há nada a fazer com ele.',
  'refusal.notClaimable': 'Este contacto já não é novo, por isso não pode ser assumido.',
  'refusal.managersOnly': 'Só os gestores podem fazer isso.',

  'notice.changed': 'Este contacto mudou desde que o cartão foi mostrado. Aqui está o estado atual.',
  'notice.changedBy': '{name} alterou-o às {time}: agora está {status}.',

  'error.unknownAction': 'Não conheço esse botão. Escreva help para ver o que sei fazer.',
  'error.leadNotFound': 'Não existe o contacto {id}. Confirme o identificador no cartão.',
  'error.badCardData':
    'Este cartão está danificado ou é antigo. Escreva lead seguido do identificador para obter um novo.',
  'error.tryAgain': 'Algo correu mal do meu lado e nada foi alterado. Tente novamente.',
};
