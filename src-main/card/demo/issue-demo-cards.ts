/**
 * Issues the demo card set into dataDir on first start (and again when the short-lived care roles near expiry):
 * the demo CA in dataDir/ca, an untrusted CA in dataDir/ca-untrusted, card profiles in dataDir/demo-cards.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ensureCa, issueCard, type CaBundle } from '../issue/index';
import { readCardProfile, writeCardProfile, type CardProfile } from '../virtual/profile';
import { DEMO_CARDS, type DemoCardSpec } from './catalogue';
import { DEMO_CA_FOLDER, DEMO_CARDS_FOLDER, DEMO_UNTRUSTED_CA_FOLDER } from './demo-folders';

const DAY = 86_400_000;
/** Care roles are issued for 28 days; re-issue the set once it is 14 days old so they never lapse in a demo. */
const ROLES_DAYS = 28;
const REISSUE_AFTER_DAYS = 14;

const Manifest = z.object({
  version: z.literal(1),
  issuedAt: z.string().datetime(),
  ids: z.array(z.string()),
});

export interface DemoCardSet {
  ca: CaBundle;
  cards: { spec: DemoCardSpec; profile: CardProfile }[];
}

async function readManifest(file: string): Promise<z.infer<typeof Manifest> | null> {
  try {
    const parsed = Manifest.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function ensureDemoCards(dataDir: string, now: Date = new Date()): Promise<DemoCardSet> {
  const ca = await ensureCa(join(dataDir, DEMO_CA_FOLDER));
  const cardsDir = join(dataDir, DEMO_CARDS_FOLDER);
  const manifestFile = join(cardsDir, 'manifest.json');
  const manifest = await readManifest(manifestFile);
  const fresh =
    manifest !== null &&
    now.getTime() - Date.parse(manifest.issuedAt) < REISSUE_AFTER_DAYS * DAY &&
    DEMO_CARDS.every((c) => manifest.ids.includes(c.id));
  if (fresh) {
    try {
      const cards = await Promise.all(
        DEMO_CARDS.map(async (spec) => ({
          spec,
          profile: await readCardProfile(join(cardsDir, `${spec.id}.json`)),
        })),
      );
      return { ca, cards };
    } catch {
      // A profile is missing or damaged: issue the set again below.
    }
  }
  let other: CaBundle | null = null;
  await mkdir(cardsDir, { recursive: true, mode: 0o700 });
  const cards: DemoCardSet['cards'] = [];
  for (const spec of DEMO_CARDS) {
    const issuer = spec.untrusted ? (other ??= await ensureCa(join(dataDir, DEMO_UNTRUSTED_CA_FOLDER))) : ca;
    const profile = await issueCard(issuer, {
      displayName: spec.displayName,
      userId: spec.userId,
      pin: spec.pin,
      roles: spec.roles,
      validDays: 365,
      rolesValidDays: ROLES_DAYS,
    });
    await writeCardProfile(join(cardsDir, `${spec.id}.json`), profile);
    cards.push({ spec, profile });
  }
  await writeFile(
    manifestFile,
    JSON.stringify({ version: 1, issuedAt: now.toISOString(), ids: DEMO_CARDS.map((c) => c.id) }, null, 2) +
      '\n',
    { mode: 0o600 },
  );
  return { ca, cards };
}
