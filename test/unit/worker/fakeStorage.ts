/** An in-memory `storage.local` with the same copy-on-write behaviour (values are cloned). */
import type { KeyValueArea } from '../../../src/worker/settings.ts';

export class FakeStorageArea implements KeyValueArea {
  readonly data = new Map<string, unknown>();

  async get(key: string): Promise<Record<string, unknown>> {
    return this.data.has(key) ? { [key]: structuredClone(this.data.get(key)) } : {};
  }

  async set(items: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(items)) this.data.set(key, structuredClone(value));
  }

  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}
