import { t } from '../shared/i18n.ts';
import { ServerAccess, useSavedBaseUrl } from '../ui/ServerAccess.tsx';
import type { Drafts } from './drafts.ts';
import { LookUpForm } from './LookUpForm.tsx';
import { RecentUploads } from './RecentUploads.tsx';
import { UploadForm } from './UploadForm.tsx';

export function Popup({ drafts }: { drafts: Drafts }) {
  const baseUrl = useSavedBaseUrl();
  return (
    <main class="popup">
      <header class="bar">
        <h1>
          <img src="icons/icon-32.png" alt="" width="20" height="20" /> {t('extensionName')}
        </h1>
        <a href="options.html" target="_blank" rel="noreferrer">
          {t('popupOptionsLink')}
        </a>
      </header>
      <ServerAccess baseUrl={baseUrl} />
      <LookUpForm draft={drafts.lookUp} />
      <div class="column">
        <UploadForm draft={drafts.upload} />
        <RecentUploads />
      </div>
    </main>
  );
}
