/** The images selected in the upload form, waiting for "Upload": each its own job when it starts. */
export interface SelectedImage {
  /** Tells items apart in the list (two files may share a name). */
  id: string;
  file: File;
  /** What the bytes are (src/shared/imageSniff.ts), not what the name says. */
  contentType: string;
  /** A small copy to show (src/popup/previews.ts); null while it is being made. */
  preview: string | null;
  /** Captured from a tab: it can be cropped, and it presets the type FEEDBACK. */
  screenshot: boolean;
  /** Came through the pending-image slot (src/shared/pendingImage.ts): taking it off the list forgets it there too. */
  pending: boolean;
}

/** How far the jobs a batch started have come: "3 of 5 uploaded". */
export interface BatchCount {
  total: number;
  uploaded: number;
  failed: number;
}

export function countBatch(jobs: readonly { id: string; state: string }[], batch: readonly string[]): BatchCount {
  const states = new Map(jobs.map((job) => [job.id, job.state]));
  const of = (state: string) => batch.filter((id) => states.get(id) === state).length;
  return { total: batch.length, uploaded: of('uploaded'), failed: of('failed') };
}
