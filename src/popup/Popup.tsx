import type { Drafts } from './drafts.ts';
import { LookUpForm } from './LookUpForm.tsx';
import { RecentUploads } from './RecentUploads.tsx';
import { UploadForm } from './UploadForm.tsx';

export function Popup({ drafts }: { drafts: Drafts }) {
  return (
    <main class="popup">
      <LookUpForm draft={drafts.lookUp} />
      <UploadForm draft={drafts.upload} />
      <RecentUploads />
    </main>
  );
}
