// "Copy link" in a lead's details: the lead's link (https://<BOT_DOMAIN>/leads/<id>, and the tab is
// served from BOT_DOMAIN, so this page's own origin) to paste in a chat, where it unfurls into the
// lead's card for those who may see it.
import { h } from './dom.js';
import type { Strings } from './strings.js';

export function leadLinkHere(leadId: string): string {
  return `${location.origin}/leads/${encodeURIComponent(leadId)}`;
}

/** A button that copies the link; where the host refuses the clipboard, the link shown selected instead. */
export function copyLinkButton(s: Strings, leadId: string): HTMLElement {
  const link = leadLinkHere(leadId);
  const status = h('span', { class: 'copy-link-status muted', role: 'status' });
  const showLink = () => {
    const input = h('input', {
      class: 'copy-link-field',
      readonly: true,
      value: link,
      'aria-label': s('copyLinkManually'),
    });
    status.replaceChildren(s('copyLinkManually'), ' ', input);
    input.focus();
    input.select();
  };
  const button = h(
    'fluent-button',
    {
      appearance: 'subtle',
      size: 'small',
      class: 'copy-link',
      'data-link': link,
      onclick: () => {
        // Teams' iframe may deny the clipboard (no clipboard-write permission): then show the link.
        const copied = navigator.clipboard?.writeText(link);
        if (!copied) return showLink();
        copied.then(() => status.replaceChildren(s('linkCopied')), showLink);
      },
    },
    s.card('card.copyLink'),
  );
  return h('div', { class: 'copy-link-row' }, button, status);
}
