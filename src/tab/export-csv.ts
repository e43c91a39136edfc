// Export: the server writes the CSV (formula-safe); the browser only saves what it answered.
import type { Filters, TabApi } from './api.js';

export async function downloadCsv(api: TabApi, filters: Filters): Promise<void> {
  const blob = await api.csv(filters);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `leads-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
