// `npm run package`: fills manifest/manifest.json from the environment (.env too), validates it
// offline against the schema @microsoft/app-manifest bundles, checks the icons and writes
// build/lead-assistant.zip, the package you upload to Teams.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ZipFile } from 'yazl';

const require = createRequire(import.meta.url);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export interface PackageOptions {
  appId: string;
  domain: string;
}

export function readPackageOptions(env: Record<string, string | undefined>): PackageOptions {
  const appId = env.MicrosoftAppId?.trim() ?? '';
  const domain = env.BOT_DOMAIN?.trim() ?? '';
  if (!GUID.test(appId)) {
    throw new Error(
      `MicrosoftAppId must be your bot's app id, a GUID like 00000000-0000-0000-0000-000000000000 (got "${appId}").`,
    );
  }
  if (!HOST.test(domain)) {
    throw new Error(
      `BOT_DOMAIN must be the bot's public host name, like leads.contoso.com, without https:// or a path (got "${domain}").`,
    );
  }
  return { appId, domain };
}

// "${{name}}", escaped so it is not read as a template literal.
const placeholder = (name: string) => `$\{{${name}}}`;

export function fillPlaceholders(template: string, options: PackageOptions): string {
  const filled = template
    .replaceAll(placeholder('MicrosoftAppId'), options.appId)
    .replaceAll(placeholder('BOT_DOMAIN'), options.domain);
  const left = filled.match(/\$\{\{[^}]*\}\}/);
  if (left)
    throw new Error(
      `manifest.json still has the placeholder ${left[0]}; the packager knows MicrosoftAppId and BOT_DOMAIN only.`,
    );
  return filled;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export async function buildAppPackage(
  options: PackageOptions,
  manifestDir: string,
  outDir: string,
): Promise<string> {
  const manifest = fillPlaceholders(readFileSync(join(manifestDir, 'manifest.json'), 'utf8'), options);
  const { AppManifestUtils } = require('@microsoft/app-manifest') as {
    AppManifestUtils: { validateAgainstSchema(m: unknown): Promise<string[]> };
  };
  const errors = await AppManifestUtils.validateAgainstSchema(JSON.parse(manifest));
  if (errors.length > 0)
    throw new Error(`manifest.json does not match the Teams schema:\n  ${errors.join('\n  ')}`);
  const icons = { 'color.png': 192, 'outline.png': 32 };
  const files: Record<string, Buffer> = { 'manifest.json': Buffer.from(manifest) };
  for (const [name, size] of Object.entries(icons)) {
    const data = readFileSync(join(manifestDir, name));
    const { width, height } = pngSize(data);
    if (width !== size || height !== size)
      throw new Error(`${name} must be ${size}×${size} pixels, it is ${width}×${height}.`);
    files[name] = data;
  }
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'lead-assistant.zip');
  const zip = new ZipFile();
  for (const [name, data] of Object.entries(files)) zip.addBuffer(data, name, { mtime: new Date(0) });
  zip.end();
  const { createWriteStream } = await import('node:fs');
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject);
  });
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await import('dotenv/config');
  try {
    const path = await buildAppPackage(readPackageOptions(process.env), 'manifest', 'build');
    console.log(`Wrote ${path}. Upload it in Teams: Apps → Manage your apps → Upload an app.`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
