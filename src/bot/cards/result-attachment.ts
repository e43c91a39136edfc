import { CardFactory, type MessagingExtensionAttachment, type MessagingExtensionResponse } from 'botbuilder';
import type { Lead } from '../../leads/lead.js';
import { type ResultView, renderLeadPreview, renderLeadResultCard } from './lead-result-card.js';

/** One result: the card to insert, and its line in Teams' result list (without which it is not listed). */
export function leadResultAttachment(lead: Lead, view: ResultView): MessagingExtensionAttachment {
  return {
    ...CardFactory.adaptiveCard(renderLeadResultCard(lead, view)),
    preview: {
      contentType: CardFactory.contentTypes.thumbnailCard,
      content: renderLeadPreview(lead, view.t),
    },
  };
}

/** The answer to a search or an unfurl: a list, maybe empty (an empty list reveals nothing). */
export function resultList(attachments: MessagingExtensionAttachment[]): MessagingExtensionResponse {
  return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } };
}
