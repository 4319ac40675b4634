/**
 * An image's web address pasted into the popup: offered for upload. "Get image" asks for access to its
 * site from the click (the same ask as a right-click upload: src/worker/contextMenu/hostAccess.ts), then
 * the worker reads it as it reads a right-clicked image and it arrives selected, like any pending image.
 */
import { ask } from '../shared/ask.ts';
import { t } from '../shared/i18n.ts';
import { errorText } from '../ui/Messages.tsx';
import { useBusy } from '../ui/useBusy.ts';
import { askHostAccess } from '../worker/contextMenu/hostAccess.ts';

interface Props {
  link: string;
  onDone: () => void;
  onProblem: (message: string) => void;
}

export function LinkOffer({ link, onDone, onProblem }: Props) {
  const [busy, whileBusy] = useBusy();
  const shown = link.startsWith('data:') ? `${link.slice(0, 40)}…` : link;
  const get = () => {
    const url = new URL(link);
    // Asked before the first await, while the click still counts as the person's action.
    const access = url.protocol === 'data:' ? Promise.resolve(true) : askHostAccess(url);
    const fetched = access.then((granted) => {
      if (!granted) throw new Error(t('imageHostRefused', url.hostname));
      return ask('link/fetch', { url: link });
    });
    whileBusy(fetched).then(onDone, (error: unknown) => onProblem(errorText(error)));
  };
  return (
    <div role="group" aria-labelledby="link-offer" class="link-offer">
      <p id="link-offer">{t('popupLinkOffer', shown)}</p>
      <span class="job-actions">
        <button type="button" disabled={busy} onClick={get}>
          {t('popupLinkFetch')}
        </button>
        <button type="button" class="link" onClick={onDone}>
          {t('popupLinkDismiss')}
        </button>
      </span>
    </div>
  );
}
