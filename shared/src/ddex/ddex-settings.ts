import { isValidDpid } from './dpid.js';

/** A party that sends or receives DDEX messages: its DPID and its name. */
export interface DdexParty {
  dpid: string;
  name: string;
}

/** The label's DDEX settings: who sends its messages and to whom (docs/DELIVERY.md). */
export interface DdexSettings {
  sender: DdexParty;
  recipient: DdexParty;
}

/**
 * What a stack without configuration uses. These are deliberately *not* DPIDs (DDEX allocates
 * those; a real one has 18 characters and a check character): they only fit the schema's
 * `PADPIDA[a-zA-Z0-9]+` pattern, so a local export validates and can never name a real company.
 */
export const LOCAL_DDEX_SETTINGS: DdexSettings = {
  sender: { dpid: 'PADPIDAPATCHLINELOCAL', name: 'Patchline local sender (no DPID configured)' },
  recipient: { dpid: 'PADPIDALOCALRECIPIENT', name: 'Local recipient (no DPID configured)' },
};

/** The environment variables `ddexSettingsFromEnv` reads, per party. */
export const DDEX_SETTINGS_VARIABLES = {
  sender: { dpid: 'PATCHLINE_DDEX_SENDER_DPID', name: 'PATCHLINE_DDEX_SENDER_NAME' },
  recipient: { dpid: 'PATCHLINE_DDEX_RECIPIENT_DPID', name: 'PATCHLINE_DDEX_RECIPIENT_NAME' },
} as const;

const MAX_NAME_LENGTH = 200;

/**
 * The label's settings from `PATCHLINE_DDEX_*` variables; an unset party keeps its local
 * placeholder. A DPID that is set must be a real DPID (check character included) and a name
 * must be printable text: a bad value stops the service at start, not a delivery later.
 */
export function ddexSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): DdexSettings {
  const party = (role: keyof DdexSettings): DdexParty => {
    const names = DDEX_SETTINGS_VARIABLES[role];
    const dpid = env[names.dpid]?.trim() || LOCAL_DDEX_SETTINGS[role].dpid;
    const name = env[names.name]?.trim() || LOCAL_DDEX_SETTINGS[role].name;
    if (env[names.dpid]?.trim() && !isValidDpid(dpid)) {
      throw new Error(
        `${names.dpid}: "${dpid}" is not a DPID (PADPIDA, 10 letters or digits, a check character; no hyphens)`,
      );
    }
    // Control characters cannot be written in XML 1.0 at all.
    if (name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) {
      throw new Error(`${names.name}: use up to ${MAX_NAME_LENGTH} printable characters`);
    }
    return { dpid, name };
  };
  return { sender: party('sender'), recipient: party('recipient') };
}
