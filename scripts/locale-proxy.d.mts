import type { Server } from 'node:http';

export declare const PLAYGROUND_LOCALES: readonly ['en', 'pt-PT'];
export declare function playgroundLocale(
  args: readonly string[],
  env: Record<string, string | undefined>,
): 'en' | 'pt-PT';
export declare function startLocaleProxy(
  targetPort: number,
  locale: string,
  port?: number,
): Promise<{ server: Server; port: number }>;
export declare function localeEnv(
  locale: string,
  env: Record<string, string | undefined>,
): { DEFAULT_LOCALE?: string };
