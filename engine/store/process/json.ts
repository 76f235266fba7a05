// json.ts: JSON text columns in and out; a malformed cell is a store bug, so it fails loudly.

export function toJson(v: unknown): string {
  return JSON.stringify(v ?? null);
}

export function fromJson<T>(text: unknown, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(String(text)) as T;
}
