// Rollup cells compared as sets of figures, whichever way they were kept or rebuilt.
import { cellId, type RollupCell } from '../../src/leads/rollups.js';

/**
 * Cells with their multisets in one order (kept and rebuilt add values in different orders), and
 * without `latest`: a bound kept as leads change (a lead leaving does not lower it).
 */
export function normalCells(cells: RollupCell[]): Array<Omit<RollupCell, 'latest'>> {
  return cells
    .map(({ latest: _bound, ...cell }) => ({
      ...cell,
      touches: [...cell.touches].sort((a, b) => a - b),
      untouched: [...cell.untouched].sort((a, b) => a.id.localeCompare(b.id)),
      owners: Object.fromEntries(
        Object.entries(cell.owners).map(([id, o]) => [
          id,
          {
            ...o,
            pipeline: Object.fromEntries(
              Object.entries(o.pipeline).map(([c, v]) => [c, [...v].sort((a, b) => a - b)]),
            ),
          },
        ]),
      ),
    }))
    .sort((a, b) => cellId(a).localeCompare(cellId(b)));
}
