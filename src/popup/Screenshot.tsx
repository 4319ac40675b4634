/**
 * "Screenshot this tab": the visible part of the tab the popup was opened over. Opening the toolbar
 * popup grants `activeTab` for that tab, so the popup may capture it (src/shared/captureTab.ts).
 */
import { browser } from '../shared/browser.ts';
import { captureTab } from '../shared/captureTab.ts';
import { t } from '../shared/i18n.ts';
import { errorText } from '../ui/Messages.tsx';
import { useBusy } from '../ui/useBusy.ts';

interface Props {
  onCaptured: (file: File) => void;
  onProblem: (message: string) => void;
}

export function ScreenshotButton({ onCaptured, onProblem }: Props) {
  const [busy, whileBusy] = useBusy();
  const take = () => {
    const captured = browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => captureTab(tab?.windowId, tab?.url));
    whileBusy(captured).then(onCaptured, (error: unknown) => onProblem(t('screenshotFailed', errorText(error))));
  };
  return (
    <button type="button" disabled={busy} onClick={take}>
      {t('popupScreenshotButton')}
    </button>
  );
}
