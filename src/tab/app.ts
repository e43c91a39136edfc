// The tab once Teams has answered: state, loading, polling, and which view shows.
import {
  ApiError,
  type AutoAssignView,
  type Filters,
  type LeadDetails,
  type LeadPage,
  type Me,
  type TabApi,
} from './api.js';
import { renderBoard, renderList, renderTotals } from './board.js';
import { renderCharts } from './charts.js';
import { type Notice, renderDetails } from './details.js';
import { h, replace } from './dom.js';
import { downloadCsv } from './export-csv.js';
import { renderAutoAssign } from './rotation.js';
import type { Strings } from './strings.js';
import type { HostInfo } from './teams.js';
import { renderFilters, renderHeader, type View } from './toolbar.js';

/** A click on a card shows in an open tab within this, while the tab is visible. */
const POLL_MS = 5000;
const LEADS_SHOWN = 'lead-assistant:leads-shown';

export class TabApp {
  private filters: Filters;
  private view: View = 'board';
  private page: LeadPage | undefined;
  private details: LeadDetails | undefined;
  private opener: string | undefined;
  private me: Me = { name: '', isManager: false, maySeeSummary: false, teams: [] };
  /** The poll; undefined while the server refuses this tab's sign-in. */
  private timer: number | undefined;
  private readonly root: HTMLElement;
  private readonly status = h('p', { class: 'load-status', role: 'status' });
  private readonly content = h('main', { id: 'content', tabindex: -1 });
  private readonly totals = h('div', { class: 'totals-slot' });
  private readonly dialog = h('dialog', { id: 'details', 'aria-labelledby': 'details-title' });
  /** The team's automatic assignment, for its managers; in the page once the server showed it. */
  private readonly autoAssign = h('details', { id: 'auto-assign', class: 'auto-assign' });
  private autoAssignView: AutoAssignView | undefined;
  /** Which read of it is the latest: an older answer arriving last is not drawn over a newer one. */
  private autoAssignAsked = 0;

  constructor(
    private readonly s: Strings,
    private readonly api: TabApi,
    private readonly host: HostInfo,
    root: HTMLElement,
  ) {
    this.root = root;
    // Personal tab: my leads first. In a team: that team's whole pipeline.
    this.filters = {
      status: '',
      owner: host.team ? '' : 'me',
      storefront: '',
      action: '',
      offer: '',
      period: '',
      q: '',
      team: host.team?.id ?? '',
      priority: '',
      sort: '',
    };
    this.dialog.addEventListener('close', () => this.closed());
    // Opened: as it is now (a manager may just have changed it in chat, or someone gone away).
    this.autoAssign.addEventListener('toggle', () => {
      if (this.autoAssign.open) void this.loadAutoAssign();
    });
  }

  async start(): Promise<void> {
    // Draw the frame at once, then ask who this is and for the leads together.
    this.layout();
    const [me] = await Promise.allSettled([this.api.me(), this.load()]);
    if (me.status === 'rejected') {
      this.root.replaceChildren(
        h(
          'p',
          { class: 'notice error', role: 'alert' },
          this.s('signInFailed', { reason: reason(me.reason) }),
        ),
      );
      return;
    }
    this.me = me.value;
    this.layout(); // the name, the team's name, and Charts for those who may see the summary
    if (this.me.notice) this.status.textContent = this.me.notice;
    // Managers only, in a team; the server decides (403 or 404 leave the panel out).
    if (this.host.team && this.me.maySeeSummary) void this.loadAutoAssign();
    if (this.host.subPageId) await this.open(this.host.subPageId);
    this.timer = window.setInterval(() => void this.poll(), POLL_MS);
    document.addEventListener('visibilitychange', () => void this.poll());
  }

  private layout(): void {
    const team = this.host.team;
    const teamName = team && (this.me.teams.find((t) => t.id === team.id)?.name || team.name || team.id);
    const scope = teamName ? this.s('teamPipeline', { team: teamName }) : this.s('myLeads');
    const on = {
      view: (view: View) => {
        this.view = view;
        this.layout();
        void this.show();
      },
      filters: (change: Partial<Filters>) => {
        this.filters = { ...this.filters, ...change };
        void this.load();
      },
      exportCsv: () => void this.exportCsv(),
    };
    this.root.replaceChildren(
      renderHeader(
        this.s,
        this.me.name ? `${scope} · ${this.me.name}` : scope,
        this.view,
        this.me.maySeeSummary,
        on,
      ),
      this.autoAssignView ? this.autoAssign : '',
      renderFilters(this.s, this.filters, on),
      this.totals,
      this.status,
      this.content,
      this.dialog,
    );
    this.root.removeAttribute('aria-busy');
  }

  private async load(): Promise<void> {
    if (!this.page) this.status.textContent = this.s('loading');
    const filters = this.filters;
    try {
      const page = await this.api.leads(filters);
      if (filters !== this.filters || !page) return; // the filters changed meanwhile: that answer is old
      this.page = page;
      this.status.textContent = this.me.notice ?? '';
      await this.show();
    } catch (error) {
      this.failed(error);
    }
  }

  private async poll(): Promise<void> {
    if (document.visibilityState !== 'visible' || !this.page || this.timer === undefined) return;
    try {
      const filters = this.filters;
      const page = await this.api.leads(filters, { poll: true });
      this.status.textContent = this.me.notice ?? ''; // reachable again
      if (!page || filters !== this.filters) return;
      this.page = page;
      if (this.view !== 'charts') await this.show();
      // A lead came or changed hands: the open table's turns and counts moved (closed, it is read on opening).
      if (this.autoAssignView && this.autoAssign.open) void this.loadAutoAssign();
      const open = this.details && page.leads.find((l) => l.id === this.details?.lead.id);
      if (open && open.version !== this.details?.version && !this.dialog.querySelector('form'))
        await this.open(open.id);
    } catch (error) {
      this.failed(error);
    }
  }

  /**
   * A refusal of the sign-in (401 even with a fresh token: a local server restarted with new keys)
   * stops the poll and asks the person to sign in again; polling on would only be refused, and
   * logged by the server, every few seconds. Anything else is retried by the next poll.
   */
  private failed(error: unknown): void {
    if (!(error instanceof ApiError && error.status === 401)) {
      this.status.textContent = this.s('loadFailed', { reason: reason(error) });
      return;
    }
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.status.replaceChildren(
      h('span', { class: 'signed-out' }, this.s('signedOut')),
      ' ',
      h(
        'button',
        { type: 'button', class: 'sign-in-again', onclick: () => void this.signInAgain() },
        this.s('signInAgain'),
      ),
    );
  }

  private async signInAgain(): Promise<void> {
    this.status.textContent = this.s('loading');
    this.timer = window.setInterval(() => void this.poll(), POLL_MS);
    await this.load();
  }

  private async show(): Promise<void> {
    const page = this.page;
    if (!page) return;
    replace(this.totals, renderTotals(this.s, page));
    const handlers = { open: (id: string) => void this.open(id), more: () => void this.more() };
    if (this.view === 'board') replace(this.content, renderBoard(this.s, page, handlers));
    if (this.view === 'list') replace(this.content, renderList(this.s, page, handlers));
    // The bench reads this: when the first leads were on screen.
    if (performance.getEntriesByName(LEADS_SHOWN).length === 0) performance.mark(LEADS_SHOWN);
    if (this.view === 'charts') {
      try {
        replace(
          this.content,
          renderCharts(this.s, await this.api.summary(this.filters.period || 'all', this.filters)),
        );
      } catch (error) {
        this.status.textContent = this.s('loadFailed', { reason: reason(error) });
      }
    }
  }

  private async loadAutoAssign(): Promise<void> {
    const team = this.host.team;
    if (!team) return;
    const asked = ++this.autoAssignAsked;
    try {
      const view = await this.api.autoAssign(team.id);
      if (asked !== this.autoAssignAsked) return;
      this.autoAssignView = view;
      if (!view) {
        this.autoAssign.remove();
        return;
      }
      replace(this.autoAssign, ...renderAutoAssign(this.s, view, new Date()));
      // Under the header, above the filters (which are not about it); drawn again by layout().
      if (!this.autoAssign.isConnected) this.root.querySelector('.bar')?.after(this.autoAssign);
    } catch (error) {
      this.status.textContent = this.s('autoAssignFailed', { reason: reason(error) });
    }
  }

  private async more(): Promise<void> {
    if (!this.page?.nextCursor) return;
    const next = await this.api.leads(this.filters, { cursor: this.page.nextCursor });
    if (!next) return;
    this.page = { ...next, leads: [...this.page.leads, ...next.leads] };
    await this.show();
  }

  private async open(id: string, notice?: Notice): Promise<void> {
    try {
      this.showDetails(await this.api.lead(id), notice);
    } catch (error) {
      this.status.textContent = this.s('loadFailed', { reason: reason(error) });
    }
  }

  private showDetails(details: LeadDetails, notice?: Notice): void {
    this.details = details;
    if (!this.dialog.open) this.opener = (document.activeElement as HTMLElement | null)?.dataset.focusKey;
    this.dialog.replaceChildren(
      ...renderDetails(
        this.s,
        details,
        notice,
        (verb, inputs) => this.act(verb, inputs),
        () => this.dialog.close(),
      ),
    );
    if (!this.dialog.open) this.dialog.showModal();
  }

  private async act(verb: string, inputs: Record<string, unknown>): Promise<void> {
    const details = this.details;
    if (!details) return;
    const result = await this.api.act(details.lead.id, verb, details.version, inputs).catch((error) => ({
      status: 0,
      details: undefined,
      message: reason(error),
    }));
    if ((result.status === 200 || result.status === 409) && result.details) {
      // Stale: the lead as it is now, with the card's notice of who changed it.
      const notice: Notice =
        result.status === 200
          ? { kind: 'ok', text: this.s('saved') }
          : { kind: 'warning', text: `${this.s('stale')} ${result.message ?? ''}`.trim() };
      this.showDetails(result.details, notice);
      this.dialog.querySelector<HTMLElement>('.notice')?.focus();
      await this.load();
      return;
    }
    // Refused or invalid: say why (in the card's words) and keep what was typed.
    const slot = this.dialog.querySelector('.notice, .notice-slot');
    const text = this.s('refused', { message: result.message ?? `HTTP ${result.status}` });
    slot?.replaceWith(h('p', { class: 'notice error', role: 'alert' }, text));
  }

  private closed(): void {
    this.details = undefined;
    const key = this.opener;
    this.opener = undefined;
    if (key) this.content.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
  }

  private async exportCsv(): Promise<void> {
    try {
      await downloadCsv(this.api, this.filters);
    } catch (error) {
      this.status.textContent = this.s('exportFailed', { reason: reason(error) });
    }
  }
}

function reason(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
