// The IANA time zones to choose from: the ones this browser knows, UTC first (the server checks
// the name against its own tz database). A zone already chosen that the browser does not know
// stays choosable.
let zones: string[] | null = null;

export function timeZones(current?: string): string[] {
  if (!zones) {
    let list: string[] = [];
    try {
      list = Intl.supportedValuesOf('timeZone');
    } catch {
      list = ['Europe/Berlin', 'Europe/London', 'America/New_York'];
    }
    zones = ['UTC', ...list.filter((z) => z !== 'UTC')];
  }
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}
