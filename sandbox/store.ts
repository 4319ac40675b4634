import { randomUUID } from 'node:crypto';

/** The contract's ImageMetadata, minus docid which the images operations never carry. */
export interface ImageMetadata {
  type: string;
  id?: string;
  ds?: string;
  cid?: string;
  ext?: string;
}

/** The query fields that identify an image; an absent field means the same as an empty one. */
export type MetadataQuery = Partial<Record<'type' | 'id' | 'ds' | 'cid', string>>;

export interface StoredImage {
  key: string;
  metadata: ImageMetadata;
  contentType: string;
  bytes: Buffer;
}

interface Entry extends StoredImage {
  /** Pinned images (the seeded samples) never count against the cap and are never evicted. */
  pinned: boolean;
}

function identity(query: MetadataQuery): string {
  return JSON.stringify([query.type ?? '', query.id ?? '', query.ds ?? '', query.cid ?? '']);
}

/** In-memory images, findable by key or by metadata (newest wins); evicts oldest uploads beyond maxBytes. */
export class ImageStore {
  readonly #maxBytes: number;
  #usedBytes = 0;
  /** Insertion order doubles as age order for eviction. */
  readonly #byKey = new Map<string, Entry>();
  /** Per metadata identity, oldest first. */
  readonly #byIdentity = new Map<string, Entry[]>();

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  put(metadata: ImageMetadata, contentType: string, bytes: Buffer, pinned = false): StoredImage {
    const entry: Entry = { key: randomUUID(), metadata, contentType, bytes, pinned };
    this.#byKey.set(entry.key, entry);
    const id = identity(metadata);
    this.#byIdentity.set(id, [...(this.#byIdentity.get(id) ?? []), entry]);
    if (!pinned) {
      this.#usedBytes += bytes.length;
      this.#evictBeyondCap(entry);
    }
    return { key: entry.key, metadata, contentType, bytes };
  }

  byKey(key: string): StoredImage | undefined {
    return this.#byKey.get(key);
  }

  byMetadata(query: MetadataQuery): StoredImage | undefined {
    return this.#byIdentity.get(identity(query))?.at(-1);
  }

  /** Keeps the image just stored even when it alone exceeds the cap: the upload did succeed. */
  #evictBeyondCap(keep: Entry): void {
    for (const entry of this.#byKey.values()) {
      if (this.#usedBytes <= this.#maxBytes) return;
      if (entry.pinned || entry === keep) continue;
      this.#byKey.delete(entry.key);
      this.#usedBytes -= entry.bytes.length;
      const id = identity(entry.metadata);
      const remaining = (this.#byIdentity.get(id) ?? []).filter((other) => other !== entry);
      if (remaining.length > 0) this.#byIdentity.set(id, remaining);
      else this.#byIdentity.delete(id);
    }
  }
}
