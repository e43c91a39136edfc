// How large one lead may be, wherever it comes from: the webhook's body, an imported row.

/** A real lead is under 4 KB; anything near this limit is not from Partner Center. */
export const MAX_LEAD_BYTES = 64 * 1024;
