import type { Viewer as DoorViewer } from '../../leads/door.js';
import type { Installation } from '../../leads/store.js';
import type { TabUser } from '../sso.js';

/**
 * The person behind a tab token: their token's claims and the door's view of them (teams, manager,
 * guest). The door decides; a token cannot say "guest", the stored rosters do (they leave guests out).
 */
export interface Viewer {
  user: TabUser;
  actor: DoorViewer;
  /** Teams (of the token's tenant) whose roster lists this person. */
  teams: readonly Installation[];
}
