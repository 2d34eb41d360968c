/** Initials for the avatar: "Ada Lovelace" → "AL", "ed@x.test" → "E". */
export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/[\s@._-]+/)
    .filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const second = words.length > 1 && !name.includes('@') ? (words[1]?.[0] ?? '') : '';
  return `${first}${second}`.toUpperCase();
}
